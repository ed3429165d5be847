"""Weekly plan, date overrides, time off, defaults and all-day busy items."""

from datetime import date, timedelta

import pytest
from helpers import hhmm, local, utc, walls, weekly

from engine import (
    DEFAULT_BUSINESS_HOURS,
    Availability,
    Rules,
    WeeklyInterval,
    all_day_busy,
    compute_slots,
)
from engine.availability import day_intervals, expand
from engine.localtime import epoch_floor, to_datetime

# 2026-03-02 is a Monday.
MON = date(2026, 3, 2)


def run(av, rules, start, end, **kw):
    return compute_slots(
        availability=av,
        rules=rules,
        window_start=start,
        window_end=end,
        now=utc(2026, 1, 1),
        **kw,
    )


def test_several_intervals_per_day():
    av = Availability("UTC", weekly((9.0, 10.0), (14.0, 15.5), days=[0]))
    got = run(av, Rules(duration=30), utc(2026, 3, 2), utc(2026, 3, 3))
    assert hhmm(got, "UTC") == ["09:00", "09:30", "14:00", "14:30", "15:00"]


def test_default_business_hours():
    assert len(DEFAULT_BUSINESS_HOURS) == 10
    av = Availability("Europe/Oslo", DEFAULT_BUSINESS_HOURS)
    got = run(av, Rules(duration=60), utc(2026, 3, 2), utc(2026, 3, 9))
    tz = "Europe/Oslo"
    assert hhmm(got[:8], tz) == ["08:00", "09:00", "10:00", "11:00", "15:00", "16:00", "17:00", "18:00"]
    assert len(got) == 5 * 8  # Saturday and Sunday closed


def test_hour_to_24_is_midnight_and_continues_into_next_day():
    av = Availability("UTC", (WeeklyInterval(0, 22.0, 24.0), WeeklyInterval(1, 0.0, 1.0)))
    got = run(av, Rules(duration=60, increment=30), utc(2026, 3, 2), utc(2026, 3, 4))
    # one continuous interval Mon 22:00 - Tue 01:00: a slot may straddle midnight
    assert walls(got, "UTC") == [
        "2026-03-02 22:00",
        "2026-03-02 22:30",
        "2026-03-02 23:00",
        "2026-03-02 23:30",
        "2026-03-03 00:00",
    ]


def test_hour_to_24_in_local_zone():
    av = Availability("Asia/Kolkata", (WeeklyInterval(0, 23.0, 24.0),))
    ((a, b),) = day_intervals(av, MON)
    assert to_datetime(a) == local("Asia/Kolkata", 2026, 3, 2, 23)
    assert to_datetime(b) == local("Asia/Kolkata", 2026, 3, 3, 0)


def test_override_opens_a_saturday():
    sat = date(2026, 3, 7)
    av = Availability("Europe/Rome", DEFAULT_BUSINESS_HOURS, {sat: ((10.0, 12.0),)})
    got = run(av, Rules(duration=60), utc(2026, 3, 7), utc(2026, 3, 9))
    assert walls(got, "Europe/Rome") == ["2026-03-07 10:00", "2026-03-07 11:00"]


def test_override_replaces_the_weekly_plan_of_that_date():
    av = Availability("UTC", weekly((9.0, 12.0)), {MON: ((13.0, 14.0), (16.0, 17.0))})
    got = run(av, Rules(duration=60), utc(2026, 3, 2), utc(2026, 3, 3))
    assert hhmm(got, "UTC") == ["13:00", "16:00"]


def test_override_with_empty_tuple_closes_the_day():
    av = Availability("UTC", weekly((9.0, 12.0)), {MON: ()})
    assert run(av, Rules(duration=60), utc(2026, 3, 2), utc(2026, 3, 3)) == []
    assert len(run(av, Rules(duration=60), utc(2026, 3, 3), utc(2026, 3, 4))) == 3


def test_time_off_removes_availability():
    av = Availability("UTC", weekly((9.0, 17.0)), time_off=((utc(2026, 3, 2, 10, 30), utc(2026, 3, 2, 14)),))
    got = run(av, Rules(duration=60, increment=30), utc(2026, 3, 2), utc(2026, 3, 3))
    assert hhmm(got, "UTC") == [
        "09:00",
        "09:30",
        "14:00",
        "14:30",
        "15:00",
        "15:30",
        "16:00",
    ]


def test_time_off_over_whole_days():
    av = Availability("UTC", weekly((9.0, 17.0)), time_off=((utc(2026, 3, 2), utc(2026, 3, 4)),))
    got = run(av, Rules(duration=60), utc(2026, 3, 2), utc(2026, 3, 5))
    assert {s.start.date() for s in got} == {date(2026, 3, 4)}


def test_expand_merges_and_covers_range():
    av = Availability("UTC", weekly((9.0, 12.0), (11.0, 13.0)))
    got = expand(av, epoch_floor(utc(2026, 3, 2)), epoch_floor(utc(2026, 3, 3)))
    assert (epoch_floor(utc(2026, 3, 2, 9)), epoch_floor(utc(2026, 3, 2, 13))) in got
    assert expand(Availability("UTC"), 0, 10) == []


def test_all_day_busy_covers_local_days_inclusive():
    busy = all_day_busy(date(2026, 3, 3), date(2026, 3, 4), "America/New_York")
    assert busy.start == local("America/New_York", 2026, 3, 3)
    assert busy.end == local("America/New_York", 2026, 3, 5)
    av = Availability("America/New_York", weekly((9.0, 17.0)))
    got = run(av, Rules(duration=60), utc(2026, 3, 2), utc(2026, 3, 7), busy=[busy])
    days = sorted(set(walls(got, "America/New_York", "%Y-%m-%d")))
    assert days == ["2026-03-02", "2026-03-05", "2026-03-06"]


def test_all_day_busy_on_a_dst_day_spans_the_23_hour_day():
    busy = all_day_busy(date(2026, 3, 29), date(2026, 3, 29), "Europe/Oslo")
    assert busy.end - busy.start == timedelta(hours=23)
    with pytest.raises(ValueError):
        all_day_busy(date(2026, 3, 2), date(2026, 3, 1), "UTC")


def test_validation():
    with pytest.raises(ValueError):
        WeeklyInterval(7, 9, 10)
    with pytest.raises(ValueError):
        WeeklyInterval(0, 10, 9)
    with pytest.raises(ValueError):
        WeeklyInterval(0, 9, 24.5)
    with pytest.raises(ValueError):
        Availability("Not/AZone")
    with pytest.raises(ValueError):
        Availability("UTC", date_overrides={MON: ((10.0, 9.0),)})
    with pytest.raises(TypeError):
        Availability("UTC", weekly=((0, 9.0, 10.0),))


def test_availability_is_immutable_and_hashable():
    av = Availability("UTC", [WeeklyInterval(0, 9, 10)], {MON: [(9, 10)]})
    assert isinstance(av.weekly, tuple)
    assert av.date_overrides[MON] == ((9.0, 10.0),)
    with pytest.raises(TypeError):
        av.date_overrides[MON] = ()
    hash(av)


def test_float_hours_round_to_minutes():
    av = Availability("UTC", (WeeklyInterval(0, 8.5, 9.75),))
    got = run(av, Rules(duration=15), utc(2026, 3, 2), utc(2026, 3, 3))
    assert hhmm(got, "UTC") == ["08:30", "08:45", "09:00", "09:15", "09:30"]
