"""Interval algebra and epoch/zone helpers."""

from datetime import date, datetime, timedelta, timezone

import pytest
from helpers import utc

from engine.intervals import grid, intersect, normalize, subtract, total
from engine.localtime import (
    ZoneClock,
    as_utc,
    epoch_ceil,
    epoch_floor,
    get_zone,
    local_date,
    local_midnight,
    to_datetime,
    wall_to_epoch,
)


def test_normalize_sorts_and_merges_overlapping_and_touching():
    assert normalize([(5, 7), (1, 3), (3, 4), (6, 9), (20, 20)]) == [(1, 4), (5, 9)]


def test_normalize_keeps_points_as_cuts_when_asked():
    assert normalize([(5, 5), (1, 3), (3, 3), (2, 2)], keep_empty=True) == [(1, 3), (5, 5)]


def test_subtract_basic():
    assert subtract([(0, 10), (20, 30)], [(2, 4), (8, 22), (29, 40)]) == [
        (0, 2),
        (4, 8),
        (22, 29),
    ]


def test_subtract_zero_length_cut_splits_without_removing_time():
    pieces = subtract([(0, 10)], [(4, 4)])
    assert pieces == [(0, 4), (4, 10)]
    assert total(pieces) == 10


def test_subtract_cut_touching_or_outside_changes_nothing():
    assert subtract([(10, 20)], [(0, 10), (20, 30)]) == [(10, 20)]
    assert subtract([(10, 20)], [(10, 10), (20, 20)]) == [(10, 20)]


def test_subtract_keeps_base_items_separate_even_if_they_overlap():
    assert subtract([(0, 10), (5, 15)], []) == [(0, 10), (5, 15)]


def test_intersect():
    assert intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]


def test_grid_anchored():
    assert grid(10, 40, 0, 15) == [15, 30]
    assert grid(15, 45, 0, 15) == [15, 30, 45]
    assert grid(-10, 20, 5, 10) == [-5, 5, 15]
    assert grid(10, 5, 0, 1) == []


def test_epoch_floor_ceil_and_naive_is_utc():
    dt = utc(2026, 1, 2, 3, 4, 5)
    assert epoch_floor(dt) == epoch_ceil(dt) == int(dt.timestamp())
    assert epoch_floor(dt.replace(tzinfo=None)) == int(dt.timestamp())
    frac = dt + timedelta(microseconds=1)
    assert epoch_floor(frac) + 1 == epoch_ceil(frac)
    other = dt.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert epoch_floor(other) == epoch_floor(dt)
    assert to_datetime(epoch_floor(dt)) == dt
    assert to_datetime(0).tzinfo is timezone.utc
    assert as_utc(dt.replace(tzinfo=None)) == dt


def test_unknown_zone_is_a_value_error():
    with pytest.raises(ValueError):
        get_zone("Mars/Olympus_Mons")
    with pytest.raises(ValueError):
        get_zone("")


def test_wall_to_epoch_plain_and_midnight_24():
    t = wall_to_epoch("Asia/Kolkata", date(2026, 5, 4), 9 * 60)
    assert to_datetime(t) == utc(2026, 5, 4, 3, 30)
    assert wall_to_epoch("UTC", date(2026, 5, 4), 1440) == epoch_floor(utc(2026, 5, 5))
    assert local_midnight("UTC", date(2026, 5, 5)) == epoch_floor(utc(2026, 5, 5))


def test_zone_clock_offsets_and_days():
    lo, hi = epoch_floor(utc(2026, 3, 28)), epoch_floor(utc(2026, 3, 31))
    clock = ZoneClock("Europe/Oslo", lo, hi)
    assert clock.offsets == [3600, 7200]
    assert clock.starts[1] == epoch_floor(utc(2026, 3, 29, 1))
    ts = [lo, epoch_floor(utc(2026, 3, 29, 22, 30)), hi]
    days = clock.days(ts)
    assert [clock.day(t) for t in ts] == days
    zone = get_zone("Europe/Oslo")
    assert [date.fromordinal(719163 + d) for d in days] == [local_date(zone, t) for t in ts]
    # outside the range it falls back to zoneinfo
    far = epoch_floor(utc(2026, 7, 1))
    assert clock.offset(far) == 7200
    assert clock.segment(far)[0] == 7200


def test_clock_years_without_transitions():
    clock = ZoneClock("Asia/Kolkata", 0, epoch_floor(datetime(2030, 1, 1, tzinfo=timezone.utc)))
    assert clock.offsets == [19800]
