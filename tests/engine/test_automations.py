"""The automations' timing rules (engine/automations.py), without Odoo."""

from datetime import datetime, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import automations as au

UTC = timezone.utc
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


def booking(id, partner=1, etype=10, host=100, start=T0, minutes=60, state="confirmed", checkin=None):
    return au.Booking(
        id=id,
        partner_id=partner,
        event_type_id=etype,
        host_id=host,
        start=start,
        stop=start + timedelta(minutes=minutes),
        state=state,
        checked_in=checkin is not None,
        checkin_date=checkin,
    )


def rule(trigger, id=1, **kw):
    kw.setdefault("nth", 5 if trigger == "nth_checkin" else 0)
    kw.setdefault("days", 30 if trigger == "last_checkin_days_ago" else 0)
    if "types" in kw:
        kw["event_type_ids"] = frozenset(kw.pop("types"))
    return au.Rule(id=id, trigger=trigger, **kw)


# --- Rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "delay,unit,expected",
    [
        (0, "minutes", timedelta(0)),
        (45, "minutes", timedelta(minutes=45)),
        (3, "hours", timedelta(hours=3)),
        (2, "days", timedelta(days=2)),
    ],
)
def test_delay_units(delay, unit, expected):
    assert au.delay_of(rule("booked", delay=delay, delay_unit=unit)) == expected


def test_absence_delay_is_its_days():
    assert au.delay_of(rule("last_checkin_days_ago", days=60, delay=5, delay_unit="hours")) == timedelta(
        days=60
    )


@pytest.mark.parametrize(
    "kw",
    [
        {"trigger": "nope"},
        {"trigger": "booked", "delay_unit": "weeks"},
        {"trigger": "booked", "delay": -1},
        {"trigger": "nth_checkin", "nth": 7},
        {"trigger": "last_checkin_days_ago", "days": 0},
    ],
)
def test_invalid_rules(kw):
    with pytest.raises(ValueError):
        au.Rule(id=1, **kw)


def test_applies_to_types_and_host():
    b = booking(1, etype=10, host=100)
    assert au.applies(rule("booked"), b)
    assert au.applies(rule("booked", types={10, 11}), b)
    assert not au.applies(rule("booked", types={11}), b)
    assert au.applies(rule("booked", host_id=100), b)
    assert not au.applies(rule("booked", host_id=101), b)


# --- Event triggers -------------------------------------------------------------------------


def test_booked_due_after_delay_only_for_selected_types():
    rules = [
        rule("booked", id=1, delay=2, delay_unit="hours", types={10}),
        rule("booked", id=2, types={11}),
        rule("cancelled", id=3),
    ]
    at = T0 - timedelta(days=3)
    found = au.on_booked(rules, booking(7, etype=10), at)
    assert found == [au.Occasion(1, 7, 1, "booked:7", at + timedelta(hours=2))]


def test_cancelled():
    rules = [rule("booked", id=1), rule("cancelled", id=3)]
    found = au.on_cancelled(rules, booking(7, state="cancelled"), T0)
    assert [(o.rule_id, o.key, o.due_at) for o in found] == [(3, "cancelled:7", T0)]


@pytest.mark.parametrize("trigger", ["requested", "approved", "declined"])
def test_approval_triggers(trigger):
    rules = [rule(t, id=i) for i, t in enumerate(au.BOOKING_TRIGGERS, start=1)]
    found = au.on_booking_event(rules, trigger, booking(7), T0)
    assert [(o.key, o.due_at) for o in found] == [(f"{trigger}:7", T0)]


def test_checkin_is_no_booking_event():
    with pytest.raises(ValueError):
        au.on_booking_event([rule("checkin")], "checkin", booking(1), T0)


def test_once_per_client_key_is_the_client():
    found = au.on_booked([rule("booked", once_per_client=True)], booking(7, partner=42), T0)
    assert found[0].key == "client:42"
    again = au.on_booked([rule("booked", once_per_client=True)], booking(8, partner=42), T0)
    assert again[0].key == found[0].key


def checkins(n, partner=1, etype=10, first=T0):
    """``n`` checked-in bookings of one client, a week apart."""
    return [
        booking(
            i + 1,
            partner=partner,
            etype=etype,
            start=first + timedelta(weeks=i),
            checkin=first + timedelta(weeks=i, minutes=5),
        )
        for i in range(n)
    ]


def test_first_checkin_fires_on_the_first_only():
    history = checkins(3)
    rules = [rule("first_checkin", delay=1, delay_unit="days")]
    first = au.on_checkin(rules, history[0], history[:1])
    assert [(o.key, o.due_at) for o in first] == [
        ("first_checkin:1:1", history[0].checkin_date + timedelta(days=1))
    ]
    assert au.on_checkin(rules, history[1], history[:2]) == []


def test_nth_checkin_fires_on_the_xth_exactly():
    history = checkins(12)
    rules = [rule("nth_checkin", nth=10)]
    fired = [b.id for i, b in enumerate(history) if au.on_checkin(rules, b, history[: i + 1])]
    assert fired == [10]


def test_checkin_counts_only_the_rules_types():
    yoga = checkins(4, etype=10)
    other = [
        booking(
            100 + i, etype=11, start=T0 + timedelta(days=i, hours=3), checkin=T0 + timedelta(days=i, hours=3)
        )
        for i in range(6)
    ]
    history = yoga + other
    rules = [rule("nth_checkin", nth=5, types={10})]
    assert au.on_checkin(rules, yoga[3], history) == []
    fifth = booking(5, etype=10, start=T0 + timedelta(weeks=5), checkin=T0 + timedelta(weeks=5))
    assert [o.key for o in au.on_checkin(rules, fifth, [*history, fifth])] == ["nth_checkin:1:5"]


def test_every_checkin_fires_checkin_rule():
    history = checkins(3)
    rules = [rule("checkin")]
    keys = [o.key for i, b in enumerate(history) for o in au.on_checkin(rules, b, history[: i + 1])]
    assert keys == ["checkin:1", "checkin:2", "checkin:3"]


@given(st.permutations(list(range(1, 16))), st.sampled_from(au.NTH_VALUES))
def test_nth_fires_once_whatever_the_order_of_recording(order, nth):
    """Check-ins are ranked by check-in time, so however they are reported, exactly one
    booking is the Xth."""
    history = checkins(15)
    shuffled = [history[i - 1] for i in order]
    rules = [rule("nth_checkin", nth=nth)]
    fired = [o.booking_id for b in shuffled for o in au.on_checkin(rules, b, shuffled)]
    assert fired == [nth]


# --- Time triggers --------------------------------------------------------------------------


def test_session_start_and_end_with_delay():
    b = booking(1, start=T0, minutes=60)
    start = rule("session_start", id=1, delay=15, delay_unit="minutes")
    end = rule("session_end", id=2, delay=1, delay_unit="days")
    assert au.session_occasions(start, [b], T0, T0 + timedelta(minutes=14)) == []
    assert [o.due_at for o in au.session_occasions(start, [b], T0, T0 + timedelta(minutes=15))] == [
        T0 + timedelta(minutes=15)
    ]
    assert au.session_occasions(end, [b], T0, T0 + timedelta(days=1)) == []
    assert [o.key for o in au.session_occasions(end, [b], T0, T0 + timedelta(days=1, hours=1))] == [
        "session_end:1"
    ]


@pytest.mark.parametrize("state", ["cancelled", "declined", "requested"])
def test_no_session_rule_for_bookings_not_held(state):
    b = booking(1, state=state)
    for trigger in ("session_start", "session_end"):
        assert au.session_occasions(rule(trigger), [b], None, T0 + timedelta(days=1)) == []


def test_session_rules_never_reach_back_before_the_rule_was_armed():
    old = booking(1, start=T0 - timedelta(days=30))
    new = booking(2, start=T0 + timedelta(hours=1))
    r = rule("session_start", armed_at=T0)
    assert [o.booking_id for o in au.session_occasions(r, [old, new], None, T0 + timedelta(days=1))] == [2]


def test_session_window():
    r = rule("session_end", delay=2, delay_unit="hours", armed_at=T0)
    assert au.session_window(r, None, T0 + timedelta(hours=5)) == (
        T0 - timedelta(hours=2),
        T0 + timedelta(hours=3),
    )


@given(
    st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=8),
    st.lists(st.integers(min_value=0, max_value=3000), max_size=6),
)
def test_scans_in_pieces_find_each_session_once(offsets, cuts):
    """However the cron's runs cut time, each session occasion is found exactly once."""
    bookings = [booking(i + 1, start=T0 + timedelta(minutes=o)) for i, o in enumerate(offsets)]
    r = rule("session_start", delay=30)
    end = T0 + timedelta(minutes=4000)
    bounds = [None, *sorted(T0 + timedelta(minutes=c) for c in cuts), end]
    pieces = []
    for since, until in pairwise(bounds):
        pieces += au.session_occasions(r, bookings, since, until)
    whole = au.session_occasions(r, bookings, None, end)
    assert sorted(o.booking_id for o in pieces) == sorted(o.booking_id for o in whole)
    assert sorted(o.booking_id for o in whole) == [b.id for b in bookings]


def test_absence_fires_x_days_after_the_last_checkin():
    last = T0 + timedelta(days=10)
    bookings = [booking(1, checkin=T0), booking(2, start=last, checkin=last)]
    r = rule("last_checkin_days_ago", days=30)
    due = last + timedelta(days=30)
    assert au.absence_occasions(r, bookings, T0, due - timedelta(seconds=1)) == []
    found = au.absence_occasions(r, bookings, due - timedelta(hours=1), due)
    assert [(o.booking_id, o.key, o.due_at) for o in found] == [(2, "absent:1:2", due)]


def test_absence_not_if_the_client_came_back():
    """30 days after the first check-in the client had checked in again: not absent."""
    bookings = [
        booking(1, checkin=T0),
        booking(2, start=T0 + timedelta(days=20), checkin=T0 + timedelta(days=20)),
    ]
    r = rule("last_checkin_days_ago", days=30)
    assert au.absence_occasions(r, bookings, T0, T0 + timedelta(days=31)) == []


def test_absence_counts_only_the_rules_types():
    bookings = [
        booking(1, etype=10, checkin=T0),
        booking(2, etype=11, start=T0 + timedelta(days=20), checkin=T0 + timedelta(days=20)),
    ]
    r = rule("last_checkin_days_ago", days=30, types={10})
    assert [o.booking_id for o in au.absence_occasions(r, bookings, T0, T0 + timedelta(days=31))] == [1]


def test_absence_ignores_cancelled_and_unchecked_bookings():
    bookings = [
        booking(1, checkin=T0),
        booking(2, start=T0 + timedelta(days=3), checkin=T0 + timedelta(days=3), state="cancelled"),
        booking(3, start=T0 + timedelta(days=4)),
    ]
    r = rule("last_checkin_days_ago", days=30)
    assert [o.booking_id for o in au.absence_occasions(r, bookings, T0, T0 + timedelta(days=31))] == [1]


# --- At execution time ----------------------------------------------------------------------


def test_still_valid():
    held = booking(1, checkin=T0)
    cancelled = booking(1, state="cancelled")
    assert au.still_valid("booked", held)
    assert not au.still_valid("booked", cancelled)
    assert au.still_valid("cancelled", cancelled)
    assert not au.still_valid("cancelled", held)
    assert au.still_valid("checkin", held)
    assert not au.still_valid("first_checkin", booking(1))
    assert au.still_valid("session_end", held)
    assert not au.still_valid("session_start", cancelled)
    assert au.still_valid("last_checkin_days_ago", held, last_checkin_id=1)
    assert not au.still_valid("last_checkin_days_ago", held, last_checkin_id=2)
    assert au.still_valid("requested", booking(1, state="requested"))
    assert not au.still_valid("requested", held)
    assert au.still_valid("approved", held)
    assert not au.still_valid("approved", booking(1, state="declined"))
    assert au.still_valid("declined", booking(1, state="declined"))
    assert not au.still_valid("declined", held)


def test_bounded_retries():
    assert au.after_failure(1, T0) == ("pending", T0 + timedelta(minutes=10))
    assert au.after_failure(2, T0) == ("pending", T0 + timedelta(minutes=20))
    assert au.after_failure(au.MAX_ATTEMPTS, T0) == ("failed", None)


def test_session_wakeups():
    rules = [
        rule("session_start", id=1, delay=0),
        rule("session_end", id=2, delay=1, delay_unit="hours"),
        rule("booked", id=3),
        rule("session_end", id=4, types={99}),
    ]
    b = booking(1, start=T0, minutes=30)
    assert au.session_wakeups(rules, b) == [T0, T0 + timedelta(minutes=90)]
    assert au.session_wakeups(rules, booking(1, state="cancelled")) == []
