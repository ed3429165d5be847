import json
import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .. import engine
from .bookme_google import GoogleError
from .utils import ACTIVE_STATES, as_naive, as_utc

_logger = logging.getLogger(__name__)

CACHE_MINUTES = 5


def _subtract(pieces, holes):
    """``pieces`` (start, end) minus every interval of ``holes``."""
    for hole_start, hole_end in holes:
        rest = []
        for start, end in pieces:
            if end <= hole_start or start >= hole_end:
                rest.append((start, end))
                continue
            if start < hole_start:
                rest.append((start, hole_start))
            if end > hole_end:
                rest.append((hole_end, end))
        pieces = rest
    return pieces


def _parse(value):
    return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


class BookmeGoogleBusy(models.Model):
    """Busy time of a Google calendar (freeBusy), kept a few minutes so that a page of
    slots does not ask Google each time. One row per calendar, covering whole UTC days
    [date_from, date_to); written with an upsert, so concurrent requests never clash."""

    _name = "bookme.google.busy"
    _description = "Book Me: Google busy time (cache)"
    _log_access = False

    calendar_id = fields.Many2one("bookme.google.calendar", required=True, ondelete="cascade")
    date_from = fields.Datetime(required=True)
    date_to = fields.Datetime(required=True)
    fetched_at = fields.Datetime(required=True)
    busy = fields.Text(help="JSON list of [start, end] (ISO, UTC).")

    _calendar_unique = models.Constraint("unique(calendar_id)", "One cache row per calendar.")

    @api.model
    def _google_busy(self, user, lo, hi, fetch=True):
        """Busy intervals (:class:`engine.Busy`) in [lo, hi) (naive UTC) from the calendars
        ``user`` counts as busy. ``fetch``: ask Google when the cache is stale or does not
        cover the window; else the cache only (the booking path, under the host lock, makes
        no outside call). Google failing: the cache if any, else nothing (logged)."""
        calendars = (
            self.env["bookme.google.calendar"]
            .sudo()
            .search(
                [
                    ("user_id", "=", user.id),
                    ("check_busy", "=", True),
                    ("account_id.active", "=", True),
                ]
            )
        )
        if not calendars:
            return []
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT calendar_id, date_from, date_to, fetched_at, busy FROM bookme_google_busy "
                "WHERE calendar_id IN %s",
                tuple(calendars.ids),
            )
        )
        rows = {r[0]: r[1:] for r in self.env.cr.fetchall()}
        fresh_after = fields.Datetime.now() - timedelta(minutes=CACHE_MINUTES)
        day_lo = datetime.combine(lo.date(), time.min)
        day_hi = datetime.combine(hi.date() + timedelta(days=1), time.min)
        intervals = []
        stale = self.env["bookme.google.calendar"]
        for calendar in calendars:
            row = rows.get(calendar.id)
            covers = row and row[0] <= lo and row[1] >= hi
            if covers and (row[2] >= fresh_after or not fetch):
                intervals.extend(json.loads(row[3] or "[]"))
            elif fetch:
                stale |= calendar
            elif row:
                intervals.extend(json.loads(row[3] or "[]"))
        for account in stale.account_id:
            own = stale.filtered(lambda c, a=account: c.account_id == a)
            try:
                answer = account._google_call(
                    "free_busy",
                    own.mapped("google_id"),
                    as_utc(day_lo).isoformat(),
                    as_utc(day_hi).isoformat(),
                )
            except GoogleError as exc:
                _logger.warning(
                    "Book Me: Google busy time of account %s not read, availability "
                    "uses Odoo's data only: %s",
                    account.id,
                    exc,
                )
                for calendar in own:
                    if rows.get(calendar.id):
                        intervals.extend(json.loads(rows[calendar.id][3] or "[]"))
                continue
            for calendar in own:
                busy = answer.get(calendar.google_id, [])
                intervals.extend(busy)
                self._google_store(calendar, day_lo, day_hi, busy)
        pieces = [(_parse(start), _parse(end)) for start, end in intervals]
        pieces = _subtract(pieces, self._google_own_bookings(user, lo, hi))
        return [engine.Busy(start, end) for start, end in pieces if start < as_utc(hi) and end > as_utc(lo)]

    @api.model
    def _google_own_bookings(self, user, lo, hi):
        """Times of the host's active bookings that Book Me wrote to Google: Google reports
        them busy, but Odoo counts them already (with their buffers and seats)."""
        bookings = (
            self.env["bookme.booking"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "=", user.id),
                    ("google_event_id", "!=", False),
                    ("state", "in", ACTIVE_STATES),
                    ("start", "<", hi),
                    ("stop", ">", lo),
                ],
                ["start", "stop"],
            )
        )
        return [(as_utc(b.start), as_utc(b.stop)) for b in bookings]

    @api.model
    def _google_store(self, calendar, day_lo, day_hi, busy):
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO bookme_google_busy (calendar_id, date_from, date_to, fetched_at, busy)
            VALUES (%(cal)s, %(lo)s, %(hi)s, %(now)s, %(busy)s)
            ON CONFLICT (calendar_id) DO UPDATE SET date_from = EXCLUDED.date_from,
                date_to = EXCLUDED.date_to, fetched_at = EXCLUDED.fetched_at, busy = EXCLUDED.busy
            """,
                cal=calendar.id,
                lo=as_naive(day_lo),
                hi=as_naive(day_hi),
                now=fields.Datetime.now(),
                busy=json.dumps(busy),
            )
        )
        self.invalidate_model()
