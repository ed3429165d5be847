from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.time_format import format_when
from ..models.utils import as_utc
from . import bookme_slot_choice  # noqa: F401 (the parent model is defined first)


class BookmeBookingReschedule(models.TransientModel):
    """Moves a booking to one of the free times the engine offers that day (clicked in
    the slot picker, never typed), and emails both sides."""

    _name = "bookme.booking.reschedule"
    _description = "Reschedule a Book Me booking"
    _inherit = ["bookme.slot.choice.mixin"]
    _slot_depends = ("booking_id",)

    booking_id = fields.Many2one("bookme.booking", required=True, ondelete="cascade")
    current_display = fields.Char(related="booking_id.host_start_display", string="Now")
    new_start = fields.Datetime(
        "New Time",
        compute="_compute_new_start",
        store=True,
        readonly=False,
        help="One of the host's free times that day.",
    )
    client_message = fields.Text("Message to the Client", help="Included in the email.")

    @api.depends("booking_id")
    def _compute_date(self):
        """The booking's own day, in the host's zone: a move is most often to a near time."""
        for wiz in self:
            wiz.date = wiz._slot_booking_day(wiz.booking_id)

    def _slot_host(self):
        return self.booking_id.user_id

    def _slot_query(self):
        if not self.booking_id:
            return None
        return self.booking_id.sudo().event_type_id, {"exclude_booking": self.booking_id}

    @api.depends("free_slots")
    def _compute_new_start(self):
        for wiz in self:
            wiz.new_start = wiz._slot_kept(wiz.new_start)

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
        booking.message_post(
            body=self.env._(
                "Rescheduled to %(when)s.",
                when=format_when(self.env, booking.start, host.tz or "UTC", self.env.lang, stop=booking.stop),
            )
        )
        return {"type": "ir.actions.act_window_close"}
