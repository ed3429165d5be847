from odoo import models


class CalendarEvent(models.Model):
    """Events of bookings that Book Me writes to a chosen Google calendar stay out of Odoo's
    own Google sync (``google_calendar``'s ``need_sync``, when that module is installed),
    whatever changes them later: otherwise they would reach the primary calendar too."""

    _inherit = "calendar.event"

    def write(self, vals):
        res = super().write(vals)
        if "need_sync" in self._fields and vals.get("need_sync", True):
            self.check_access("write")  # as super() did: the follow-up runs in sudo
            routed = self.sudo().filtered(
                lambda e: e.need_sync
                and any(b.event_type_id._bookme_google_calendar() for b in e.bookme_booking_ids)
            )
            if routed:
                super(CalendarEvent, routed).write({"need_sync": False})
        return res
