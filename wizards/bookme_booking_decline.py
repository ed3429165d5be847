from odoo import fields, models


class BookmeBookingDecline(models.TransientModel):
    """Declines booking requests, telling the clients by email (optional, with a message)."""

    _name = "bookme.booking.decline"
    _description = "Decline Book Me requests"

    booking_ids = fields.Many2many("bookme.booking", string="Requests", required=True)
    notify = fields.Boolean("Notify by Email", default=True)
    message = fields.Text("Message to the Participant", help="Included in the client's email.")

    def action_confirm(self):
        self.ensure_one()
        self.booking_ids.action_bookme_decline(
            message=self.message if self.notify else None, notify=self.notify
        )
        return {"type": "ir.actions.act_window_close"}
