from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    bookme_booking_ids = fields.One2many(
        "bookme.booking", "partner_id", "Bookings", groups="crm_bookme.group_bookme_user"
    )
    bookme_booking_count = fields.Integer(
        compute="_compute_bookme_booking_count", groups="crm_bookme.group_bookme_user"
    )

    def _compute_bookme_booking_count(self):
        counts = dict(
            self.env["bookme.booking"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.bookme_booking_count = counts.get(partner, 0)

    def action_view_bookme_bookings(self):
        self.ensure_one()
        self.env["bookme.booking"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_bookme.action_bookme_booking")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_bookme_share_code(self):
        """Email the secret booking code to these contacts, one email each, through the
        mail composer and the editable template *Book Me: your booking code*. The code is
        the sender's personal code, otherwise the company's; only a Book Me administrator
        may share the company's code (sending it is reading it)."""
        if not self.env.user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("Only Book Me users can share a booking code."))
        self.check_access("read")
        user = self.env.user
        if not user.bookme_secret_code:
            if not user.company_id.sudo().bookme_secret_code:
                raise UserError(
                    self.env._(
                        "There is no secret code to share: set your personal code in your "
                        "preferences (Book Me), or ask an administrator to set the company's."
                    )
                )
            if not user.has_group("crm_bookme.group_bookme_manager"):
                raise UserError(
                    self.env._(
                        "Only a Book Me administrator can share the company's secret code. Set "
                        "a personal code in your preferences (Book Me) to share your own."
                    )
                )
        template = self.env.ref("crm_bookme.mail_template_bookme_code")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Share the booking code"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_composition_mode": "mass_mail",
                "default_model": "res.partner",
                "default_res_ids": self.ids,
                "default_template_id": template.id,
            },
        }

    def action_bookme_book_customer(self):
        """Book an appointment for this contact (the Book for a Customer wizard)."""
        self.ensure_one()
        if not self.env.user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("Only Book Me users can book for a customer."))
        self.check_access("write")
        return self.env["bookme.book.customer"]._bookme_open({"default_partner_id": self.id})
