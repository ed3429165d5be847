from odoo import models

from .bookme_scheduler import ACTIVE_STATES


class BookmeBooking(models.Model):
    """A cancelled booking marks its lead, as the setting says: a to-do for the lead's
    salesperson (the default), the lead marked lost, or nothing. A lead with another
    booking still ahead is left as it is."""

    _inherit = "bookme.booking"

    def _bookme_notify(self, what, **ctx):
        res = super()._bookme_notify(what, **ctx)
        if what == "cancelled":
            self._bookme_mark_cancelled_leads()
        return res

    def _bookme_mark_cancelled_leads(self):
        mode = self.env["ir.config_parameter"].sudo().get_param("crm_bookme.cancel_lead_mode", "activity")
        if mode == "off":
            return
        for booking in self.sudo().filtered(lambda b: b.state == "cancelled" and b.lead_id):
            lead = booking.lead_id
            if not lead.active or lead.won_status != "pending":
                continue
            if self.search_count(
                [("lead_id", "=", lead.id), ("state", "in", ACTIVE_STATES), ("id", "!=", booking.id)]
            ):
                continue
            env = lead.with_context(lang=(lead.user_id or booking.user_id).lang).env
            summary = env._("Booking cancelled: %(name)s", name=booking.display_name)
            if mode == "lost":
                lead.with_context(mail_auto_subscribe_no_notify=True).action_set_lost()
                lead.message_post(body=summary, subtype_xmlid="mail.mt_note")
            else:
                lead.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=env._("The customer's appointment was cancelled: follow up."),
                    user_id=(lead.user_id or booking.user_id).id,
                )
