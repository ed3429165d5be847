from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    bookme_zoom_meeting_id = fields.Char(
        "Zoom Meeting ID",
        copy=False,
        readonly=True,
        help="The Zoom meeting Book Me created for this event; deleted when the event is "
        "cancelled. Its join link is the event's meeting URL.",
    )
