"""The host's bookable hours: weekly plan, date overrides, time off.

An :class:`Availability` is expressed on the wall clock of its zone ``tz``.  It becomes a
normalised list of UTC epoch-second intervals with :func:`expand`:

* each local date uses its ``date_overrides`` entry if it has one (replacing the weekly
  plan; an empty tuple closes the day), else the weekly intervals of its weekday;
* each ``(hour_from, hour_to)`` is converted boundary by boundary with
  :func:`engine.localtime.wall_to_epoch` (``hour_to`` 24.0 = the next midnight), so
  08:00-12:00 stays 08:00-12:00 on the wall clock on DST days (the interval is then one
  hour shorter or longer in real time when it contains the transition);
* adjacent or overlapping intervals merge: 20:00-24:00 followed by 00:00-02:00 the next
  day is one continuous interval, and a slot may run across midnight;
* ``time_off`` (UTC) is removed by the caller of :func:`expand` (slot computation) in every
  mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from .intervals import Interval, normalize
from .localtime import epoch_ceil, epoch_floor, get_zone, local_date, wall_to_epoch


def hours_to_minutes(hours: float) -> int:
    """Float hours (8.5 = 08:30) to whole minutes since midnight."""
    return round(float(hours) * 60)


def _check_hours(hour_from: float, hour_to: float) -> None:
    if not (0 <= hour_from <= 24 and 0 <= hour_to <= 24):
        raise ValueError(f"hours must lie in [0, 24]: {hour_from!r}-{hour_to!r}")
    if hour_from > hour_to:
        raise ValueError(f"hour_from after hour_to: {hour_from!r}-{hour_to!r}")


@dataclass(frozen=True)
class WeeklyInterval:
    """One line of a weekly plan, like ``resource.calendar.attendance``.

    ``weekday`` 0 = Monday ... 6 = Sunday; ``hour_from``/``hour_to`` are local float hours
    (8.5 = 08:30; ``hour_to`` 24.0 = midnight at the end of that day).
    """

    weekday: int
    hour_from: float
    hour_to: float

    def __post_init__(self):
        if self.weekday not in range(7):
            raise ValueError(f"weekday must be 0..6, got {self.weekday!r}")
        _check_hours(self.hour_from, self.hour_to)


DEFAULT_BUSINESS_HOURS: tuple[WeeklyInterval, ...] = tuple(
    WeeklyInterval(day, hf, ht) for day in range(5) for hf, ht in ((8.0, 12.0), (15.0, 19.0))
)
"""Monday-Friday 08:00-12:00 and 15:00-19:00 (the seed's default business hours)."""


@dataclass(frozen=True)
class Availability:
    """Bookable hours of a host or an event type.

    ``tz``: IANA zone of the hours, and the *host zone* of the day-based rules (daily
    limit, next-day notice, rolling and range horizons).
    ``weekly``: the weekly plan, several intervals per day allowed.
    ``date_overrides``: local date -> ``((hour_from, hour_to), ...)`` replacing the weekly
    plan on that date; an empty tuple closes the day.
    ``time_off``: ``(start, end)`` UTC datetimes removed from availability (all modes).
    """

    tz: str
    weekly: tuple[WeeklyInterval, ...] = ()
    date_overrides: Mapping[date, tuple[tuple[float, float], ...]] = field(default_factory=dict, hash=False)
    time_off: tuple[tuple[datetime, datetime], ...] = ()

    def __post_init__(self):
        get_zone(self.tz)  # ValueError if unknown
        weekly = tuple(self.weekly)
        for item in weekly:
            if not isinstance(item, WeeklyInterval):
                raise TypeError(f"weekly items must be WeeklyInterval, got {item!r}")
        overrides = {}
        for day, spans in dict(self.date_overrides).items():
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"date_overrides keys must be dates, got {day!r}")
            spans = tuple((float(a), float(b)) for a, b in spans)
            for a, b in spans:
                _check_hours(a, b)
            overrides[day] = spans
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "date_overrides", MappingProxyType(overrides))
        object.__setattr__(self, "time_off", tuple((a, b) for a, b in self.time_off))

    def plan_for(self, day: date) -> tuple[tuple[float, float], ...]:
        """The ``(hour_from, hour_to)`` list that applies on local ``day``."""
        if day in self.date_overrides:
            return self.date_overrides[day]
        wd = day.weekday()
        return tuple((w.hour_from, w.hour_to) for w in self.weekly if w.weekday == wd)


def day_intervals(availability: Availability, day: date) -> list[Interval]:
    """The (unmerged) UTC epoch intervals that local ``day`` contributes."""
    out = []
    for hour_from, hour_to in availability.plan_for(day):
        a = wall_to_epoch(availability.tz, day, hours_to_minutes(hour_from))
        b = wall_to_epoch(availability.tz, day, hours_to_minutes(hour_to))
        if b > a:
            out.append((a, b))
    return out


def expand(availability: Availability, lo: int, hi: int) -> list[Interval]:
    """Normalised availability covering at least ``[lo, hi)`` (epoch seconds).

    Every local date touching ``[lo, hi)`` is expanded, plus one day either side, so an
    interval overlapping the range is complete inside it; intervals are not clipped.
    """
    if hi <= lo:
        return []
    zone = get_zone(availability.tz)
    first = local_date(zone, lo) - timedelta(days=1)
    last = local_date(zone, hi) + timedelta(days=1)
    if not availability.weekly and not availability.date_overrides:
        return []
    raw: list[Interval] = []
    day = first
    one = timedelta(days=1)
    while day <= last:
        raw.extend(day_intervals(availability, day))
        day += one
    return normalize(raw)


def utc_intervals(pairs: Iterable[tuple[datetime, datetime]], widen: bool) -> list[Interval]:
    """Epoch intervals of ``(start, end)`` datetime pairs, not normalised.

    ``widen`` rounds outward to whole seconds (for time that is taken away), otherwise
    inward (for time that is given).  Inverted pairs become empty intervals.
    """
    out = []
    if widen:
        for a, b in pairs:
            s, e = epoch_floor(a), epoch_ceil(b)
            out.append((s, max(s, e)))
    else:
        for a, b in pairs:
            s, e = epoch_ceil(a), epoch_floor(b)
            out.append((s, max(s, e)))
    return out
