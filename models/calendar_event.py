from odoo import api, fields, models

from .bookme_notify import force_inbox


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    bookme_free = fields.Boolean(
        "Free for Appointment",
        help="Time you offer for appointments on your Book Me page. Never counted as busy.",
    )
    bookme_booking_ids = fields.One2many(
        "bookme.booking", "calendar_event_id", "Bookings", groups="crm_bookme.group_bookme_user"
    )

    @api.onchange("bookme_free")
    def _onchange_bookme_free(self):
        if self.bookme_free:
            self.show_as = "free"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("bookme_free"):
                vals["show_as"] = "free"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("bookme_free"):
            vals = dict(vals, show_as="free")
        return super().write(vals)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        return force_inbox(self.env, recipients)
