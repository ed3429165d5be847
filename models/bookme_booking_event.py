"""A booking's calendar event: the booking path puts each booking in its event (a new one,
or the group session's), gives it its online meeting, releases it on cancel or move; and
the booking follows its event when someone moves, archives or deletes it in the calendar.
Providers (Google, Zoom) extend these methods in their own files."""

from odoo import Command, models
from odoo.tools import plaintext2html

from .utils import ACTIVE_STATES

# Context key of the booking path's own changes to a booking's calendar event, so that the
# event's write/unlink overrides (which keep bookings in step with their event) skip them.
EVENT_SYNC_KEY = "bookme_event_sync"


class BookmeBookingEvent(models.Model):
    _inherit = "bookme.booking"

    def _bookme_event_values(self):
        self.ensure_one()
        etype = self.event_type_id
        host = self.user_id
        group = etype.kind == "group"
        vals = {
            "name": etype.name if group else f"{etype.name} – {self.partner_id.name}",
            "start": self.start,
            "stop": self.stop,
            "user_id": host.id,
            "partner_ids": [Command.link(host.partner_id.id), Command.link(self.partner_id.id)],
            "show_as": "busy",
            # Google Calendar sync asks Google for a Meet only for events with no location
            # and no video-call link: leave both empty for Google Meet locations.
            "location": False if self._bookme_is_google_meet() else self.location_text or False,
            "description": plaintext2html(self.note) if self.note else False,
            "opportunity_id": self.lead_id.id or False,
        }
        if self.location_id.location_type == "online":
            if self.location_id.online_provider == "custom":
                vals["videocall_location"] = self.location_id.url or False
        return vals

    def _bookme_is_google_meet(self):
        self.ensure_one()
        return (
            self.location_id.location_type == "online" and self.location_id.online_provider == "google_meet"
        )

    def _bookme_attach_calendar_event(self):
        """Put each booking in its calendar event: a new one, or, for group types, the one
        already holding that session."""
        Event = (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True, mail_create_nosubscribe=True, **{EVENT_SYNC_KEY: True})
        )
        for booking in self:
            shared = (
                booking.event_type_id.kind == "group"
                and self.search(
                    [
                        ("id", "!=", booking.id),
                        ("event_type_id", "=", booking.event_type_id.id),
                        ("start", "=", booking.start),
                        ("state", "in", ACTIVE_STATES),
                        ("calendar_event_id", "!=", False),
                    ],
                    limit=1,
                ).calendar_event_id
            )
            if shared:
                shared.with_context(**{EVENT_SYNC_KEY: True}).write(
                    {"partner_ids": [Command.link(booking.partner_id.id)]}
                )
                booking.calendar_event_id = shared
                continue
            event = Event.create(booking._bookme_event_values())
            booking.calendar_event_id = event
            if booking.location_id.location_type == "online":
                booking._bookme_online_meeting_open(event)

    def _bookme_online_meeting_open(self, event):
        """Give a new calendar event its online meeting, for the booking's online location.

        Discuss video calls are Odoo's own. Providers with an API (Zoom) extend this in
        their own file; they must never raise: a provider failure leaves the booking valid
        and tells the host instead.
        """
        self.ensure_one()
        if self.location_id.online_provider == "discuss":
            event._set_discuss_videocall_location()

    def _bookme_online_meeting_close(self, event):
        """The booking's event was cancelled (no booking left in it): providers with an API
        delete the meeting they created. Never raises."""
        self.ensure_one()

    def _bookme_release_calendar_event(self):
        for booking in self:
            event = booking.calendar_event_id.sudo()
            if not event:
                continue
            others = self.search(
                [
                    ("id", "!=", booking.id),
                    ("calendar_event_id", "=", event.id),
                    ("state", "in", ACTIVE_STATES),
                ]
            )
            ctx_event = event.with_context(no_mail_to_attendees=True, **{EVENT_SYNC_KEY: True})
            if others:
                if booking.partner_id not in others.partner_id:
                    ctx_event.write({"partner_ids": [Command.unlink(booking.partner_id.id)]})
            else:
                ctx_event.action_archive()
                booking._bookme_online_meeting_close(event)

    # --- Following the calendar event ----------------------------------------------------

    def _bookme_event_moved(self):
        """The booking's calendar event was moved (by hand or by a calendar sync): the
        booking takes the event's time, so the old time is free again and the new one
        busy, and the guest is told."""
        for booking in self.sudo():
            event = booking.calendar_event_id
            if not event or (booking.start, booking.stop) == (event.start, event.stop):
                continue
            self.env["bookme.host.lock"]._acquire(booking.user_id)
            old_display = booking.start_display
            old_host_display = booking.host_start_display
            booking.write({"start": event.start, "stop": event.stop})
            booking._bookme_notify("rescheduled", old_display=old_display, old_host_display=old_host_display)

    def _bookme_event_removed(self, deleted=False):
        """The booking's calendar event was archived or deleted: the booking is cancelled
        (its slot is free again), any online meeting closed, and the guest told."""
        closed = self.env["calendar.event"]
        for booking in self.sudo():
            event = booking.calendar_event_id
            booking.write({"state": "cancelled", **({"calendar_event_id": False} if deleted else {})})
            if event and event not in closed:
                closed |= event
                booking._bookme_online_meeting_close(event.with_context(**{EVENT_SYNC_KEY: True}))
            booking._bookme_notify("cancelled")
