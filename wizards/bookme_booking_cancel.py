from odoo import fields, models


class BookmeBookingCancel(models.TransientModel):
    """Asks for confirmation (and an optional reason) before cancelling bookings."""

    _name = "bookme.booking.cancel"
    _description = "Cancel Book Me bookings"

    booking_ids = fields.Many2many("bookme.booking", string="Bookings", required=True)
    reason = fields.Text(help="Sent to the customer in the cancellation email.")

    def action_confirm(self):
        self.ensure_one()
        # action_bookme_cancel checks that the current user may change these bookings.
        self.booking_ids.action_bookme_cancel(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
