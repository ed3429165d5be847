"""Daylight-saving time: slots stay on the host's wall clock.

Documented behaviour (engine.localtime):
* nonexistent wall time (spring-forward gap) -> the end of the gap (transition instant);
* ambiguous wall time (fall-back) -> its first occurrence;
* slot starts are aligned on the wall clock, so none falls in a gap and the repeated
  fall-back hour offers both occurrences.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import EVERY_DAY_ALL_DAY, hhmm, local, slots, utc, walls

from engine import (
    Availability,
    ExistingBooking,
    Rules,
    all_day_busy,
    compute_slots,
    group_by_day,
)
from engine.localtime import local_midnight, to_datetime, wall_to_epoch

# (zone, local date of a transition, kind)
TRANSITIONS = [
    ("Europe/Oslo", date(2026, 3, 29), "spring"),
    ("Europe/Oslo", date(2026, 10, 25), "fall"),
    ("Europe/Rome", date(2026, 3, 29), "spring"),
    ("Europe/Rome", date(2026, 10, 25), "fall"),
    ("Europe/Tallinn", date(2026, 3, 29), "spring"),
    ("Europe/Tallinn", date(2026, 10, 25), "fall"),
    ("Asia/Jerusalem", date(2026, 3, 27), "spring"),
    ("Asia/Jerusalem", date(2026, 10, 25), "fall"),
    ("Australia/Sydney", date(2026, 10, 4), "spring"),
    ("Australia/Sydney", date(2026, 4, 5), "fall"),
    ("Australia/Lord_Howe", date(2026, 10, 4), "spring"),
    ("Australia/Lord_Howe", date(2026, 4, 5), "fall"),
    ("America/Sao_Paulo", date(2018, 11, 4), "spring"),
    ("America/Sao_Paulo", date(2018, 2, 17), "fall"),
]


def window(tz, day, before=1, after=2):
    return local(tz, *(day - timedelta(days=before)).timetuple()[:3]), local(
        tz, *(day + timedelta(days=after)).timetuple()[:3]
    )


@pytest.mark.parametrize("tz, day, kind", TRANSITIONS)
def test_business_hours_stay_on_the_wall_clock(tz, day, kind):
    start, end = window(tz, day)
    got = slots(
        tz, ((8.0, 12.0),), start=start, end=end, now=utc(2000, 1, 1), rules={"duration": 30, "increment": 30}
    )
    days = group_by_day(got, tz)
    assert len(days) == 3
    for _, day_slots in days:
        assert hhmm(day_slots, tz) == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
        assert all(s.end - s.start == timedelta(minutes=30) for s in day_slots)
    offsets = [day_slots[0].start.astimezone(ZoneInfo(tz)).utcoffset() for _, day_slots in days]
    assert offsets[0] != offsets[-1]  # the UTC instants did move by the DST shift


@pytest.mark.parametrize("tz, day, kind", TRANSITIONS)
def test_all_day_plan_has_the_real_length_of_the_local_day(tz, day, kind):
    av = Availability(tz, EVERY_DAY_ALL_DAY)
    lo, hi = local_midnight(tz, day), local_midnight(tz, day + timedelta(days=1))
    hours = (hi - lo) / 3600
    assert hours == (23 if kind == "spring" else 25) or (
        tz == "Australia/Lord_Howe" and hours == (23.5 if kind == "spring" else 24.5)
    )
    got = compute_slots(
        availability=av,
        rules=Rules(duration=30, increment=30),
        window_start=to_datetime(lo),
        window_end=to_datetime(hi),
        now=utc(2000, 1, 1),
    )
    assert len(got) == hours * 2
    stamps = hhmm(got, tz)
    if kind == "spring":
        assert len(set(stamps)) == len(stamps)  # no duplicate, some wall times skipped
    else:
        assert len(set(stamps)) < len(stamps)  # the repeated half hours appear twice
    assert [s.start for s in got] == sorted({s.start for s in got})


def test_oslo_spring_forward_gap_slots():
    tz = "Europe/Oslo"
    got = slots(
        tz,
        ((0.0, 24.0),),
        start=local(tz, 2026, 3, 29, 1),
        end=local(tz, 2026, 3, 29, 4),
        rules={"duration": 15, "increment": 15},
    )
    assert walls(got, tz, "%H:%M%z") == [
        "01:00+0100",
        "01:15+0100",
        "01:30+0100",
        "01:45+0100",
        "03:00+0200",
        "03:15+0200",
        "03:30+0200",
        "03:45+0200",
    ]


def test_nonexistent_time_maps_to_the_end_of_the_gap():
    tz = "Europe/Oslo"
    t = to_datetime(wall_to_epoch(tz, date(2026, 3, 29), 150))  # 02:30 does not exist
    assert t == utc(2026, 3, 29, 1) == local(tz, 2026, 3, 29, 3)
    # An availability starting inside the gap starts at 03:00 CEST ...
    av = Availability(tz, (), {date(2026, 3, 29): ((2.5, 5.0),)})
    got = compute_slots(
        availability=av,
        rules=Rules(duration=60),
        now=utc(2000, 1, 1),
        window_start=utc(2026, 3, 28),
        window_end=utc(2026, 3, 30),
    )
    assert walls(got, tz, "%H:%M%z") == ["03:00+0200", "04:00+0200"]
    # ... and one ending inside the gap ends at the transition.
    av = Availability(tz, (), {date(2026, 3, 29): ((1.0, 2.5),)})
    got = compute_slots(
        availability=av,
        rules=Rules(duration=30),
        now=utc(2000, 1, 1),
        window_start=utc(2026, 3, 28),
        window_end=utc(2026, 3, 30),
    )
    assert walls(got, tz, "%H:%M%z") == ["01:00+0100", "01:30+0100"]


def test_ambiguous_time_maps_to_first_occurrence():
    tz = "Europe/Oslo"
    t = to_datetime(wall_to_epoch(tz, date(2026, 10, 25), 150))  # 02:30 happens twice
    assert t == local(tz, 2026, 10, 25, 2, 30, fold=0) == utc(2026, 10, 25, 0, 30)
    # interval ending at 02:30 ends at the first 02:30: the repeated hour is not included
    av = Availability(tz, (), {date(2026, 10, 25): ((1.0, 2.5),)})
    got = compute_slots(
        availability=av,
        rules=Rules(duration=30),
        now=utc(2000, 1, 1),
        window_start=utc(2026, 10, 24),
        window_end=utc(2026, 10, 26),
    )
    assert walls(got, tz, "%H:%M%z") == ["01:00+0200", "01:30+0200", "02:00+0200"]
    # interval starting at 02:30 starts at the first 02:30 and runs continuously
    av = Availability(tz, (), {date(2026, 10, 25): ((2.5, 4.0),)})
    got = compute_slots(
        availability=av,
        rules=Rules(duration=30),
        now=utc(2000, 1, 1),
        window_start=utc(2026, 10, 24),
        window_end=utc(2026, 10, 26),
    )
    assert walls(got, tz, "%H:%M%z") == [
        "02:30+0200",
        "02:00+0100",
        "02:30+0100",
        "03:00+0100",
        "03:30+0100",
    ]


def test_oslo_fall_back_offers_both_occurrences_of_the_hour():
    tz = "Europe/Oslo"
    got = slots(
        tz, ((1.0, 4.0),), start=utc(2026, 10, 24, 12), end=utc(2026, 10, 25, 12), rules={"duration": 60}
    )
    assert walls(got, tz, "%H:%M%z") == ["01:00+0200", "02:00+0200", "02:00+0100", "03:00+0100"]


def test_slot_across_spring_forward_lasts_real_duration():
    tz = "Europe/Oslo"
    got = slots(
        tz,
        ((1.0, 4.0),),
        start=utc(2026, 3, 28, 12),
        end=utc(2026, 3, 29, 12),
        rules={"duration": 60, "increment": 30},
    )
    assert walls(got, tz, "%H:%M%z") == ["01:00+0100", "01:30+0100", "03:00+0200"]
    assert got[1].end.astimezone(ZoneInfo(tz)).strftime("%H:%M") == "03:30"


def test_lord_howe_thirty_minute_shift():
    tz = "Australia/Lord_Howe"
    spring = slots(
        tz, ((0.0, 4.0),), start=local(tz, 2026, 10, 4), end=local(tz, 2026, 10, 5), rules={"duration": 30}
    )
    assert walls(spring, tz, "%H:%M%z") == [
        "00:00+1030",
        "00:30+1030",
        "01:00+1030",
        "01:30+1030",
        "02:30+1100",
        "03:00+1100",
        "03:30+1100",
    ]
    fall = slots(
        tz, ((0.0, 3.0),), start=local(tz, 2026, 4, 5), end=local(tz, 2026, 4, 6), rules={"duration": 30}
    )
    assert walls(fall, tz, "%H:%M%z") == [
        "00:00+1100",
        "00:30+1100",
        "01:00+1100",
        "01:30+1100",
        "01:30+1030",
        "02:00+1030",
        "02:30+1030",
    ]
    gap = to_datetime(wall_to_epoch(tz, date(2026, 10, 4), 2 * 60 + 15))
    assert gap == local(tz, 2026, 10, 4, 2, 30)


def test_sao_paulo_2018_midnight_does_not_exist():
    tz = "America/Sao_Paulo"
    day = date(2018, 11, 4)
    # the local day starts at 01:00 (-02), the end of the gap
    assert to_datetime(local_midnight(tz, day)) == utc(2018, 11, 4, 3)
    assert all_day_busy(day, day, tz).start == utc(2018, 11, 4, 3)
    got = slots(tz, ((0.0, 3.0),), start=utc(2018, 11, 3), end=utc(2018, 11, 5), rules={"duration": 60})
    assert walls(got, tz, "%d %H:%M%z") == [
        "03 00:00-0300",
        "03 01:00-0300",
        "03 02:00-0300",
        "04 01:00-0200",
        "04 02:00-0200",
    ]
    # "from the next day on": asked on Nov 3 evening, Nov 4 starts at 01:00
    nxt = slots(
        tz,
        ((0.0, 3.0),),
        start=utc(2018, 11, 3),
        end=utc(2018, 11, 5, 12),
        now=local(tz, 2018, 11, 3, 20),
        rules={"duration": 60, "notice_next_day": True},
    )
    assert walls(nxt, tz, "%d %H:%M%z")[0] == "04 01:00-0200"


def test_sao_paulo_2018_fall_back_repeats_the_last_hour_of_the_day():
    tz = "America/Sao_Paulo"
    got = slots(
        tz, ((22.0, 24.0),), start=local(tz, 2018, 2, 17), end=local(tz, 2018, 2, 18), rules={"duration": 60}
    )
    assert walls(got, tz, "%d %H:%M%z") == ["17 22:00-0200", "17 23:00-0200", "17 23:00-0300"]
    # all three are on the same local day for the daily limit
    got = slots(
        tz,
        ((22.0, 24.0),),
        start=local(tz, 2018, 2, 17),
        end=local(tz, 2018, 2, 18),
        rules={"duration": 60, "daily_limit": 1},
        bookings=[ExistingBooking(got[2].start, got[2].end)],
    )
    assert got == []


def test_jerusalem_friday_spring_forward():
    tz = "Asia/Jerusalem"
    got = slots(
        tz, ((1.0, 4.0),), start=local(tz, 2026, 3, 27), end=local(tz, 2026, 3, 28), rules={"duration": 60}
    )
    assert walls(got, tz, "%H:%M%z") == ["01:00+0200", "03:00+0300"]


def test_tallinn_gap_at_three():
    tz = "Europe/Tallinn"
    got = slots(
        tz, ((2.0, 6.0),), start=local(tz, 2026, 3, 29), end=local(tz, 2026, 3, 30), rules={"duration": 60}
    )
    assert walls(got, tz, "%H:%M%z") == ["02:00+0200", "04:00+0300", "05:00+0300"]


def test_rome_week_across_dst_keeps_nine_oclock():
    tz = "Europe/Rome"
    got = slots(tz, ((9.0, 10.0),), start=utc(2026, 3, 25), end=utc(2026, 4, 2), rules={"duration": 60})
    assert set(hhmm(got, tz)) == {"09:00"}
    assert {s.start.hour for s in got} == {8, 7}  # 08:00 UTC in winter, 07:00 UTC in summer


def test_sydney_spring_gap_and_fall_repeat():
    tz = "Australia/Sydney"
    spring = slots(
        tz, ((1.0, 4.0),), start=local(tz, 2026, 10, 4), end=local(tz, 2026, 10, 5), rules={"duration": 60}
    )
    assert walls(spring, tz, "%H:%M%z") == ["01:00+1000", "03:00+1100"]
    fall = slots(
        tz, ((1.0, 4.0),), start=local(tz, 2026, 4, 5), end=local(tz, 2026, 4, 6), rules={"duration": 60}
    )
    assert walls(fall, tz, "%H:%M%z") == ["01:00+1100", "02:00+1100", "02:00+1000", "03:00+1000"]
