"""Notice, horizon, daily limit, cancellation deadline and rule validation."""

from datetime import date, timedelta

import pytest
from helpers import hhmm, local, slots, utc, walls

from engine import Busy, ExistingBooking, Rules, can_cancel, for_host

OSLO = "Europe/Oslo"


def days_of(got, tz=OSLO):
    return sorted(set(walls(got, tz, "%Y-%m-%d")))


# --- notice ------------------------------------------------------------------------------


def test_min_notice():
    now = utc(2026, 3, 2, 9, 20)
    got = slots(
        spans=((9.0, 13.0),),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 3),
        now=now,
        rules={"duration": 30, "min_notice": 120},
    )
    assert hhmm(got, "UTC") == ["11:30", "12:00", "12:30"]  # 09:20 + 2 h = 11:20


def test_min_notice_boundary_is_inclusive():
    now = utc(2026, 3, 2, 9, 30)
    got = slots(
        spans=((9.0, 13.0),),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 3),
        now=now,
        rules={"duration": 30, "min_notice": 120},
    )
    assert hhmm(got, "UTC")[0] == "11:30"


def test_past_slots_are_never_offered():
    now = utc(2026, 3, 2, 10, 1)
    got = slots(
        spans=((9.0, 12.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 3), now=now, rules={"duration": 60}
    )
    assert hhmm(got, "UTC") == ["11:00"]


def test_notice_next_day_uses_host_local_midnight():
    # 23:30 UTC on Mar 2 is already Mar 3 00:30 in Oslo: "next day" is Mar 4 there.
    now = utc(2026, 3, 2, 23, 30)
    got = slots(
        OSLO,
        ((9.0, 10.0),),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 6),
        now=now,
        rules={"duration": 60, "notice_next_day": True},
    )
    assert days_of(got) == ["2026-03-04", "2026-03-05"]
    same = slots(
        OSLO, ((9.0, 10.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 6), now=now, rules={"duration": 60}
    )
    assert days_of(same) == ["2026-03-03", "2026-03-04", "2026-03-05"]


def test_notice_next_day_combines_with_min_notice():
    now = local(OSLO, 2026, 3, 2, 23, 0)
    got = slots(
        OSLO,
        ((0.0, 3.0), (9.0, 10.0)),
        start=utc(2026, 3, 2),
        end=local(OSLO, 2026, 3, 4),
        now=now,
        rules={"duration": 60, "notice_next_day": True, "min_notice": 180},
    )
    assert walls(got, OSLO) == ["2026-03-03 02:00", "2026-03-03 09:00"]


# --- horizon -----------------------------------------------------------------------------


def test_indefinite_horizon():
    got = slots(
        spans=((9.0, 10.0),),
        start=utc(2030, 1, 1),
        end=utc(2030, 1, 3),
        now=utc(2026, 1, 1),
        rules={"duration": 60},
    )
    assert len(got) == 2


def test_rolling_horizon_counts_today():
    now = local(OSLO, 2026, 3, 2, 8, 0)
    got = slots(
        OSLO,
        ((9.0, 10.0),),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 10),
        now=now,
        rules={"duration": 60, "date_range_mode": "rolling", "rolling_days": 3},
    )
    assert days_of(got) == ["2026-03-02", "2026-03-03", "2026-03-04"]
    none = slots(
        OSLO,
        ((9.0, 10.0),),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 10),
        now=now,
        rules={"duration": 60, "date_range_mode": "rolling", "rolling_days": 0},
    )
    assert none == []


def test_rolling_horizon_uses_host_day_not_utc_day():
    now = utc(2026, 3, 2, 23, 30)  # Mar 3 in Oslo
    got = slots(
        OSLO,
        ((0.0, 1.0), (9.0, 10.0)),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 10),
        now=now,
        rules={"duration": 60, "date_range_mode": "rolling", "rolling_days": 1},
    )
    assert walls(got, OSLO) == ["2026-03-03 09:00"]


def test_range_horizon_inclusive_local_dates():
    rules = {
        "duration": 60,
        "date_range_mode": "range",
        "date_from": date(2026, 3, 3),
        "date_to": date(2026, 3, 5),
    }
    got = slots(OSLO, ((0.0, 1.0), (23.0, 24.0)), start=utc(2026, 3, 1), end=utc(2026, 3, 10), rules=rules)
    assert walls(got, OSLO) == [
        "2026-03-03 00:00",
        "2026-03-03 23:00",
        "2026-03-04 00:00",
        "2026-03-04 23:00",
        "2026-03-05 00:00",
        "2026-03-05 23:00",
    ]


def test_range_horizon_open_bounds():
    got = slots(
        spans=((9.0, 10.0),),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 10),
        rules={"duration": 60, "date_range_mode": "range", "date_to": date(2026, 3, 2)},
    )
    assert days_of(got, "UTC") == ["2026-03-01", "2026-03-02"]
    got = slots(
        spans=((9.0, 10.0),),
        start=utc(2026, 3, 1),
        end=utc(2026, 3, 10),
        rules={"duration": 60, "date_range_mode": "range", "date_from": date(2026, 3, 8)},
    )
    assert days_of(got, "UTC") == ["2026-03-08", "2026-03-09"]


# --- daily limit -------------------------------------------------------------------------


def _bk(day, h, seats=1, **kw):
    start = utc(2026, 3, day, h)
    return ExistingBooking(start, start + timedelta(hours=1), seats=seats, **kw)


def test_daily_limit_individual():
    rules = {"duration": 60, "daily_limit": 2}
    bookings = [_bk(2, 9), _bk(2, 14), _bk(3, 9)]
    got = slots(
        spans=((9.0, 17.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 5), bookings=bookings, rules=rules
    )
    assert days_of(got, "UTC") == ["2026-03-03", "2026-03-04"]
    assert len([s for s in got if s.start.day == 3]) == 7  # one booked, the others stay open


def test_daily_limit_counts_days_in_host_zone():
    # booking at 23:30 UTC Mar 2 = Mar 3 in Oslo: it fills Mar 3 there, not Mar 2.
    start = utc(2026, 3, 2, 23, 30)
    bookings = [ExistingBooking(start, start + timedelta(minutes=30))]
    got = slots(
        OSLO,
        ((9.0, 12.0),),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 5),
        bookings=bookings,
        rules={"duration": 60, "daily_limit": 1},
    )
    assert days_of(got) == ["2026-03-02", "2026-03-04"]


def test_daily_limit_counts_bookings_outside_the_window():
    bookings = [_bk(2, 16)]
    got = slots(
        spans=((9.0, 17.0),),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 2, 12),
        bookings=bookings,
        rules={"duration": 60, "daily_limit": 1},
    )
    assert got == []


def test_daily_limit_group_sessions_stay_joinable():
    rules = {"duration": 60, "daily_limit": 2, "capacity": 10}
    bookings = [_bk(2, 9, 3), _bk(2, 9, 2), _bk(2, 11, 1)]
    got = slots(
        spans=((9.0, 14.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 3), bookings=bookings, rules=rules
    )
    assert [(h, s.seats_left) for h, s in zip(hhmm(got, "UTC"), got, strict=True)] == [
        ("09:00", 5),
        ("11:00", 9),
    ]


def test_daily_limit_group_below_limit_offers_new_sessions():
    rules = {"duration": 60, "daily_limit": 2, "capacity": 10}
    got = slots(
        spans=((9.0, 12.0),),
        start=utc(2026, 3, 2),
        end=utc(2026, 3, 3),
        bookings=[_bk(2, 9, 4), _bk(2, 9, 1)],
        rules=rules,
    )
    assert hhmm(got, "UTC") == ["09:00", "10:00", "11:00"]


@pytest.mark.parametrize("multiple, offered", [(False, 0), (True, 3)])
def test_daily_limit_and_pending_requests(multiple, offered):
    rules = {"duration": 60, "daily_limit": 1, "increment": 60, "multiple_requests": multiple}
    bookings = [_bk(2, 13, pending=True)]
    got = slots(
        spans=((9.0, 12.0),), start=utc(2026, 3, 2), end=utc(2026, 3, 3), bookings=bookings, rules=rules
    )
    assert len(got) == offered


def test_daily_limit_exclude_key_frees_the_day():
    rules = {"duration": 60, "daily_limit": 1}
    bookings = [_bk(2, 13, key=7)]
    kw = {
        "spans": ((9.0, 12.0),),
        "start": utc(2026, 3, 2),
        "end": utc(2026, 3, 3),
        "bookings": bookings,
        "rules": rules,
    }
    assert slots(**kw) == []
    assert len(slots(exclude_key=7, **kw)) == 3


# --- cancellation deadline -----------------------------------------------------------------


def test_can_cancel():
    start = utc(2026, 3, 2, 10)
    assert can_cancel(start, utc(2026, 3, 2, 10), 0)
    assert not can_cancel(start, utc(2026, 3, 2, 10, 0, 1), 0)
    assert can_cancel(start, utc(2026, 3, 1, 10), 24 * 60)
    assert not can_cancel(start, utc(2026, 3, 1, 10, 1), 24 * 60)
    assert can_cancel(start.replace(tzinfo=None), utc(2026, 3, 1, 10), 24 * 60)
    assert can_cancel(local(OSLO, 2026, 3, 2, 11), utc(2026, 3, 2, 10), 0)


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {"duration": 0},
        {"duration": 30, "mode": "magic"},
        {"duration": 30, "date_range_mode": "sometimes"},
        {"duration": 30, "increment": 0},
        {"duration": 30, "capacity": 0},
        {"duration": 30, "buffer_before": -5},
        {"duration": 30, "daily_limit": -1},
        {"duration": 30.5},
    ],
)
def test_rules_validation(kw):
    with pytest.raises(ValueError):
        Rules(**kw)


def test_rules_step_defaults_to_duration():
    assert Rules(duration=45).step == 45
    assert Rules(duration=45, increment=15).step == 15


# --- a host's decision on a request --------------------------------------------------------


def test_for_host_drops_notice_and_horizon_but_not_the_past_or_busy_time():
    now = utc(2026, 3, 2, 9, 20)
    guest = Rules(
        duration=30,
        min_notice=24 * 60,
        notice_next_day=True,
        date_range_mode="rolling",
        rolling_days=1,
        buffer_after=15,
        daily_limit=2,
    )
    host = for_host(guest)
    assert (host.min_notice, host.notice_next_day, host.date_range_mode) == (0, False, "indefinite")
    assert (host.buffer_after, host.daily_limit, host.duration) == (15, 2, 30)
    kw = {"spans": ((9.0, 11.0),), "start": utc(2026, 3, 2), "end": utc(2026, 3, 4), "now": now}
    assert slots(rules=guest, **kw) == []  # a day ahead is beyond notice or horizon
    got = slots(rules=host, **kw)
    # today from now on (never the past), and tomorrow
    assert hhmm(got, "UTC") == ["09:30", "10:00", "10:30", "09:00", "09:30", "10:00", "10:30"]
    busy = [Busy(utc(2026, 3, 3, 9), utc(2026, 3, 3, 10))]
    got = slots(rules=host, busy=busy, **kw)
    assert "2026-03-03 09:30" not in walls(got, "UTC", "%Y-%m-%d %H:%M")  # busy and its buffer
