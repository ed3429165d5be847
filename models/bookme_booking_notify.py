"""What a booking tells people: the guest's and the host's emails (with the .ics file),
the notice in the host's Odoo inbox, and a note and to-do to the host when an email
could not be prepared. The booking path calls :meth:`_bookme_notify`; the emails leave
after the commit (``bookme_booking_outside``)."""

import logging

import psycopg2

from odoo import Command, models

from .utils import MAIL_LAYOUT

_logger = logging.getLogger(__name__)


def force_inbox(env, recipients):
    """Under the context key ``bookme_inbox_only``, internal users get the notification in
    their Odoo inbox whatever their notification preference (a ``_notify_get_recipients``
    result, changed in place and returned): Book Me's own host email is the email side, so
    nobody gets the same news twice."""
    if env.context.get("bookme_inbox_only"):
        for data in recipients:
            if data.get("uid") and not data.get("share"):
                data["notif"] = "inbox"
    return recipients


class BookmeBookingNotify(models.Model):
    _inherit = "bookme.booking"

    def _bookme_notify(self, what, **ctx):
        """Email the guest and the host, and drop a notice in the host's Odoo inbox, once
        the transaction has committed (a template that fails then cannot undo the change;
        the host is told instead). ``ctx`` values must be plain (strings, numbers)."""
        self._bookme_after_commit("_bookme_notify_now", what, **ctx)

    def _bookme_notify_now(self, what, **ctx):
        """What :meth:`_bookme_notify` queues: the emails and the inbox notice."""
        templates = {
            "created": ("mail_template_booking_guest_confirmed", "mail_template_booking_host_new"),
            "requested": ("mail_template_booking_guest_requested", "mail_template_booking_host_new"),
            "cancelled": ("mail_template_booking_guest_cancelled", "mail_template_booking_host_cancelled"),
            "rescheduled": (
                "mail_template_booking_guest_rescheduled",
                "mail_template_booking_host_rescheduled",
            ),
        }
        for booking in self:  # in sudo: the after-commit queue runs its steps so
            key = "requested" if what == "created" and booking.state == "requested" else what
            guest_xmlid, host_xmlid = templates[key]
            # A request is not an appointment yet: no calendar file until it is approved.
            attachment = booking._bookme_ics_attachment() if key != "requested" else None
            booking.with_context(**ctx)._bookme_send_template(guest_xmlid, attachment)
            booking.with_context(**ctx)._bookme_send_template(host_xmlid, attachment)
            booking._bookme_inbox_notice(key)

    def _bookme_send_template(self, xmlid, attachment=None, ics=False):
        """Queue the email of template ``xmlid`` (with the booking's .ics file if
        ``attachment`` is one or ``ics`` is set). A template that fails to render (an
        edited template with an error) is logged and the host told; the booking stands.

        Called inside a booking transaction, the email is written after the commit
        (with the context of the call), when outside calls have given the event its
        meeting link: an .ics given then is made again at that time."""
        self.ensure_one()
        if not self.env.context.get("bookme_after_commit"):
            if attachment:
                attachment.unlink()
            self._bookme_after_commit("_bookme_send_template", xmlid, ics=bool(attachment or ics))
            return
        template = self.env.ref(f"crm_bookme.{xmlid}", raise_if_not_found=False)
        if not template:
            return
        if ics and not attachment:
            attachment = self._bookme_ics_attachment()
        guest = "_guest_" in xmlid
        render_ctx = {}
        if not guest:
            # The host reads times in the host's language and zone (the details table and
            # "it was ..." of a move), the guest in the guest's.
            render_ctx["bookme_for_host"] = True
            if "old_host_display" in self.env.context:
                render_ctx["old_display"] = self.env.context["old_host_display"]
        email_values = {"attachment_ids": [Command.link(attachment.id)]} if attachment else None
        try:
            with self.env.cr.savepoint():
                template.with_context(**render_ctx).send_mail(
                    self.id, email_values=email_values, email_layout_xmlid=MAIL_LAYOUT
                )
        except psycopg2.errors.SerializationFailure:
            raise
        except Exception as exc:  # a broken template must never lose a booking
            _logger.exception("Book Me: email template %s failed for booking %s", xmlid, self.id)
            self._bookme_mail_failed(template, exc, guest=guest)
            return
        if guest and self.guest_mail_failed:
            self.guest_mail_failed = False

    def _bookme_mail_failed(self, template, error, guest=False):
        """Tell the host (chatter note and to-do, in the host's language) that an email of
        this booking could not be prepared."""
        booking = self.sudo().with_context(lang=self.user_id.lang or self.env.lang)
        if guest:
            booking.guest_mail_failed = True
        summary = booking.env._("Book Me email not sent")
        body = booking.env._(
            'The email "%(template)s" of this booking could not be prepared (%(error)s). '
            "The booking is saved all the same; have the template fixed in Settings > "
            "Technical > Email Templates.",
            template=template.name,
            error=str(error)[:300] or type(error).__name__,
        )
        if guest:
            body = booking.env._(
                "%(problem)s %(guest)s was not emailed: let them know yourself.",
                problem=body,
                guest=booking.partner_id.name,
            )
        booking.message_post(
            body=body,
            subject=summary,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=booking.env.ref("base.partner_root").id,
        )
        booking.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=body,
            user_id=booking.user_id.id,
        )

    def _bookme_inbox_notice(self, what):
        """The notice in the host's Odoo inbox, in the host's language and time zone."""
        self.ensure_one()
        booking = self.with_context(lang=self.user_id.lang or self.env.lang)
        name = booking.display_name
        subjects = {
            "created": booking.env._("New booking: %(name)s", name=name),
            "requested": booking.env._("Booking request: %(name)s", name=name),
            "cancelled": booking.env._("Booking cancelled: %(name)s", name=name),
            "rescheduled": booking.env._("Booking moved: %(name)s", name=name),
        }
        start = booking.host_start_display
        body = booking.env._("%(subject)s — %(start)s", subject=subjects[what], start=start)
        record = booking.calendar_event_id or booking
        record.with_context(bookme_inbox_only=True).message_notify(
            partner_ids=booking.user_id.partner_id.ids,
            author_id=booking.partner_id.id,
            subject=subjects[what],
            body=body,
        )

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        return force_inbox(self.env, recipients)

    def _bookme_send_guest_mail_now(self):
        """Try to deliver this booking's queued emails right away.

        Returns False when the outgoing mail server is missing or failing; the emails then
        stay queued (the mail cron retries them) and the booking is kept either way.
        """
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "outgoing"),
                ]
            )
        )
        if not mails:
            return True
        try:
            with self.env.cr.savepoint():
                mails.send(raise_exception=True)
        except Exception as exc:
            _logger.warning("Book Me: confirmation email not sent now, left queued: %s", exc)
            return False
        return True

    def _bookme_guest_mail_pending(self):
        """Whether the guest's last email did not go out: it is still waiting in the queue
        (the mail server was missing or failing when we tried to send it right away), or
        it could not be prepared at all (its template failed)."""
        self.ensure_one()
        return self.sudo().guest_mail_failed or bool(
            self.env["mail.mail"]
            .sudo()
            .search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("recipient_ids", "in", self.partner_id.ids),
                    ("state", "in", ("outgoing", "exception")),
                ]
            )
        )

    def _bookme_guest_mail_state(self):
        """What the guest's page may say about their last email, from the real mail state:
        ``"failed"`` (its template failed: nothing will follow, the host was told),
        ``"queued"`` (it waits in Odoo's mail queue, the mail server was missing or failing:
        it follows at the queue's next run) or ``"sent"`` (nothing of it left waiting)."""
        self.ensure_one()
        if self.sudo().guest_mail_failed:
            return "failed"
        return "queued" if self._bookme_guest_mail_pending() else "sent"

    def _bookme_ics_attachment(self):
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "appointment.ics",
                    "raw": self._bookme_ics(),
                    "mimetype": "text/calendar",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
