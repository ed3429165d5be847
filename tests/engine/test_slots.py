"""Modes, busy time and buffers, alignment, seats, pending requests, check_slot, grouping."""

from datetime import date, timedelta

import pytest
from helpers import hhmm, local, slots, utc, walls, weekly

from engine import (
    DEFAULT_BUSINESS_HOURS,
    Availability,
    Busy,
    ExistingBooking,
    Rules,
    Slot,
    check_slot,
    compute_slots,
    group_by_day,
)

D0, D1 = utc(2026, 3, 2), utc(2026, 3, 3)  # a Monday (UTC day)


# --- modes -----------------------------------------------------------------------------


def test_windows_mode_steps_by_duration_by_default():
    got = slots(spans=((9.0, 12.0),), start=D0, end=D1, rules={"duration": 60})
    assert hhmm(got, "UTC") == ["09:00", "10:00", "11:00"]
    assert all(s.end - s.start == timedelta(hours=1) and s.seats_left == 1 for s in got)
    assert all(isinstance(s, Slot) and s.start.tzinfo is not None for s in got)


def test_windows_mode_ignores_free_windows():
    got = slots(spans=(), start=D0, end=D1, free_windows=[(utc(2026, 3, 2, 9), utc(2026, 3, 2, 12))])
    assert got == []


def test_semi_automatic_splits_free_windows_aligned_to_window_start():
    free = [(utc(2026, 3, 2, 9, 10), utc(2026, 3, 2, 11)), (utc(2026, 3, 2, 14), utc(2026, 3, 2, 15))]
    got = slots(
        spans=((0.0, 24.0),),  # weekly plan not used in this mode
        start=D0,
        end=D1,
        free_windows=free,
        rules={"duration": 30, "mode": "semi_automatic", "increment": 20},
    )
    assert hhmm(got, "UTC") == ["09:10", "09:30", "09:50", "10:10", "10:30", "14:00", "14:20"]


def test_semi_automatic_keeps_window_grid_around_time_off_and_busy():
    free = [(utc(2026, 3, 2, 9), utc(2026, 3, 2, 12))]
    av = Availability("UTC", time_off=((utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 10)),))
    got = slots(
        availability=av,
        start=D0,
        end=D1,
        free_windows=free,
        busy=[Busy(utc(2026, 3, 2, 11), utc(2026, 3, 2, 11, 15))],
        rules={"duration": 30, "mode": "semi_automatic"},
    )
    assert hhmm(got, "UTC") == ["09:30", "10:00", "10:30", "11:30"]


def test_semi_automatic_overlapping_windows_are_deduplicated():
    free = [(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)), (utc(2026, 3, 2, 9), utc(2026, 3, 2, 11))]
    got = slots(start=D0, end=D1, free_windows=free, rules={"duration": 30, "mode": "semi_automatic"})
    assert hhmm(got, "UTC") == ["09:00", "09:30", "10:00", "10:30"]


def test_manual_mode_one_slot_per_window_whole_length():
    free = [
        (utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 45)),
        (utc(2026, 3, 2, 13), utc(2026, 3, 2, 16)),
        (utc(2026, 3, 2, 17), utc(2026, 3, 2, 18)),  # hit by time off
        (utc(2026, 3, 2, 19), utc(2026, 3, 2, 20)),  # hit by busy
    ]
    av = Availability("UTC", time_off=((utc(2026, 3, 2, 17, 30), utc(2026, 3, 2, 17, 40)),))
    got = slots(
        availability=av,
        start=D0,
        end=D1,
        free_windows=free,
        busy=[Busy(utc(2026, 3, 2, 19, 50), utc(2026, 3, 2, 21))],
        rules={"duration": 15, "mode": "manual"},
    )
    assert [(s.start, s.end) for s in got] == [free[0], free[1]]


def test_manual_mode_check_slot_returns_the_window_end():
    free = [(utc(2026, 3, 2, 13), utc(2026, 3, 2, 16))]
    rules = Rules(duration=30, mode="manual")
    got = check_slot(
        start=utc(2026, 3, 2, 13),
        availability=Availability("UTC"),
        rules=rules,
        now=utc(2026, 1, 1),
        free_windows=free,
    )
    assert got is not None and got.end == utc(2026, 3, 2, 16)


def test_automatic_mode_uses_gaps_between_busy_items_in_business_hours():
    av = Availability("UTC", DEFAULT_BUSINESS_HOURS)
    busy = [
        Busy(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)),
        Busy(utc(2026, 3, 2, 10, 45), utc(2026, 3, 2, 11, 30)),
        Busy(utc(2026, 3, 2, 15, 0), utc(2026, 3, 2, 18, 0)),
    ]
    rules = Rules(duration=30, mode="automatic", min_gap=60)
    got = slots(availability=av, start=D0, end=D1, busy=busy, rules=rules)
    # gaps: 08-09 (60, kept), 10:00-10:45 (45 < min_gap), 11:30-12 (30 < 60), 18-19 (kept)
    assert hhmm(got, "UTC") == ["08:00", "08:30", "18:00", "18:30"]
    rules0 = Rules(duration=30, mode="automatic", min_gap=0)
    got0 = slots(availability=av, start=D0, end=D1, busy=busy, rules=rules0)
    assert hhmm(got0, "UTC") == ["08:00", "08:30", "10:00", "11:30", "18:00", "18:30"]


def test_automatic_mode_gap_must_also_hold_the_duration():
    av = Availability("UTC", weekly((9.0, 10.0)))
    busy = [Busy(utc(2026, 3, 2, 9, 40), utc(2026, 3, 2, 10))]
    got = slots(availability=av, start=D0, end=D1, busy=busy, rules={"duration": 45, "mode": "automatic"})
    assert got == []


def test_automatic_mode_aligns_to_local_clock_not_gap_start():
    av = Availability("UTC", weekly((9.0, 12.0)))
    busy = [Busy(utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 10))]
    got = slots(availability=av, start=D0, end=D1, busy=busy, rules={"duration": 30, "mode": "automatic"})
    assert hhmm(got, "UTC") == ["09:30", "10:00", "10:30", "11:00", "11:30"]


# --- busy and buffers ------------------------------------------------------------------


def test_busy_removes_overlapping_slots_only():
    busy = [Busy(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11))]
    got = slots(spans=((9.0, 12.0),), start=D0, end=D1, busy=busy, rules={"duration": 60})
    assert hhmm(got, "UTC") == ["09:00", "11:00"]


def test_buffers_use_the_larger_facing_buffer_not_the_sum():
    # busy 10:00-11:00; our buffers 15/15; its buffers 0/30
    busy = [Busy(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11), buffer_before=0, buffer_after=30)]
    rules = {"duration": 30, "increment": 15, "buffer_before": 15, "buffer_after": 15}
    got = slots(spans=((8.0, 13.0),), start=D0, end=D1, busy=busy, rules=rules)
    starts = hhmm(got, "UTC")
    # before: slot end + max(15, 0) <= 10:00  ->  last start 09:15
    assert "09:15" in starts and "09:30" not in starts
    # after: start >= 11:00 + max(30, 15) = 11:30 (not 11:45 = sum)
    assert "11:30" in starts and "11:15" not in starts


def test_busy_item_buffer_before_faces_our_buffer_after():
    busy = [Busy(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11), buffer_before=20)]
    rules = {"duration": 30, "increment": 5, "buffer_after": 10}
    got = hhmm(slots(spans=((8.0, 13.0),), start=D0, end=D1, busy=busy, rules=rules), "UTC")
    assert "09:10" in got and "09:15" not in got  # 09:10 + 30 + max(10, 20) = 10:00
    assert "11:00" in got


def test_adjacent_slot_without_buffers_is_fine():
    busy = [Busy(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11))]
    got = hhmm(slots(spans=((9.0, 12.0),), start=D0, end=D1, busy=busy, rules={"duration": 60}), "UTC")
    assert got == ["09:00", "11:00"]


def test_zero_length_busy_item_blocks_slots_containing_it():
    busy = [Busy(utc(2026, 3, 2, 10, 30), utc(2026, 3, 2, 10, 30))]
    got = hhmm(
        slots(spans=((9.0, 12.0),), start=D0, end=D1, busy=busy, rules={"duration": 60, "increment": 30}),
        "UTC",
    )
    assert got == ["09:00", "09:30", "10:30", "11:00"]


def test_buffers_do_not_apply_to_availability_edges():
    rules = {"duration": 60, "buffer_before": 30, "buffer_after": 30}
    got = hhmm(slots(spans=((9.0, 11.0),), start=D0, end=D1, rules=rules), "UTC")
    assert got == ["09:00", "10:00"]


def test_slot_must_fit_inside_one_continuous_interval():
    got = hhmm(
        slots(spans=((9.0, 10.5), (11.0, 12.0)), start=D0, end=D1, rules={"duration": 60, "increment": 30}),
        "UTC",
    )
    assert got == ["09:00", "09:30", "11:00"]
    merged = hhmm(
        slots(spans=((9.0, 10.5), (10.5, 12.0)), start=D0, end=D1, rules={"duration": 60, "increment": 30}),
        "UTC",
    )
    assert merged == ["09:00", "09:30", "10:00", "10:30", "11:00"]


# --- alignment -------------------------------------------------------------------------


def test_increment_aligns_to_local_quarter_hours():
    got = slots(spans=((9.1, 10.5),), start=D0, end=D1, rules={"duration": 30, "increment": 15})
    assert hhmm(got, "UTC") == ["09:15", "09:30", "09:45", "10:00"]


@pytest.mark.parametrize("tz", ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "Pacific/Chatham"])
def test_alignment_follows_local_wall_clock_in_odd_offset_zones(tz):
    got = slots(
        tz,
        ((9.0, 12.0),),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 3),
        rules={"duration": 60, "increment": 60},
    )
    assert set(hhmm(got, tz)) == {"09:00", "10:00", "11:00"}
    got15 = slots(
        tz,
        ((9.0, 10.0),),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 3),
        rules={"duration": 15, "increment": 15},
    )
    assert set(hhmm(got15, tz)) == {"09:00", "09:15", "09:30", "09:45"}


def test_kathmandu_utc_instants():
    got = slots(
        "Asia/Kathmandu", ((9.0, 10.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 3), rules={"duration": 30}
    )
    assert [s.start for s in got] == [utc(2026, 3, 2, 3, 15), utc(2026, 3, 2, 3, 45)]


def test_increment_not_dividing_a_day_restarts_at_local_midnight():
    got = slots(spans=((0.0, 24.0),), start=D0, end=utc(2026, 3, 4), rules={"duration": 25, "increment": 25})
    days = group_by_day(got, "UTC")
    assert [hhmm(d[1], "UTC")[:3] for d in days] == [["00:00", "00:25", "00:50"]] * 2
    assert hhmm(days[0][1], "UTC")[-2:] == ["23:20", "23:45"]


# --- seats, pending, exclude_key -----------------------------------------------------------


def _bk(h, m=0, **kw):
    start = utc(2026, 3, 2, h, m)
    return ExistingBooking(start, start + timedelta(hours=1), **kw)


def test_individual_booking_takes_its_slot_and_blocks_overlaps():
    got = slots(
        spans=((9.0, 12.0),), start=D0, end=D1, bookings=[_bk(10)], rules={"duration": 60, "increment": 30}
    )
    assert hhmm(got, "UTC") == ["09:00", "11:00"]


def test_group_capacity_and_seats_left():
    rules = {"duration": 60, "capacity": 5}
    bookings = [_bk(10, seats=2), _bk(10, seats=1), _bk(11, seats=5)]
    got = slots(spans=((9.0, 12.0),), start=D0, end=D1, bookings=bookings, rules=rules)
    assert [(h, s.seats_left) for h, s in zip(hhmm(got, "UTC"), got, strict=True)] == [
        ("09:00", 5),
        ("10:00", 2),
    ]


def test_group_session_overlapping_other_start_blocks():
    rules = {"duration": 60, "capacity": 5, "increment": 30}
    got = slots(spans=((9.0, 12.0),), start=D0, end=D1, bookings=[_bk(10, seats=1)], rules=rules)
    assert [(h, s.seats_left) for h, s in zip(hhmm(got, "UTC"), got, strict=True)] == [
        ("09:00", 5),
        ("10:00", 4),
        ("11:00", 5),
    ]


def test_bookings_of_this_type_use_its_buffers_with_max_rule():
    rules = {"duration": 60, "increment": 15, "buffer_before": 15, "buffer_after": 30}
    got = hhmm(slots(spans=((8.0, 14.0),), start=D0, end=D1, bookings=[_bk(10)], rules=rules), "UTC")
    assert "08:30" in got and "08:45" not in got  # 09:30 + 30 = 10:00
    assert "11:30" in got and "11:15" not in got  # 11:00 + max(30, 15)


@pytest.mark.parametrize("multiple", [False, True])
def test_pending_requests(multiple):
    rules = {"duration": 60, "multiple_requests": multiple}
    got = hhmm(
        slots(spans=((9.0, 12.0),), start=D0, end=D1, bookings=[_bk(10, pending=True)], rules=rules), "UTC"
    )
    assert got == (["09:00", "10:00", "11:00"] if multiple else ["09:00", "11:00"])


def test_pending_requests_hold_group_seats_unless_multiple_requests():
    bookings = [_bk(10, seats=2, pending=True), _bk(10, seats=1)]
    for multiple, left in ((False, 1), (True, 3)):
        rules = {"duration": 60, "capacity": 4, "multiple_requests": multiple}
        got = slots(spans=((10.0, 11.0),), start=D0, end=D1, bookings=bookings, rules=rules)
        assert [s.seats_left for s in got] == [left]


def test_exclude_key_ignores_that_booking():
    rules = {"duration": 60}
    bookings = [_bk(10, key=42)]
    assert "10:00" not in hhmm(
        slots(spans=((9.0, 12.0),), start=D0, end=D1, bookings=bookings, rules=rules), "UTC"
    )
    got = slots(spans=((9.0, 12.0),), start=D0, end=D1, bookings=bookings, rules=rules, exclude_key=42)
    assert hhmm(got, "UTC") == ["09:00", "10:00", "11:00"]
    # None never excludes bookings without a key
    assert (
        len(slots(spans=((9.0, 12.0),), start=D0, end=D1, bookings=[_bk(10)], rules=rules, exclude_key=None))
        == 2
    )


def test_approval_of_second_pending_request_fails_after_first_is_confirmed():
    av = Availability("UTC", weekly((9.0, 12.0)))
    rules = Rules(duration=60, multiple_requests=True)
    first, second = _bk(10, pending=True, key=1), _bk(10, pending=True, key=2)
    kw = {"availability": av, "rules": rules, "now": utc(2026, 1, 1)}
    # both requests coexist: the slot stays offered
    assert check_slot(start=utc(2026, 3, 2, 10), bookings=[first, second], exclude_key=1, **kw)
    confirmed = ExistingBooking(first.start, first.end, key=1)
    assert check_slot(start=utc(2026, 3, 2, 10), bookings=[confirmed, second], exclude_key=2, **kw) is None


# --- check_slot ------------------------------------------------------------------------


def test_check_slot_agrees_with_compute_slots():
    av = Availability("Europe/Oslo", weekly((9.0, 17.0)))
    rules = Rules(duration=45, increment=15, capacity=3, buffer_after=10)
    bookings = [ExistingBooking(utc(2026, 3, 2, 9), utc(2026, 3, 2, 9, 45), seats=2)]
    busy = [Busy(utc(2026, 3, 2, 12), utc(2026, 3, 2, 13))]
    kw = {"availability": av, "rules": rules, "now": utc(2026, 3, 1), "busy": busy, "bookings": bookings}
    listed = compute_slots(window_start=D0, window_end=D1, **kw)
    listed_starts = {s.start for s in listed}
    t = D0
    while t < D1:
        got = check_slot(start=t, **kw)
        assert (got is not None) == (t in listed_starts)
        if got:
            assert got in listed
        t += timedelta(minutes=5)
    full = next(s for s in listed if s.seats_left == 1)
    assert check_slot(start=full.start, seats=1, **kw) == full
    assert check_slot(start=full.start, seats=2, **kw) is None
    with pytest.raises(ValueError):
        check_slot(start=full.start, seats=0, **kw)


def test_check_slot_rejects_unaligned_or_subsecond_starts():
    av = Availability("UTC", weekly((9.0, 12.0)))
    kw = {"availability": av, "rules": Rules(duration=60), "now": utc(2026, 1, 1)}
    assert check_slot(start=utc(2026, 3, 2, 10), **kw) is not None
    assert check_slot(start=utc(2026, 3, 2, 10, 30), **kw) is None
    assert check_slot(start=utc(2026, 3, 2, 10) + timedelta(microseconds=1), **kw) is None
    # naive datetimes are UTC (Odoo's convention)
    assert check_slot(start=utc(2026, 3, 2, 10).replace(tzinfo=None), **kw) is not None


def test_check_slot_for_reschedule_excludes_the_booking_itself():
    av = Availability("UTC", weekly((9.0, 12.0)))
    rules = Rules(duration=60, increment=30)
    mine = ExistingBooking(utc(2026, 3, 2, 10), utc(2026, 3, 2, 11), key="b1")
    kw = {"availability": av, "rules": rules, "now": utc(2026, 1, 1), "bookings": [mine]}
    assert check_slot(start=utc(2026, 3, 2, 10, 30), **kw) is None
    assert check_slot(start=utc(2026, 3, 2, 10, 30), exclude_key="b1", **kw) is not None


# --- window and grouping -----------------------------------------------------------------


def test_window_is_on_the_start_and_half_open():
    got = slots(
        spans=((9.0, 12.0),), start=utc(2026, 3, 2, 10), end=utc(2026, 3, 2, 11), rules={"duration": 60}
    )
    assert hhmm(got, "UTC") == ["10:00"]
    assert slots(spans=((9.0, 12.0),), start=D1, end=D0) == []


def test_group_by_day_in_display_zones():
    got = slots(
        "Europe/Oslo", ((8.0, 10.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 4), rules={"duration": 60}
    )
    oslo = group_by_day(got, "Europe/Oslo")
    assert [d for d, _ in oslo] == [date(2026, 3, 2), date(2026, 3, 3)]
    la = group_by_day(got, "America/Los_Angeles")  # 08:00 Oslo = 23:00 the day before in LA
    assert [d for d, _ in la] == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    assert [s for _, day in la for s in day] == got
    assert group_by_day([], "UTC") == []


def test_results_are_sorted_and_unique():
    got = slots(
        "Europe/Oslo",
        ((8.0, 12.0), (10.0, 14.0)),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 9),
        rules={"duration": 30, "increment": 10},
    )
    starts = [s.start for s in got]
    assert starts == sorted(set(starts))
    assert walls(got, "Europe/Oslo")[0] == "2026-03-02 08:00"
    assert local("Europe/Oslo", 2026, 3, 2, 8) == got[0].start
