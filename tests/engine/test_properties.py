"""Hypothesis property tests: random plans, busy items, bookings, buffers, zones, modes.

The central property compares the engine with ``reference.py``, a literal, brute-force
restatement of the rules; the others check the invariants directly.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from helpers import UTC
from hypothesis import assume, given
from hypothesis import strategies as st
from reference import conflicts, holding, merge, minus, plan_intervals, reference_slots

from engine import (
    Availability,
    Busy,
    ExistingBooking,
    Rules,
    WeeklyInterval,
    check_slot,
    compute_slots,
    group_by_day,
)

ZONES = [
    "UTC",
    "Europe/Oslo",
    "Europe/Rome",
    "Europe/Tallinn",
    "Asia/Jerusalem",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Chatham",
]
DST_DAYS = [
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2026, 3, 27),
    date(2026, 4, 5),
    date(2026, 10, 4),
    date(2018, 11, 4),
    date(2018, 2, 17),
    date(2026, 3, 8),
    date(2026, 11, 1),
    date(2026, 9, 27),
]
MODES = ["windows", "windows", "automatic", "semi_automatic", "manual"]

base_days = st.one_of(
    st.sampled_from(DST_DAYS), st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31))
)
five_min = st.integers(min_value=0, max_value=288)  # multiples of 5 minutes, up to a day


@st.composite
def spans(draw, max_size=3):
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        q = draw(st.integers(0, 95))  # quarter hours
        length = draw(st.integers(1, 48))
        out.append((q / 4, min(96, q + length) / 4))
    return out


@st.composite
def scenarios(draw):
    tz = draw(st.sampled_from(ZONES))
    base = draw(base_days)
    mode = draw(st.sampled_from(MODES))
    duration = draw(st.sampled_from([15, 20, 30, 45, 60, 90]))
    increment = draw(st.sampled_from([None, 5, 10, 15, 25, 30, 60]))
    weekly = []
    for day in range(7):
        weekly.extend(WeeklyInterval(day, a, b) for a, b in draw(spans()))
    overrides = {}
    for _ in range(draw(st.integers(0, 2))):
        overrides[base + timedelta(days=draw(st.integers(-1, 2)))] = tuple(draw(spans(2)))
    ws = datetime(base.year, base.month, base.day, tzinfo=UTC) + timedelta(
        minutes=5 * draw(st.integers(-144, 144))
    )
    we = ws + timedelta(minutes=5 * draw(st.integers(1, 600)))

    def when(lo=-288, hi=864):
        return ws + timedelta(minutes=5 * draw(st.integers(lo, hi)))

    time_off = []
    for _ in range(draw(st.integers(0, 2))):
        s = when()
        time_off.append((s, s + timedelta(minutes=5 * draw(five_min))))
    busy = []
    for _ in range(draw(st.integers(0, 10))):
        s = when()
        busy.append(
            Busy(
                s,
                s + timedelta(minutes=5 * draw(st.integers(0, 48))),
                draw(st.sampled_from([0, 0, 5, 10, 30])),
                draw(st.sampled_from([0, 0, 5, 10, 30])),
            )
        )
    bookings = []
    for _ in range(draw(st.integers(0, 6))):
        s = when()
        bookings.append(
            ExistingBooking(
                s,
                s + timedelta(minutes=duration),
                seats=draw(st.integers(1, 3)),
                pending=draw(st.booleans()),
                key=draw(st.integers(0, 5)),
            )
        )
    free = []
    if mode in ("semi_automatic", "manual"):
        for _ in range(draw(st.integers(0, 5))):
            s = when()
            free.append((s, s + timedelta(minutes=5 * draw(st.integers(0, 60)))))
    range_mode = draw(st.sampled_from(["indefinite", "indefinite", "rolling", "range"]))
    rules = Rules(
        duration=duration,
        mode=mode,
        increment=increment,
        min_notice=draw(st.sampled_from([0, 0, 30, 120, 600])),
        notice_next_day=draw(st.booleans()),
        date_range_mode=range_mode,
        rolling_days=draw(st.integers(0, 5)),
        date_from=draw(st.none() | st.just(base + timedelta(days=draw(st.integers(-2, 2))))),
        date_to=draw(st.none() | st.just(base + timedelta(days=draw(st.integers(-1, 3))))),
        daily_limit=draw(st.integers(0, 3)),
        buffer_before=draw(st.sampled_from([0, 0, 5, 10, 15, 30])),
        buffer_after=draw(st.sampled_from([0, 0, 5, 10, 15, 30])),
        capacity=draw(st.sampled_from([1, 1, 2, 3])),
        multiple_requests=draw(st.booleans()),
        min_gap=draw(st.sampled_from([0, 0, 30, 60, 120])),
    )
    return {
        "availability": Availability(tz, tuple(weekly), overrides, tuple(time_off)),
        "rules": rules,
        "window_start": ws,
        "window_end": we,
        "now": ws - timedelta(minutes=5 * draw(st.integers(-144, 1000))),
        "busy": busy,
        "bookings": bookings,
        "free_windows": free,
        "exclude_key": draw(st.none() | st.integers(0, 5)),
    }


def triples(slots):
    return [(s.start, s.end, s.seats_left) for s in slots]


@given(scenarios())
def test_engine_matches_brute_force_reference(sc):
    assert triples(compute_slots(**sc)) == reference_slots(**sc)


@given(scenarios())
def test_no_slot_touches_busy_time_or_holding_bookings_with_buffers(sc):
    rules = sc["rules"]
    gap = timedelta(minutes=max(rules.buffer_before, rules.buffer_after))
    hold = [b for b in sc["bookings"] if holding(b, rules, sc["exclude_key"])]
    for slot in compute_slots(**sc):
        for b in sc["busy"]:
            assert not conflicts(slot.start, slot.end, b, rules)
        for bk in hold:
            if bk.start != slot.start:
                assert slot.end + gap <= bk.start or slot.start >= bk.end + gap
        assert slot.seats_left >= 1
        assert slot.seats_left == rules.capacity - sum(b.seats for b in hold if b.start == slot.start)


@given(scenarios())
def test_every_slot_lies_inside_availability_and_aligns(sc):
    av, rules = sc["availability"], sc["rules"]
    zone = ZoneInfo(av.tz)
    step = rules.increment or rules.duration
    got = compute_slots(**sc)
    if rules.mode in ("windows", "automatic"):
        first = sc["window_start"].astimezone(zone).date() - timedelta(days=3)
        last = sc["window_end"].astimezone(zone).date() + timedelta(days=3)
        pieces = minus(plan_intervals(av, first, last), merge(av.time_off))
    else:
        pieces = [p for w in sc["free_windows"] for p in minus([w], merge(av.time_off))]
    for slot in got:
        assert sc["window_start"] <= slot.start < sc["window_end"]
        assert slot.start >= sc["now"] + timedelta(minutes=rules.min_notice)
        assert any(a <= slot.start and slot.end <= b for a, b in pieces)
        if rules.mode in ("windows", "automatic"):
            wall = slot.start.astimezone(zone)
            assert wall.second == 0 and (wall.hour * 60 + wall.minute) % step == 0
            assert slot.end - slot.start == timedelta(minutes=rules.duration)
        elif rules.mode == "semi_automatic":
            assert any(
                ws <= slot.start and (slot.start - ws) % timedelta(minutes=step) == timedelta(0)
                for ws, _ in sc["free_windows"]
            )
        else:
            assert (slot.start, slot.end) in sc["free_windows"]


@given(scenarios(), st.data())
def test_one_window_equals_two_adjacent_windows(sc, data):
    ws, we = sc["window_start"], sc["window_end"]
    cut = ws + (we - ws) * data.draw(st.floats(0, 1))
    whole = compute_slots(**sc)
    left = compute_slots(**{**sc, "window_end": cut})
    right = compute_slots(**{**sc, "window_start": cut})
    assert left + right == whole


@given(scenarios(), st.sampled_from(ZONES), st.sampled_from(ZONES))
def test_display_zone_only_groups(sc, z1, z2):
    got = compute_slots(**sc)
    for tz in (z1, z2):
        grouped = group_by_day(got, tz)
        assert [s for _, day in grouped for s in day] == got
        for day, items in grouped:
            assert all(s.start.astimezone(ZoneInfo(tz)).date() == day for s in items)
        assert [d for d, _ in grouped] == sorted({d for d, _ in grouped})


@given(scenarios(), st.data())
def test_booking_greedily_never_exceeds_daily_limit_or_capacity(sc, data):
    rules = sc["rules"]
    assume(rules.daily_limit > 0 or rules.capacity > 1)
    zone = ZoneInfo(sc["availability"].tz)
    bookings = list(sc["bookings"])

    def sessions_per_day(items):
        hold = [b for b in items if holding(b, rules, sc["exclude_key"])]
        days = {}
        for start in {b.start for b in hold}:
            d = start.astimezone(zone).date()
            days[d] = days.get(d, 0) + 1
        return days, hold

    before, _ = sessions_per_day(bookings)
    for i in range(4):
        got = compute_slots(**{**sc, "bookings": bookings})
        if not got:
            break
        slot = got[data.draw(st.integers(0, len(got) - 1))]
        seats = data.draw(st.integers(1, slot.seats_left))
        assert (
            check_slot(start=slot.start, seats=seats, **{**_minus_window(sc), "bookings": bookings}) == slot
        )
        bookings.append(ExistingBooking(slot.start, slot.end, seats=seats, key=100 + i))
    after, hold = sessions_per_day(bookings)
    if rules.daily_limit:
        for day, count in after.items():
            assert count <= max(rules.daily_limit, before.get(day, 0))
    new = [b for b in hold if isinstance(b.key, int) and b.key >= 100]
    for b in new:
        assert sum(x.seats for x in hold if x.start == b.start) <= rules.capacity


def _minus_window(sc):
    return {k: v for k, v in sc.items() if k not in ("window_start", "window_end")}


@given(scenarios(), st.data())
def test_check_slot_agrees_with_listing(sc, data):
    got = compute_slots(**sc)
    listed = {s.start: s for s in got}
    kw = _minus_window(sc)
    for slot in got[:5]:
        assert check_slot(start=slot.start, **kw) == slot
    span = sc["window_end"] - sc["window_start"]
    for _ in range(3):
        t = sc["window_start"] + span * data.draw(st.floats(0, 1))
        t = t.replace(second=0, microsecond=0)
        if t >= sc["window_end"]:
            continue
        res = check_slot(start=t, **kw)
        assert res == listed.get(t)
