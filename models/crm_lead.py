from odoo import models
from odoo.exceptions import AccessError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def action_bookme_book_customer(self):
        """Book an appointment for this lead's customer; the booking is linked to the lead."""
        self.ensure_one()
        if not self.env.user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("Only Book Me users can book for a customer."))
        self.check_access("write")
        return self.env["bookme.book.customer"]._bookme_open(
            {
                "default_lead_id": self.id,
                "default_partner_id": self.partner_id.id,
            }
        )
