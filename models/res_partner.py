from odoo import fields, models


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
