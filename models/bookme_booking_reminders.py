from odoo import Command, models


class BookmeBooking(models.Model):
    """A booked calendar event carries its type's reminders (``alarm_ids``): set when the
    event is made, and when a booking joins a group session's shared event or is moved
    (a reschedule attaches the booking to its new event again)."""

    _inherit = "bookme.booking"

    def _bookme_event_values(self):
        vals = super()._bookme_event_values()
        vals["alarm_ids"] = [Command.set(self.event_type_id.alarm_ids.ids)]
        return vals

    def _bookme_attach_calendar_event(self):
        res = super()._bookme_attach_calendar_event()
        for booking in self:
            event = booking.calendar_event_id.sudo()
            missing = booking.event_type_id.alarm_ids - event.alarm_ids
            if event and missing:
                event.with_context(no_mail_to_attendees=True).write(
                    {"alarm_ids": [Command.link(alarm.id) for alarm in missing]}
                )
        return res
