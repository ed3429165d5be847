"""What a caller hands the engine: the span to gather, which bookings are busy time, plain
busy time as merged epoch spans, instants as epoch seconds.

The Odoo gathering (``models/bookme_scheduler.py``) reads the database by these rules;
here they are checked against the engine itself on random scenarios.
"""

from datetime import timedelta

from helpers import utc
from hypothesis import given
from hypothesis import strategies as st
from test_properties import scenarios, triples

from engine import (
    Busy,
    ExistingBooking,
    HostBooking,
    Rules,
    compute_slots,
    epoch_ceil,
    epoch_floor,
    gathering_span,
    split_bookings,
)
from engine.intervals import normalize


def overlaps(start, end, lo, hi):
    return end > lo and start < hi


@given(scenarios())
def test_data_outside_the_gathering_span_never_matters(sc):
    """Only what overlaps gathering_span(window) is needed (busy items by their buffered
    time): leaving out everything else gives the same slots."""
    rules = sc["rules"]
    lo, hi = gathering_span(rules, sc["window_start"], sc["window_end"])
    clipped = {
        **sc,
        "busy": [
            b
            for b in sc["busy"]
            if overlaps(
                b.start - timedelta(minutes=b.buffer_before),
                b.end + timedelta(minutes=b.buffer_after),
                lo,
                hi,
            )
            or (b.start == b.end and lo < b.start < hi)
        ],
        "bookings": [b for b in sc["bookings"] if overlaps(b.start, b.end, lo, hi)],
        "free_windows": [w for w in sc["free_windows"] if overlaps(*w, lo, hi)],
        "availability": sc["availability"].__class__(
            sc["availability"].tz,
            sc["availability"].weekly,
            sc["availability"].date_overrides,
            tuple(t for t in sc["availability"].time_off if overlaps(*t, lo, hi)),
        ),
    }
    assert triples(compute_slots(**clipped)) == triples(compute_slots(**sc))


def test_gathering_span_covers_day_rules_duration_and_buffers():
    start, end = utc(2030, 1, 7), utc(2030, 1, 8)
    lo, hi = gathering_span(Rules(duration=30, buffer_before=10, buffer_after=20), start, end)
    assert (start - lo, hi - end) == (
        timedelta(days=1, minutes=30 + 30),
        timedelta(days=1, minutes=30 + 30 + 30),
    )
    lo, hi = gathering_span(Rules(duration=30, mode="automatic", min_gap=120), start, end)
    assert (start - lo, hi - end) == (timedelta(days=1, minutes=120), timedelta(days=1, minutes=150))


@given(scenarios(), st.booleans())
def test_busy_spans_are_busy_items_without_buffers(sc, merged):
    """Busy items without buffers of their own may come as epoch-second pairs, merged or
    not, in any order: the slots are the same."""
    plain = [b for b in sc["busy"] if not (b.buffer_before or b.buffer_after)]
    rest = [b for b in sc["busy"] if b.buffer_before or b.buffer_after]
    spans = [(epoch_floor(b.start), epoch_ceil(b.end)) for b in plain]
    if merged:
        spans = normalize(spans, keep_empty=True)[::-1]
    assert triples(compute_slots(**{**sc, "busy": rest, "busy_spans": spans})) == triples(compute_slots(**sc))


@given(scenarios())
def test_instants_may_be_epoch_seconds(sc):
    as_epoch = {
        **sc,
        "busy": [
            Busy(epoch_floor(b.start), epoch_ceil(b.end), b.buffer_before, b.buffer_after) for b in sc["busy"]
        ],
        "bookings": [
            ExistingBooking(epoch_floor(b.start), epoch_ceil(b.end), b.seats, b.pending, b.key)
            for b in sc["bookings"]
        ],
    }
    assert triples(compute_slots(**as_epoch)) == triples(compute_slots(**sc))


T0 = utc(2030, 1, 7, 9)
T1 = utc(2030, 1, 7, 10)


def booking(type_key, pending=False, multiple=False, key=1):
    return HostBooking(
        T0,
        T1,
        type_key,
        seats=2,
        pending=pending,
        key=key,
        buffer_before=5,
        buffer_after=10,
        multiple_requests=multiple,
    )


def test_this_types_bookings_are_sessions_not_busy_time():
    busy, own = split_bookings([booking("call")], "call", Rules(duration=30))
    assert busy == []
    assert own == [ExistingBooking(T0, T1, seats=2, pending=False, key=1)]


def test_in_automatic_mode_this_types_holding_bookings_are_busy_time_too():
    rules = Rules(duration=30, mode="automatic")
    busy, own = split_bookings([booking("call")], "call", rules)
    assert busy == [Busy(T0, T1)] and len(own) == 1
    # Excluded (being rescheduled) or a request that holds nothing: a session only.
    assert split_bookings([booking("call")], "call", rules, exclude_key=1)[0] == []
    assert split_bookings([booking("call", pending=True, multiple=True)], "call", rules)[0] == []
    assert split_bookings([booking("call", pending=True)], "call", rules)[0] == [Busy(T0, T1)]


def test_other_types_bookings_are_busy_time_with_their_own_buffers():
    busy, own = split_bookings([booking("demo")], "call", Rules(duration=30))
    assert busy == [Busy(T0, T1, 5, 10)] and own == []
    # A request of a type that lets several clients request one slot holds nothing.
    assert split_bookings([booking("demo", pending=True, multiple=True)], "call", Rules(duration=30)) == (
        [],
        [],
    )
    assert split_bookings([booking("demo", pending=True)], "call", Rules(duration=30))[0] == [
        Busy(T0, T1, 5, 10)
    ]
