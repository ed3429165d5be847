"""Slot computation: :func:`compute_slots`, :func:`check_slot`, :func:`group_by_day`.

Pipeline (all in integer epoch seconds, each step a sort or a sweep, never
slots x busy):

1. **Availability** by mode (``rules.mode``):

   ``windows``
       the weekly plan with date overrides (:func:`engine.availability.expand`).
   ``automatic``
       the same plan used as business hours, minus time off and the *raw* (unbuffered)
       busy items; the remaining gaps shorter than ``max(min_gap, duration)`` are dropped.
   ``semi_automatic``
       each free window (the host's "free for appointment" events) on its own.
   ``manual``
       each free window is one candidate slot, its whole length (duration ignored).

2. **Cuts**: time off plus every busy item widened by the facing buffers (max rule, see
   :mod:`engine.busy`), merged once and subtracted from the availability.  What is left
   are *pieces*; a slot must fit entirely inside one piece, i.e. inside one continuous
   availability interval and clear of every busy item and its buffers.

3. **Starts**: in ``windows`` and ``automatic`` mode starts are aligned to the **local
   wall clock** of ``availability.tz``: a start is offered when its wall time, counted
   from local midnight, is a multiple of the increment (15 min -> :00, :15, :30, :45 local,
   also in Asia/Kolkata or Asia/Kathmandu; an increment that does not divide 24 h
   restarts at each local midnight).  On DST days this keeps slots on the wall clock:
   no start falls in a spring-forward gap, and the repeated fall-back hour offers both
   occurrences.  In ``semi_automatic`` mode starts are ``window start + k * increment``.
   A slot lasts ``duration`` minutes of real (UTC) time.

4. **Filters** per start: window, minimum notice, next-day notice, horizon, seats of the
   holding bookings with the same start, holding sessions at other starts (with this
   type's buffers), daily limit.

**Window property.** Whether a start is offered never depends on the requested window,
so ``[a, b)`` followed by ``[b, c)`` equals ``[a, c)`` -- provided the caller passes the
busy items, time off, free windows and bookings overlapping :func:`gathering_span` (the
window widened by one day plus ``max(duration, min_gap)`` plus the buffers on each side,
and by the duration at the end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .availability import Availability, expand, utc_intervals
from .busy import Busy, ExistingBooking, Sessions, blocked_intervals
from .intervals import Interval, grid, normalize, subtract
from .localtime import DAY, UTC, ZoneClock, as_utc, epoch_ceil, epoch_floor, get_zone, to_datetime
from .rules import Rules, day_bounds


@dataclass(frozen=True)
class Slot:
    """An offered slot: UTC start and end, and the seats still free (1 for individual types)."""

    start: datetime
    end: datetime
    seats_left: int


def clock_grid(clock: ZoneClock, first: int, last: int, step: int) -> list[int]:
    """Instants in ``[first, last]`` whose local wall time is a multiple of ``step`` seconds
    after local midnight (see module docstring), sorted."""
    out: list[int] = []
    t = first
    while t <= last:
        off, seg_end = clock.segment(t)
        stop = min(last + 1, seg_end)
        w = t + off
        day = w - w % DAY
        w = day - ((day - w) // step) * step  # first grid point >= w in this day
        if w >= day + DAY:
            day += DAY
            w = day
        tt = w - off
        while tt < stop:
            out.append(tt)
            w += step
            if w >= day + DAY:
                day += DAY
                w = day
            tt = w - off
        t = seg_end
    return out


def _candidates(
    availability: Availability,
    rules: Rules,
    busy: Sequence[Busy],
    free_windows: Sequence[tuple[datetime, datetime]],
    lo: int,
    hi: int,
    clock: ZoneClock,
    span: Interval,
    busy_spans: Sequence[Interval] = (),
) -> list[Interval]:
    """Sorted ``(start, end)`` candidates with ``lo <= start < hi`` that fit availability
    minus time off minus buffered busy time."""
    dur = rules.duration * 60
    step = rules.step * 60
    time_off = [iv for iv in utc_intervals(availability.time_off, widen=True) if iv[1] > iv[0]]
    mode = rules.mode
    keep = span
    if mode == "manual":  # a manual slot may end far after the window
        keep = (span[0], max([span[1]] + [epoch_ceil(end) for _, end in free_windows]))
    cuts = normalize(
        time_off
        + blocked_intervals(busy, rules.buffer_before, rules.buffer_after, keep=keep, spans=busy_spans),
        keep_empty=True,
    )
    out: list[Interval] = []

    if mode in ("windows", "automatic"):
        avail = expand(availability, span[0], span[1])
        if mode == "automatic":
            raw = normalize(
                time_off + blocked_intervals(busy, 0, 0, raw=True, keep=span, spans=busy_spans),
                keep_empty=True,
            )
            shortest = max(rules.min_gap * 60, dur)
            avail = [g for g in subtract(avail, raw) if g[1] - g[0] >= shortest]
        for a, b in subtract(avail, cuts):
            first, last = max(a, lo), min(b - dur, hi - 1)
            if first <= last:
                out.extend((s, s + dur) for s in clock_grid(clock, first, last, step))
        return out

    windows = [w for w in utc_intervals(free_windows, widen=False) if w[1] > w[0]]
    if mode == "manual":
        ends: dict[int, int] = {}
        for w in windows:
            if lo <= w[0] < hi and subtract([w], cuts) == [w] and w[1] > ends.get(w[0], 0):
                ends[w[0]] = w[1]
        return sorted(ends.items())

    # semi_automatic: a grid anchored at each window's start, deduplicated by start.
    starts: set[int] = set()
    for w in windows:
        if w[1] - dur < lo or w[0] >= hi:
            continue
        for a, b in subtract([w], cuts):
            starts.update(grid(max(a, lo), min(b - dur, hi - 1), w[0], step))
    return [(s, s + dur) for s in sorted(starts)]


def _span(rules: Rules, lo: int, hi: int) -> Interval:
    """What the computation of starts in ``[lo, hi)`` looks at (module docstring)."""
    dur = rules.duration * 60
    margin = DAY + max(dur, rules.min_gap * 60)
    return lo - margin, hi + dur + margin


def gathering_span(rules: Rules, window_start: datetime, window_end: datetime) -> tuple[datetime, datetime]:
    """``(lo, hi)``, aware UTC: the busy items, time off, free windows and bookings a
    caller must pass to :func:`compute_slots` for the window (those overlapping
    ``[lo, hi)``; more is harmless).  It is the span the computation looks at, widened by
    the type's buffers on each side.  Busy items with larger buffers of their own (other
    types' bookings) are needed when their *buffered* time overlaps it."""
    lo, hi = _span(rules, epoch_floor(window_start), epoch_ceil(window_end))
    buffers = (rules.buffer_before + rules.buffer_after) * 60
    return to_datetime(lo - buffers), to_datetime(hi + buffers)


def compute_slots(
    *,
    availability: Availability,
    rules: Rules,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    busy: Sequence[Busy] = (),
    bookings: Sequence[ExistingBooking] = (),
    free_windows: Sequence[tuple[datetime, datetime]] = (),
    exclude_key: object = None,
    busy_spans: Sequence[Interval] = (),
) -> list[Slot]:
    """The offered slots whose start lies in ``[window_start, window_end)``, sorted by start.

    ``availability``: weekly plan (``windows``/``automatic``), time off (all modes) and the
    host zone of the day-based rules.  ``free_windows``: UTC ``(start, end)`` pairs, the
    availability of ``semi_automatic``/``manual`` mode.  ``busy``: the host's busy items,
    including bookings of other event types (with their buffers); ``busy_spans``: more
    busy time as epoch-second pairs without buffers of their own (merged calendar
    events, see :mod:`engine.busy`).  ``bookings``: bookings of this event type.
    ``exclude_key``: a booking key to ignore (reschedule/approval).  Which of the host's
    bookings go where: :func:`engine.busy.split_bookings`; which data to pass:
    :func:`gathering_span`.  See the module docstring for the semantics and the window
    property.
    """
    lo = max(epoch_ceil(window_start), epoch_ceil(now) + rules.min_notice * 60)
    hi = epoch_ceil(window_end)
    if lo >= hi:
        return []
    span = _span(rules, lo, hi)
    clock = ZoneClock(availability.tz, span[0], span[1])

    cands = _candidates(availability, rules, busy, free_windows, lo, hi, clock, span, busy_spans)
    if not cands:
        return []

    sessions = Sessions(
        bookings, rules.multiple_requests, exclude_key, rules.buffer_before, rules.buffer_after
    )
    day_lo, day_hi = day_bounds(rules, clock.day(epoch_floor(now)))
    limit = rules.daily_limit
    per_day = sessions.per_day(clock.day) if limit else {}
    capacity = rules.capacity
    seats = sessions.seats

    out: list[Slot] = []
    stamps: dict[int, datetime] = {}

    def stamp(t: int) -> datetime:
        dt = stamps.get(t)
        if dt is None:
            dt = stamps[t] = datetime.fromtimestamp(t, UTC)
        return dt

    days = clock.days([s for s, _ in cands])
    for (s, e), d in zip(cands, days, strict=True):
        if (day_lo is not None and d < day_lo) or (day_hi is not None and d > day_hi):
            continue
        taken = seats.get(s)
        left = capacity - (taken or 0)
        if left < 1:
            continue
        if limit and taken is None and per_day.get(d, 0) >= limit:
            continue
        if sessions and sessions.blocks(s, e):
            continue
        out.append(Slot(stamp(s), stamp(e), left))
    return out


def check_slot(
    *,
    start: datetime,
    seats: int = 1,
    availability: Availability,
    rules: Rules,
    now: datetime,
    busy: Sequence[Busy] = (),
    bookings: Sequence[ExistingBooking] = (),
    free_windows: Sequence[tuple[datetime, datetime]] = (),
    exclude_key: object = None,
    busy_spans: Sequence[Interval] = (),
) -> Slot | None:
    """Is the slot starting exactly at ``start`` still bookable with ``seats`` seats?

    Returns the :class:`Slot` (``seats_left`` before this booking; its ``end`` is the end
    to book, which matters in ``manual`` mode) or None.  It runs :func:`compute_slots` on
    a one-second window at ``start``, so the two can never disagree.  Call it with the
    same inputs as the listing, inside the booking transaction; pass the booking being
    rescheduled or approved as ``exclude_key``.
    """
    if not isinstance(seats, int) or seats < 1:
        raise ValueError(f"seats must be a positive integer, got {seats!r}")
    start = as_utc(start)
    slots = compute_slots(
        availability=availability,
        rules=rules,
        window_start=start,
        window_end=start + timedelta(seconds=1),
        now=now,
        busy=busy,
        bookings=bookings,
        free_windows=free_windows,
        exclude_key=exclude_key,
        busy_spans=busy_spans,
    )
    for slot in slots:
        if slot.start == start and slot.seats_left >= seats:
            return slot
    return None


def group_by_day(slots: Sequence[Slot], tz: str) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by the local date of their start in display zone ``tz``, days in order.

    Only groups: the UTC instants are untouched.
    """
    zone = get_zone(tz)
    out: list[tuple[date, list[Slot]]] = []
    for slot in sorted(slots, key=lambda x: x.start):
        day = slot.start.astimezone(zone).date()
        if out and out[-1][0] == day:
            out[-1][1].append(slot)
        else:
            out.append((day, [slot]))
    return out
