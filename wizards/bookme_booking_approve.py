from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.bookme_scheduler import as_naive, as_utc


class BookmeBookingApprove(models.TransientModel):
    """Approve with reschedule: a staff member, a day, and one of the free times the engine
    offers that staff member that day; an internal note (never sent to the client) and an
    optional message in the client's email."""

    _name = "bookme.booking.approve"
    _description = "Approve a Book Me request with reschedule"

    booking_id = fields.Many2one("bookme.booking", required=True, ondelete="cascade")
    requested_display = fields.Char(related="booking_id.start_display", string="Requested Time")
    user_id = fields.Many2one(
        "res.users", "Staff Member", compute="_compute_user_id", store=True, readonly=False,
        domain=[("bookme_enabled", "=", True), ("share", "=", False)],
    )
    date = fields.Date("Day", compute="_compute_date", store=True, readonly=False)
    tz = fields.Char("Times In", compute="_compute_tz")
    free_slots = fields.Json(compute="_compute_free_slots")
    new_start = fields.Datetime(
        "New Time", compute="_compute_new_start", store=True, readonly=False,
        help="One of the staff member's free times that day.",
    )
    internal_note = fields.Text(help="Stays on the booking: the client never sees it.")
    notify = fields.Boolean("Notify the Participant by Email", default=True)
    message = fields.Text("Message to the Participant", help="Included in the client's email.")

    @api.depends("booking_id")
    def _compute_user_id(self):
        for wiz in self:
            wiz.user_id = wiz.booking_id.user_id

    @api.depends("booking_id")
    def _compute_date(self):
        for wiz in self:
            booking = wiz.booking_id
            wiz.date = (
                as_utc(booking.start).astimezone(ZoneInfo(booking.user_id.tz or "UTC")).date()
                if booking.start else fields.Date.context_today(wiz)
            )

    @api.depends("user_id")
    def _compute_tz(self):
        for wiz in self:
            wiz.tz = wiz.user_id.tz or "UTC"

    @api.depends("booking_id", "user_id", "date")
    def _compute_free_slots(self):
        """``[{"value": UTC "YYYY-MM-DD HH:MM:SS", "label": "HH:MM"}]`` in the staff
        member's zone: what the slot picker shows, and all that Approve accepts."""
        scheduler = self.env["bookme.scheduler"]
        for wiz in self:
            booking = wiz.booking_id
            if not (booking and wiz.user_id and wiz.date):
                wiz.free_slots = []
                continue
            tz = wiz.user_id.tz or "UTC"
            start, end = scheduler._window_from_dates(wiz.date, wiz.date, tz)
            slots = scheduler._slots(booking.event_type_id, start, end, exclude_booking=booking,
                                     host=wiz.user_id, host_decision=True)
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
            requested = wiz.booking_id.start and fields.Datetime.to_string(wiz.booking_id.start)
            keep = current if current in offered else requested if requested in offered else None
            wiz.new_start = fields.Datetime.to_datetime(keep) if keep else False

    def action_apply(self):
        self.ensure_one()
        if not (self.user_id and self.new_start):
            raise UserError(self.env._("Choose a staff member and one of the free times."))
        booking = self.booking_id
        booking.action_bookme_approve(
            new_start=as_utc(self.new_start),
            new_user_id=self.user_id.id if self.user_id != booking.user_id else None,
            internal_note=self.internal_note,
            message=self.message if self.notify else None,
            notify=self.notify,
        )
        return {"type": "ir.actions.act_window_close"}
