from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..models.bookme_scheduler import as_naive, as_utc


class BookmeBookingReschedule(models.TransientModel):
    """Moves a booking to one of the free times the engine offers that day (clicked in
    the slot picker, never typed), and emails both sides."""

    _name = "bookme.booking.reschedule"
    _description = "Reschedule a Book Me booking"

    booking_id = fields.Many2one("bookme.booking", required=True, ondelete="cascade")
    current_display = fields.Char(related="booking_id.host_start_display", string="Now")
    date = fields.Date("Day", compute="_compute_date", store=True, readonly=False)
    tz = fields.Char("Times In", compute="_compute_tz")
    free_slots = fields.Json(compute="_compute_free_slots")
    new_start = fields.Datetime(
        "New Time", compute="_compute_new_start", store=True, readonly=False,
        help="One of the host's free times that day.",
    )
    client_message = fields.Text("Message to the Client", help="Included in the email.")

    @api.depends("booking_id")
    def _compute_date(self):
        """The booking's own day, in the host's zone: a move is most often to a near time."""
        for wiz in self:
            booking = wiz.booking_id
            wiz.date = (
                as_utc(booking.start).astimezone(ZoneInfo(booking.user_id.tz or "UTC")).date()
                if booking.start else fields.Date.context_today(wiz)
            )

    @api.depends("booking_id")
    def _compute_tz(self):
        for wiz in self:
            wiz.tz = wiz.booking_id.user_id.tz or "UTC"

    @api.depends("booking_id", "date")
    def _compute_free_slots(self):
        """``[{"value": UTC "YYYY-MM-DD HH:MM:SS", "label": "HH:MM"}]`` in the host's zone."""
        scheduler = self.env["bookme.scheduler"]
        for wiz in self:
            booking = wiz.booking_id
            if not (booking and wiz.date):
                wiz.free_slots = []
                continue
            tz = booking.user_id.tz or "UTC"
            start, end = scheduler._window_from_dates(wiz.date, wiz.date, tz)
            slots = scheduler._slots(booking.sudo().event_type_id, start, end,
                                     exclude_booking=booking)
            zone = ZoneInfo(tz)
            wiz.free_slots = [
                {"value": fields.Datetime.to_string(as_naive(slot.start)),
                 "label": slot.start.astimezone(zone).strftime("%H:%M")}
                for slot in slots
            ]

    @api.depends("free_slots")
    def _compute_new_start(self):
        for wiz in self:
            offered = {slot["value"] for slot in wiz.free_slots or []}
            current = wiz.new_start and fields.Datetime.to_string(wiz.new_start)
            wiz.new_start = fields.Datetime.to_datetime(current) if current in offered else False

    def action_apply(self):
        self.ensure_one()
        booking = self.booking_id
        booking.check_access("write")
        if not self.new_start:
            raise UserError(self.env._("Choose one of the free times."))
        if self.client_message:
            booking.client_message = self.client_message
        booking.action_bookme_reschedule(as_utc(self.new_start))
        host = booking.user_id
        booking.message_post(body=self.env._(
            "Rescheduled to %(when)s.",
            when=format_datetime(self.env, booking.start, tz=host.tz or "UTC"),
        ))
        return {"type": "ir.actions.act_window_close"}
