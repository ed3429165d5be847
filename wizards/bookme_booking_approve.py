from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.utils import as_utc
from . import bookme_slot_choice  # noqa: F401 (the parent model is defined first)


class BookmeBookingApprove(models.TransientModel):
    """Approve with reschedule: a staff member, a day, and one of the free times the engine
    offers that staff member that day; an internal note (never sent to the client) and an
    optional message in the client's email."""

    _name = "bookme.booking.approve"
    _description = "Approve a Book Me request with reschedule"
    _inherit = ["bookme.slot.choice.mixin"]
    _slot_depends = ("booking_id", "user_id")

    booking_id = fields.Many2one("bookme.booking", required=True, ondelete="cascade")
    requested_display = fields.Char(related="booking_id.start_display", string="Requested Time")
    user_id = fields.Many2one(
        "res.users",
        "Staff Member",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain=[("bookme_enabled", "=", True), ("share", "=", False)],
    )
    new_start = fields.Datetime(
        "New Time",
        compute="_compute_new_start",
        store=True,
        readonly=False,
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
            wiz.date = wiz._slot_booking_day(wiz.booking_id)

    def _slot_host(self):
        return self.user_id

    def _slot_query(self):
        """The staff member's own free times (their hours and calendar), the host
        deciding: all that Approve accepts."""
        if not (self.booking_id and self.user_id):
            return None
        return self.booking_id.event_type_id, {
            "exclude_booking": self.booking_id,
            "host": self.user_id,
            "host_decision": True,
        }

    @api.depends("free_slots")
    def _compute_new_start(self):
        for wiz in self:
            wiz.new_start = wiz._slot_kept(wiz.new_start, wiz.booking_id.start)

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
