"""What already occupies the host: calendar busy time and bookings of this event type.

**Busy items and buffers.**  A candidate slot ``[s, e)`` conflicts with busy item ``b``
unless::

    e + max(rules.buffer_after, b.buffer_before) <= b.start
    or s >= b.end + max(b.buffer_after, rules.buffer_before)

i.e. the gap between two facing items must be at least the *larger* of their two facing
buffers; buffers never add up.  Equivalently the slot must not overlap the *blocked
interval* ``[b.start - max(...), b.end + max(...))``, which lets the engine merge all
blocked intervals once and subtract them from availability with a sweep
(:func:`blocked_intervals`), instead of testing every slot against every item.  A
zero-length busy item still forbids slots that strictly contain its instant.

**Bookings of this event type** (:class:`ExistingBooking`).  A booking *holds* its slot
when it is not excluded (``key == exclude_key``) and it is confirmed, or pending while
``multiple_requests`` is False.  Holding bookings are grouped into *sessions* by start:

* seats: a slot's ``seats_left`` = capacity - seats of the holding bookings with the
  *same* start;
* blocking: a holding session at a *different* start blocks overlapping slots like a busy
  item carrying this type's own buffers (gap >= max(buffer_before, buffer_after)); a group
  session at the same start is shared, never busy;
* daily limit: sessions are counted per local day of the host zone.

Non-holding bookings (pending with ``multiple_requests`` True, or excluded) count for
nothing.

What the caller passes where: bookings of *other* event types as :class:`Busy` (with
their type's buffers); bookings of *this* type as :class:`ExistingBooking` -- and their
``calendar.event`` must not also be passed as busy for group types, or their sessions
could not be joined (for individual types it is harmless).  In ``automatic`` mode only
``busy`` bounds the gaps measured against ``min_gap``, so the host's calendar events
(Book Me bookings included) belong in ``busy`` there.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .intervals import Interval, normalize
from .localtime import DAY, EPOCH, epoch_ceil, epoch_floor, local_midnight, to_datetime


@dataclass(frozen=True)
class Busy:
    """Something already in the host's calendar (UTC), with that item's own buffers."""

    start: datetime
    end: datetime
    buffer_before: int = 0  # minutes
    buffer_after: int = 0  # minutes


def all_day_busy(first_day: date, last_day: date, tz: str) -> Busy:
    """An all-day event covering local days ``first_day``..``last_day`` inclusive in ``tz``.

    It runs from local midnight of ``first_day`` to local midnight after ``last_day``
    (wall-clock midnights, so a 23- or 25-hour DST day is covered exactly).
    """
    if last_day < first_day:
        raise ValueError("last_day before first_day")
    start = local_midnight(tz, first_day)
    end = local_midnight(tz, last_day + timedelta(days=1))
    return Busy(to_datetime(start), to_datetime(end))


@dataclass(frozen=True)
class ExistingBooking:
    """A booking of *this* event type (capacity, daily limit, pending handling).

    ``pending`` = state "requested"; ``key`` is the caller's id, used by ``exclude_key``
    to leave a booking out of a check (reschedule, approval).
    """

    start: datetime
    end: datetime
    seats: int = 1
    pending: bool = False
    key: object = None


def blocked_intervals(
    busy: Iterable[Busy],
    buffer_before: int,
    buffer_after: int,
    raw: bool = False,
    keep: Interval | None = None,
) -> list[Interval]:
    """Normalised blocked intervals of busy items (epoch seconds).

    With ``raw`` the buffers are ignored (automatic mode's gaps between events).
    Zero-length results are kept as cuts (see :mod:`engine.intervals`).  With ``keep``
    only the intervals touching that range are returned (the rest cannot matter).
    """
    ba = buffer_after * 60
    bb = buffer_before * 60
    lo, hi = keep if keep is not None else (-(1 << 62), 1 << 62)
    out = []
    append = out.append
    epoch = EPOCH
    for b in busy:
        try:  # inlined epoch_floor / epoch_ceil: this loop is the O(N) part of the engine
            td = b.start - epoch
            s = td.days * DAY + td.seconds
            td = b.end - epoch
            e = td.days * DAY + td.seconds + (1 if td.microseconds else 0)
        except TypeError:  # naive datetimes are UTC
            s, e = epoch_floor(b.start), epoch_ceil(b.end)
        if e < s:
            e = s
        if not raw:
            before = b.buffer_before * 60
            after = b.buffer_after * 60
            s -= before if before > ba else ba
            e += after if after > bb else bb
        if e >= lo and s <= hi:
            append((s, e))
    return normalize(out, keep_empty=True)


def is_holding(booking: ExistingBooking, multiple_requests: bool, exclude_key: object) -> bool:
    """Does this booking hold its slot (seats, busy, daily limit)?"""
    if exclude_key is not None and booking.key == exclude_key:
        return False
    return not (booking.pending and multiple_requests)


class Sessions:
    """Holding bookings of this type grouped by start (epoch seconds)."""

    def __init__(
        self,
        bookings: Sequence[ExistingBooking],
        multiple_requests: bool,
        exclude_key: object,
        buffer_before: int,
        buffer_after: int,
    ):
        seats: dict[int, int] = {}
        ends: dict[int, int] = {}
        for bk in bookings:
            if not is_holding(bk, multiple_requests, exclude_key):
                continue
            s = epoch_floor(bk.start)
            e = max(s, epoch_ceil(bk.end))
            seats[s] = seats.get(s, 0) + bk.seats
            if e > ends.get(s, s - 1):
                ends[s] = e
        self.seats = seats
        self.starts = sorted(ends)
        self.ends = [ends[s] for s in self.starts]
        self.max_len = max((e - s for s, e in zip(self.starts, self.ends, strict=True)), default=0)
        self.gap = max(buffer_before, buffer_after) * 60

    def __bool__(self) -> bool:
        return bool(self.starts)

    def seats_taken(self, start: int) -> int:
        return self.seats.get(start, 0)

    def blocks(self, s: int, e: int) -> bool:
        """Does a holding session at another start than ``s`` conflict with ``[s, e)``?"""
        gap = self.gap
        starts, ends = self.starts, self.ends
        i = bisect.bisect_left(starts, s - gap - self.max_len)
        stop = bisect.bisect_left(starts, e + gap)
        while i < stop:
            if starts[i] != s and ends[i] + gap > s:
                return True
            i += 1
        return False

    def per_day(self, day_of) -> dict[int, int]:
        """Number of sessions per local day number (``day_of(epoch) -> day number``)."""
        counts: dict[int, int] = {}
        for s in self.starts:
            d = day_of(s)
            counts[d] = counts.get(d, 0) + 1
        return counts
