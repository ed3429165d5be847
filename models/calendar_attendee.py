from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    # Book Me's busy-time query starts from the events a host attends (Odoo indexes
    # attendees by event only).
    _bookme_partner_event_idx = models.Index("(partner_id, event_id)")
