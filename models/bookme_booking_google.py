import logging

import psycopg2

from odoo import api, fields, models
from odoo.tools import html2plaintext

from .utils import ACTIVE_STATES, as_utc

_logger = logging.getLogger(__name__)

RETRY_BATCH = 50


def _google_time(value):
    return {"dateTime": as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "UTC"}


class BookmeBooking(models.Model):
    """Bookings of a type with a chosen Google calendar, written there by Book Me.

    One Google event per booking: created when the booking is confirmed, moved when it is
    rescheduled, deleted when it is cancelled or declined. Google is called after the
    booking's commit (``bookme_booking_outside``), never under the host lock. A failure
    (revoked token, Google down) keeps the booking as it is: the host is told once (note and
    to-do), the booking is marked ``google_retry``, and the retry cron catches up.
    """

    _inherit = "bookme.booking"

    google_event_id = fields.Char("Google Event ID", readonly=True, copy=False)
    google_calendar_id = fields.Many2one(
        "bookme.google.calendar",
        "Written to Google Calendar",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    google_retry = fields.Boolean(
        "Google Calendar Pending",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Google Calendar could not be updated for this booking yet; it is retried automatically.",
    )
    google_notified = fields.Boolean(readonly=True, copy=False)

    # --- Where the booking path tells us ---------------------------------------------------

    def _bookme_google_queue(self):
        """Bring Google in step after the commit, for bookings that concern it."""
        for booking in self.sudo():
            if booking.google_event_id or booking.event_type_id._bookme_google_calendar():
                booking._bookme_after_commit("_bookme_google_sync")

    def _bookme_event_values(self):
        vals = super()._bookme_event_values()
        if self.event_type_id._bookme_google_calendar() and "need_sync" in self.env["calendar.event"]._fields:
            # Book Me writes this booking to the chosen calendar: Odoo's own sync must not
            # write it to the primary calendar as well.
            vals["need_sync"] = False
        return vals

    def _bookme_attach_calendar_event(self):
        res = super()._bookme_attach_calendar_event()
        self.filtered(lambda b: b.state == "confirmed")._bookme_google_queue()
        return res

    def _bookme_release_calendar_event(self):
        res = super()._bookme_release_calendar_event()
        # A reschedule releases, then attaches again (which queues the update).
        self.filtered(lambda b: b.state not in ACTIVE_STATES)._bookme_google_queue()
        return res

    def _bookme_on_transition(self, old_state):
        res = super()._bookme_on_transition(old_state)
        if self.state in ("cancelled", "declined") and self.google_event_id:
            self._bookme_google_queue()
        return res

    def _bookme_event_moved(self):
        res = super()._bookme_event_moved()
        self._bookme_google_queue()
        return res

    def _bookme_event_removed(self, deleted=False):
        res = super()._bookme_event_removed(deleted=deleted)
        self._bookme_google_queue()
        return res

    # --- After the commit ------------------------------------------------------------------

    def _bookme_google_payload(self):
        self.ensure_one()
        guest = self.guest_name or self.partner_id.name
        email = self.guest_email or self.partner_id.email
        location = " ".join(
            filter(None, [self.location_text, self.calendar_event_id.videocall_location or ""])
        )
        description = "\n".join(
            filter(
                None,
                [
                    html2plaintext(self.event_type_id.description or "").strip(),
                    self.note,
                    self.env._("Booked through Book Me: %(url)s", url=self.manage_url),
                ],
            )
        )
        payload = {
            "summary": " – ".join(filter(None, [self.event_type_id.name, guest])),
            "start": _google_time(self.start),
            "end": _google_time(self.stop),
            "description": description,
            "location": location,
            "attendees": [{"email": email, "displayName": guest}] if email else [],
            "extendedProperties": {"private": {"bookme_booking": str(self.id)}},
        }
        return payload

    def _bookme_google_sync(self):
        """Make Google hold what the booking says: its event in the type's chosen calendar
        while confirmed, none once cancelled or declined. Idempotent; never raises for a
        Google failure (the booking is marked for the retry cron instead)."""
        for booking in self.sudo():
            try:
                booking._bookme_google_sync_one()
            except psycopg2.Error:
                raise
            except Exception as exc:  # Google must never break or undo a booking
                booking._bookme_google_failed(exc)
            else:
                if booking.google_retry or booking.google_notified:
                    booking.write({"google_retry": False, "google_notified": False})

    def _bookme_google_sync_one(self):
        self.ensure_one()
        wanted = self.event_type_id._bookme_google_calendar()
        if self.state in ("cancelled", "declined"):
            wanted = wanted.browse()
        elif self.state != "confirmed" and not self.google_event_id:
            return
        elif self.state != "confirmed":
            wanted = self.google_calendar_id  # done, requested again: leave it as it is
            if wanted:
                return
        current = self.google_calendar_id
        if self.google_event_id and current and current != wanted:
            current.account_id._google_call("delete_event", current.google_id, self.google_event_id)
            self.write({"google_event_id": False, "google_calendar_id": False})
        elif self.google_event_id and not current:
            self.write({"google_event_id": False})
        if not wanted:
            return
        account = wanted.account_id
        payload = self._bookme_google_payload()
        if self.google_event_id:
            account._google_call("patch_event", wanted.google_id, self.google_event_id, payload)
        else:
            answer = account._google_call("insert_event", wanted.google_id, payload)
            self.write({"google_event_id": answer["id"], "google_calendar_id": wanted.id})

    def _bookme_google_failed(self, error):
        """Mark the booking for the retry cron; tell the host once (note and to-do, in the
        host's language) until Google answers again."""
        self.ensure_one()
        _logger.warning(
            "Book Me: Google Calendar update of booking %s failed: %s",
            self.id,
            error,
            exc_info=not hasattr(error, "kind"),
        )
        booking = self.sudo().with_context(lang=self.user_id.lang or self.env.lang)
        notify = not booking.google_notified
        booking.write({"google_retry": True, "google_notified": True})
        if not notify:
            return
        reason = booking.env["bookme.google"]._google_reason(error)
        summary = booking.env._("Google Calendar not updated")
        body = booking.env._(
            "Google Calendar could not be updated for this booking. %(reason)s The booking "
            "stands as it is; Book Me tries again every few minutes.",
            reason=reason,
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

    @api.model
    def _cron_bookme_google_retry(self):
        """Write to Google what failed earlier, each booking in its own transaction."""
        bookings = self.sudo().search(
            [("google_retry", "=", True)], limit=RETRY_BATCH, order="write_date, id"
        )
        for booking in bookings:
            with self.env.cr.savepoint():
                booking._bookme_google_sync()
        return len(bookings)
