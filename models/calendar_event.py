from odoo import api, fields, models

from .bookme_booking_event import EVENT_SYNC_KEY
from .bookme_booking_notify import force_inbox
from .utils import ACTIVE_STATES

# calendar.event fields whose change moves the event in time.
TIME_FIELDS = frozenset({"start", "stop", "start_date", "stop_date", "allday", "duration"})


class CalendarEvent(models.Model):
    """Free-for-appointment events, and bookings kept in step with their event.

    A booking's event can be moved, archived or deleted by hand or by a calendar sync
    (Google): the booking follows (moved: its time is the event's, so the old time is free
    and the new one busy; removed: it is cancelled and the guest told). The booking path's
    own changes to events carry the context key ``bookme_event_sync`` and are left alone.
    """

    _inherit = "calendar.event"

    bookme_free = fields.Boolean(
        "Free for Appointment",
        help="Time you offer for appointments on your Book Me page. Never counted as busy.",
    )
    # Book Me's busy-time query leaves out a host's own events from those they attend by
    # their ids alone (an index-only scan).
    _bookme_user_id_idx = models.Index("(user_id, id)")

    bookme_booking_ids = fields.One2many(
        "bookme.booking", "calendar_event_id", "Bookings", groups="crm_bookme.group_bookme_user"
    )
    bookme_booked = fields.Boolean(
        "Book Me Booking's Event",
        compute="_compute_bookme_booked",
        store=True,
        help="The event of a Book Me booking (the booking holds the host's time, not the event).",
    )
    # The host's busy events in a window, straight from one index (no table read, no join
    # to the bookings): see bookme.scheduler._window_data.
    _bookme_busy_idx = models.Index(
        "(user_id, stop) INCLUDE (start, allday, start_date, stop_date)"
        " WHERE active AND show_as = 'busy' AND bookme_free IS NOT TRUE AND bookme_booked IS NOT TRUE"
    )

    @api.depends("bookme_booking_ids")
    def _compute_bookme_booked(self):
        for event in self:
            event.bookme_booked = bool(event.bookme_booking_ids)

    @api.onchange("bookme_free")
    def _onchange_bookme_free(self):
        if self.bookme_free:
            self.show_as = "free"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("bookme_free"):
                vals["show_as"] = "free"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("bookme_free"):
            vals = dict(vals, show_as="free")
        res = super().write(vals)
        if not self.env.context.get(EVENT_SYNC_KEY):
            if "active" in vals and not vals["active"]:
                self._bookme_bookings()._bookme_event_removed()
            elif TIME_FIELDS.intersection(vals):
                self._bookme_bookings()._bookme_event_moved()
        return res

    def unlink(self):
        if not self.env.context.get(EVENT_SYNC_KEY):
            self._bookme_bookings()._bookme_event_removed(deleted=True)
        return super().unlink()

    def _bookme_bookings(self):
        """The active bookings held by these events (in sudo)."""
        if not self.ids:
            return self.env["bookme.booking"].sudo()
        return (
            self.env["bookme.booking"]
            .sudo()
            .search(
                [
                    ("calendar_event_id", "in", self.ids),
                    ("state", "in", ACTIVE_STATES),
                ]
            )
        )

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        return force_inbox(self.env, recipients)
