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

**Which bookings are busy time** (:func:`split_bookings`, the one place that decides):
the caller hands over every booking of the host as a :class:`HostBooking`; bookings of
*this* event type become :class:`ExistingBooking` (seats, sessions, daily limit) and, in
``automatic`` mode, also busy time while they hold (only ``busy`` bounds the gaps
measured against ``min_gap`` there); bookings of *other* types are busy time carrying
their own type's buffers, unless they are requests their type lets others request too
(then they hold nothing).  A booking's ``calendar.event`` must not also be passed as busy,
or a group session could not be joined.

**Plain busy time** (``busy_spans``): calendar events carry no buffers of their own, so a
caller may merge them first (e.g. in the database) and pass epoch-second pairs; the union
is all that matters (widening by the type's buffers distributes over union).  A pair with
``end <= start`` is a zero-length busy instant (a cut).
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
    """Something already in the host's calendar (UTC ``datetime | int``, see
    :mod:`engine.localtime`), with that item's own buffers."""

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
    to leave a booking out of a check (reschedule, approval).  ``start``/``end``:
    ``datetime | int`` (see :mod:`engine.localtime`).
    """

    start: datetime
    end: datetime
    seats: int = 1
    pending: bool = False
    key: object = None


@dataclass(frozen=True)
class HostBooking:
    """Any booking of the host that may hold time (see :func:`split_bookings`).

    ``type_key``: its event type (compared with the listed type's key); ``buffer_before``
    / ``buffer_after``: its type's buffers (minutes); ``multiple_requests``: its type
    lets several clients request one slot (so a pending request holds nothing).
    """

    start: datetime
    end: datetime
    type_key: object
    seats: int = 1
    pending: bool = False
    key: object = None
    buffer_before: int = 0
    buffer_after: int = 0
    multiple_requests: bool = False


def split_bookings(
    host_bookings: Iterable[HostBooking], type_key: object, rules, exclude_key: object = None
) -> tuple[list[Busy], list[ExistingBooking]]:
    """``(busy, bookings)``: the host's bookings as the listing of type ``type_key`` with
    ``rules`` sees them (module docstring, "Which bookings are busy time")."""
    busy: list[Busy] = []
    own: list[ExistingBooking] = []
    automatic = rules.mode == "automatic"
    for b in host_bookings:
        if b.type_key == type_key:
            booking = ExistingBooking(b.start, b.end, seats=b.seats or 1, pending=b.pending, key=b.key)
            own.append(booking)
            if automatic and is_holding(booking, b.multiple_requests, exclude_key):
                busy.append(Busy(b.start, b.end))
        elif not (b.pending and b.multiple_requests):
            busy.append(Busy(b.start, b.end, b.buffer_before, b.buffer_after))
    return busy, own


def blocked_intervals(
    busy: Iterable[Busy],
    buffer_before: int,
    buffer_after: int,
    raw: bool = False,
    keep: Interval | None = None,
    spans: Iterable[Interval] = (),
) -> list[Interval]:
    """Normalised blocked intervals of busy items and plain busy ``spans`` (epoch
    seconds, no buffers of their own; see the module docstring).

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
        except TypeError:  # naive datetimes are UTC; ints are epoch seconds
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
    if raw:
        ba = bb = 0
    for s, e in spans:
        if e < s:
            e = s
        s -= ba
        e += bb
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
