from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..models.bookme_scheduler import as_naive, as_utc


class BookmeBookingReschedule(models.TransientModel):
    """Moves a booking to another time the engine offers, and emails both sides."""

    _name = "bookme.booking.reschedule"
    _description = "Reschedule a Book Me booking"

    booking_id = fields.Many2one("bookme.booking", required=True, ondelete="cascade")
    date = fields.Date("Day", required=True, default=fields.Date.context_today)
    free_times = fields.Text("Free Times That Day", compute="_compute_free_times")
    new_time = fields.Char(
        "Start Time (HH:MM)", help="One of the free times above, in the host's time zone."
    )
    client_message = fields.Text("Message to the Client", help="Included in the email.")

    @api.depends("booking_id", "date")
    def _compute_free_times(self):
        for wiz in self:
            booking = wiz.booking_id
            if not (booking and wiz.date):
                wiz.free_times = False
                continue
            tz = booking.user_id.tz or "UTC"
            zone = ZoneInfo(tz)
            start = datetime.combine(wiz.date, time.min, zone)
            slots = self.env["bookme.scheduler"]._slots(
                booking.event_type_id, start, start + timedelta(days=1), exclude_booking=booking
            )
            wiz.free_times = ", ".join(
                s.start.astimezone(zone).strftime("%H:%M") for s in slots
            ) or self.env._("No free time that day.")

    def action_apply(self):
        self.ensure_one()
        booking = self.booking_id
        booking.check_access("write")
        tz = booking.user_id.tz or "UTC"
        try:
            hour, minute = (int(x) for x in (self.new_time or "").strip().split(":"))
            local = datetime.combine(self.date, time(hour, minute), ZoneInfo(tz))
        except ValueError as exc:
            raise UserError(self.env._("Enter the new start time as HH:MM, e.g. 14:30.")) from exc
        if self.client_message:
            booking.client_message = self.client_message
        booking.action_bookme_reschedule(as_utc(as_naive(local)))
        booking.message_post(body=self.env._(
            "Rescheduled to %(when)s.", when=format_datetime(self.env, booking.start, tz=tz)
        ))
        return {"type": "ir.actions.act_window_close"}
