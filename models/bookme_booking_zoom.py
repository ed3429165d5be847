import logging

import psycopg2

from odoo import models

from .bookme_zoom import ZoomError

_logger = logging.getLogger(__name__)


class BookmeBooking(models.Model):
    """Zoom locations: a Zoom meeting per booked calendar event, through Zoom's API.

    Zoom is called after the booking's transaction has committed (see
    ``bookme_booking_outside``), never under the host lock: the event gets its link in a
    follow-up transaction, and the meeting of a cancelled event is deleted only once the
    cancellation is committed. Zoom being down, slow or misconfigured never undoes a
    booking: the booking stays confirmed, and the host finds a note in its chatter and a
    to-do activity.
    """

    _inherit = "bookme.booking"

    def _bookme_online_meeting_open(self, event):
        res = super()._bookme_online_meeting_open(event)
        if self.location_id.online_provider == "zoom" and not event.bookme_zoom_meeting_id:
            self._bookme_after_commit("_bookme_zoom_create", event.id)
        return res

    def _bookme_online_meeting_close(self, event):
        res = super()._bookme_online_meeting_close(event)
        if event.sudo().bookme_zoom_meeting_id:
            self._bookme_after_commit("_bookme_zoom_delete", event.id)
        return res

    def _bookme_zoom_create(self, event_id):
        """After the commit: create the Zoom meeting of the booking's new event and give
        the event its link."""
        self.ensure_one()
        event = self.env["calendar.event"].sudo().browse(event_id).exists()
        if not event or not event.active or event.bookme_zoom_meeting_id:
            return
        try:
            meeting_id, join_url = self.env["bookme.zoom"]._zoom_create_meeting(
                event, agenda=self.event_type_id.description
            )
        except psycopg2.Error:
            raise
        except Exception as exc:  # Zoom must never break a booking
            self._bookme_zoom_failed("create", exc)
            return
        event.with_context(no_mail_to_attendees=True).write(
            {
                "bookme_zoom_meeting_id": meeting_id,
                "videocall_location": join_url,
            }
        )

    def _bookme_zoom_delete(self, event_id):
        """After the cancellation's commit: delete the Zoom meeting of the booking's
        archived event."""
        self.ensure_one()
        event = self.env["calendar.event"].sudo().with_context(active_test=False).browse(event_id).exists()
        meeting_id = event.bookme_zoom_meeting_id
        if not meeting_id or event.active:
            return
        try:
            self.env["bookme.zoom"]._zoom_delete_meeting(meeting_id)
        except psycopg2.Error:
            raise
        except Exception as exc:  # Zoom must never block a cancellation
            self._bookme_zoom_failed("delete", exc, meeting_id=meeting_id)
            return
        # The link is dead now: the cancellation email must not offer it.
        event.with_context(no_mail_to_attendees=True).write(
            {
                "bookme_zoom_meeting_id": False,
                "videocall_location": False,
            }
        )

    def _bookme_zoom_failed(self, action, error, meeting_id=None):
        """Tell the host (chatter note and to-do activity, in the host's language) that
        the Zoom meeting could not be created or deleted, and why."""
        self.ensure_one()
        _logger.warning(
            "Book Me: Zoom meeting %s for booking %s failed: %s",
            action,
            self.id,
            error,
            exc_info=not isinstance(error, ZoomError),
        )
        booking = self.sudo().with_context(lang=self.user_id.lang or self.env.lang)
        reason = booking.env["bookme.zoom"]._zoom_reason(error)
        if action == "create":
            summary = booking.env._("Zoom meeting not created")
            body = booking.env._(
                "The Zoom meeting of this booking could not be created. %(reason)s The booking "
                "is confirmed without a Zoom link: create the meeting yourself and send its "
                "link to the guest.",
                reason=reason,
            )
        else:
            summary = booking.env._("Zoom meeting not deleted")
            body = booking.env._(
                "The Zoom meeting %(meeting)s could not be deleted. %(reason)s The booking is "
                "cancelled all the same: delete the meeting in Zoom yourself.",
                meeting=meeting_id,
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
