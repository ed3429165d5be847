"""A deliberately naive reference implementation of the slot rules, for property tests.

It restates the documented semantics as literally as possible -- minute-by-minute
scanning, every slot tested against every busy item, ``zoneinfo`` calls everywhere -- and
shares no code with the engine except the input dataclasses.  Slow, but obviously right.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
MINUTE = timedelta(minutes=1)


def wall_to_utc(tz: str, day: date, hours: float) -> datetime:
    """Documented rule: unique -> it; ambiguous -> first occurrence; nonexistent -> the
    first existing wall time after it (= end of the gap)."""
    zone = ZoneInfo(tz)
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=round(hours * 60))
    while True:
        aware = naive.replace(tzinfo=zone)  # fold=0: first occurrence when ambiguous
        utc = aware.astimezone(UTC)
        if utc.astimezone(zone).replace(tzinfo=None) == naive:
            return utc
        naive += MINUTE  # nonexistent: walk to the end of the gap


def merge(intervals):
    out = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def minus(base, cuts):
    """Pieces of ``base`` not overlapping ``cuts``; a zero-length cut splits."""
    out = []
    for a, b in base:
        pieces = [(a, b)]
        for c, d in cuts:
            nxt = []
            for x, y in pieces:
                if d < x or c > y or (c == d and (c <= x or c >= y)):
                    nxt.append((x, y))
                    continue
                if x < c:
                    nxt.append((x, min(c, y)))
                if d < y:
                    nxt.append((max(d, x), y))
            pieces = [p for p in nxt if p[1] > p[0]]
        out.extend(pieces)
    return out


def plan_intervals(av, first: date, last: date):
    raw = []
    day = first
    while day <= last:
        if day in av.date_overrides:
            spans = av.date_overrides[day]
        else:
            spans = [(w.hour_from, w.hour_to) for w in av.weekly if w.weekday == day.weekday()]
        for hf, ht in spans:
            raw.append((wall_to_utc(av.tz, day, hf), wall_to_utc(av.tz, day, ht)))
        day += timedelta(days=1)
    return merge(raw)


def conflicts(s, e, b, rules) -> bool:
    """The spec's busy rule, verbatim."""
    after = timedelta(minutes=max(rules.buffer_after, b.buffer_before))
    before = timedelta(minutes=max(b.buffer_after, rules.buffer_before))
    return not (e + after <= b.start or s >= b.end + before)


def holding(bk, rules, exclude_key):
    if exclude_key is not None and bk.key == exclude_key:
        return False
    return not (bk.pending and rules.multiple_requests)


def reference_slots(
    *,
    availability,
    rules,
    window_start,
    window_end,
    now,
    busy=(),
    bookings=(),
    free_windows=(),
    exclude_key=None,
):
    zone = ZoneInfo(availability.tz)
    dur = timedelta(minutes=rules.duration)
    step = rules.increment or rules.duration
    time_off = merge(availability.time_off)

    def local_day(t):
        return t.astimezone(zone).date()

    # --- candidates (start, end, piece) by mode
    cands = []
    if rules.mode in ("windows", "automatic"):
        first = local_day(window_start) - timedelta(days=3)
        last = local_day(window_end) + timedelta(days=3)
        avail = minus(plan_intervals(availability, first, last), time_off)
        if rules.mode == "automatic":
            raw = sorted((b.start, b.end) for b in busy)
            gaps = minus(avail, raw)
            shortest = timedelta(minutes=max(rules.min_gap, rules.duration))
            avail = [g for g in gaps if g[1] - g[0] >= shortest]
        for a, b in avail:
            t = a
            while t + dur <= b:
                lt = t.astimezone(zone)
                if lt.second == 0 and (lt.hour * 60 + lt.minute) % step == 0:
                    cands.append((t, t + dur))
                t += MINUTE
    elif rules.mode == "semi_automatic":
        for ws, we in free_windows:
            pieces = minus([(ws, we)], time_off)
            t = ws
            while t + dur <= we:
                if any(a <= t and t + dur <= b for a, b in pieces):
                    cands.append((t, t + dur))
                t += timedelta(minutes=step)
    else:  # manual
        for ws, we in free_windows:
            if we > ws and minus([(ws, we)], time_off) == [(ws, we)]:
                cands.append((ws, we))
    best = {}
    for s, e in cands:
        if s not in best or e > best[s]:
            best[s] = e

    # --- filters
    hold = [bk for bk in bookings if holding(bk, rules, exclude_key)]
    seats = {}
    for bk in hold:
        seats[bk.start] = seats.get(bk.start, 0) + bk.seats
    sessions_per_day = {}
    for start in {bk.start for bk in hold}:
        d = local_day(start)
        sessions_per_day[d] = sessions_per_day.get(d, 0) + 1
    gap = max(rules.buffer_before, rules.buffer_after)
    today = local_day(now)

    out = []
    for s in sorted(best):
        e = best[s]
        if not (window_start <= s < window_end):
            continue
        if s < now + timedelta(minutes=rules.min_notice):
            continue
        d = local_day(s)
        if rules.notice_next_day and d <= today:
            continue
        if rules.date_range_mode == "rolling" and d >= today + timedelta(days=rules.rolling_days):
            continue
        if rules.date_range_mode == "range" and (
            (rules.date_from and d < rules.date_from) or (rules.date_to and d > rules.date_to)
        ):
            continue
        if any(conflicts(s, e, b, rules) for b in busy):
            continue
        left = rules.capacity - seats.get(s, 0)
        if left < 1:
            continue
        if any(
            bk.start != s
            and not (e + timedelta(minutes=gap) <= bk.start or s >= bk.end + timedelta(minutes=gap))
            for bk in hold
        ):
            continue
        if rules.daily_limit and s not in seats and sessions_per_day.get(d, 0) >= rules.daily_limit:
            continue
        out.append((s, e, left))
    return out
