from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    # Book Me's busy-time query starts from the events a host attends and has not declined
    # (Odoo indexes attendees by event only); with the state, an index-only scan.
    _bookme_partner_event_idx = models.Index("(partner_id, event_id) INCLUDE (state)")
