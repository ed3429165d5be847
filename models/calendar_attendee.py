from odoo import fields, models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    # Book Me's busy-time query starts from the events a host attends and has not declined
    # (Odoo indexes attendees by event only); with the state, an index-only scan.
    _bookme_partner_event_idx = models.Index("(partner_id, event_id) INCLUDE (state)")

    # The event's organizer on the attendee, so that the events a host attends *and does
    # not organise* come from one index, without reading every event they ever attended
    # (they attend their own events too): see bookme.scheduler._GATHER.
    bookme_organizer_id = fields.Many2one(
        related="event_id.user_id", store=True, string="Event Organizer (Book Me)"
    )
    _bookme_partner_organizer_idx = models.Index(
        "(partner_id, bookme_organizer_id, event_id) WHERE state != 'declined'"
    )
