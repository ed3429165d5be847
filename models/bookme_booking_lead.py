from odoo import models
from odoo.tools import plaintext2html

from .utils import ACTIVE_STATES


class BookmeBooking(models.Model):
    """A booking's CRM lead: a new booking links the guest's open lead or creates one (the
    setting ``crm_bookme.lead_mode``); a cancelled booking marks its lead, as the setting
    says: a to-do for the lead's salesperson (the default), the lead marked lost, or
    nothing. A lead with another booking still ahead is left as it is."""

    _inherit = "bookme.booking"

    def _bookme_link_lead(self):
        mode = self.env["ir.config_parameter"].sudo().get_param("crm_bookme.lead_mode", "link")
        if mode == "off":
            return
        # Book Me's own host email announces the booking: no second "lead assigned" email.
        Lead = (
            self.env["crm.lead"]
            .sudo()
            .with_context(mail_auto_subscribe_no_notify=True, mail_create_nosubscribe=True)
        )
        for booking in self.filtered(lambda b: not b.lead_id):
            lead = mode == "link" and Lead.search(
                [
                    ("partner_id", "=", booking.partner_id.id),
                    ("active", "=", True),
                    ("won_status", "=", "pending"),
                ],
                limit=1,
                order="id desc",
            )
            if not lead:
                lead = Lead.create(
                    {
                        "name": self.env._(
                            "%(type)s with %(name)s",
                            type=booking.event_type_id.name,
                            name=booking.partner_id.name,
                        ),
                        "partner_id": booking.partner_id.id,
                        "user_id": booking.user_id.id,
                        "email_from": booking.guest_email or booking.partner_id.email,
                        "phone": booking.guest_phone or booking.partner_id.phone,
                        "description": plaintext2html(booking.note) if booking.note else False,
                    }
                )
            booking.lead_id = lead
            if booking.calendar_event_id and not booking.calendar_event_id.opportunity_id:
                booking.calendar_event_id.opportunity_id = lead

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
