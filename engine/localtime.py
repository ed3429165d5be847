"""Time zones, epoch seconds and the local wall clock.

Internally the engine works in integer **epoch seconds** (UTC).  This module converts
between those, aware ``datetime`` objects and a zone's *wall clock*.

Conventions, decided once here and used by every other module:

* Datetimes crossing the API should be timezone-aware.  A *naive* datetime is read as
  UTC, which is Odoo's convention for ``fields.Datetime`` values.  Where an input instant
  is documented as ``datetime | int``, an ``int`` is epoch seconds (what a caller reading
  the database in bulk hands over without building datetimes).  Output datetimes are
  always aware UTC.
* A **wall time** (a local date plus minutes since local midnight) becomes an instant
  with :func:`wall_to_epoch`:

  - an unambiguous wall time maps to its only instant;
  - an *ambiguous* one (the hour repeated when clocks fall back) maps to its **first**
    occurrence (``fold=0``);
  - a *nonexistent* one (inside the gap when clocks spring forward) maps **forward to the
    transition instant**, the first instant after the gap.  On the Europe/Oslo
    spring-forward night 02:30 does not exist and maps to 03:00 CEST (01:00 UTC).  This
    is exactly "the instants whose wall clock reads at least 02:30": an availability
    "02:30-05:00" is then 03:00-05:00 CEST, nothing the host asked for is lost and
    nothing is added.  (Python's plain ``fold=0`` + UTC round trip would give 03:30
    instead, silently dropping half an hour; we do not use it.)

* The **local day** of an instant is the calendar date its wall clock shows.  Days are
  numbered as wall-clock days since 1970-01-01 (``(t + utcoffset) // 86400``), which is
  cheap and exact, including zones with :30/:45 offsets and 30-minute DST shifts.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc
DAY = 86400
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_SAMPLE_STEP = 6 * 3600  # zone offsets are sampled this often to find DST transitions


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name; ``ValueError`` if unknown."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"invalid time zone: {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone: {name!r}") from exc


def epoch_floor(dt: datetime | int) -> int:
    """Whole epoch seconds at or before ``dt`` (naive = UTC; an ``int`` is already epoch
    seconds)."""
    if isinstance(dt, int):
        return dt
    td = dt - (_EPOCH_NAIVE if dt.tzinfo is None else EPOCH)
    return td.days * DAY + td.seconds


def epoch_ceil(dt: datetime | int) -> int:
    """Whole epoch seconds at or after ``dt`` (naive = UTC; an ``int`` is already epoch
    seconds)."""
    if isinstance(dt, int):
        return dt
    td = dt - (_EPOCH_NAIVE if dt.tzinfo is None else EPOCH)
    return td.days * DAY + td.seconds + (1 if td.microseconds else 0)


def to_datetime(t: int) -> datetime:
    """Aware UTC datetime of epoch seconds ``t``."""
    return datetime.fromtimestamp(t, UTC)


def as_utc(dt: datetime) -> datetime:
    """``dt`` as an aware UTC datetime (naive = UTC)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def offset_at(zone: ZoneInfo, t: int) -> int:
    """UTC offset of ``zone`` at epoch second ``t``, in seconds."""
    off = datetime.fromtimestamp(t, zone).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def local_date(zone: ZoneInfo, t: int) -> date:
    """The date the wall clock of ``zone`` shows at epoch second ``t``."""
    return date.fromordinal(EPOCH_ORDINAL + (t + offset_at(zone, t)) // DAY)


def day_number(d: date) -> int:
    """Wall-clock day number of a date (days since 1970-01-01)."""
    return d.toordinal() - EPOCH_ORDINAL


def _first_change(zone: ZoneInfo, lo: int, hi: int) -> int:
    """Smallest ``t`` in ``(lo, hi]`` whose offset differs from the offset at ``lo``.

    Requires ``offset_at(lo) != offset_at(hi)``.
    """
    base = offset_at(zone, lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if offset_at(zone, mid) == base:
            lo = mid
        else:
            hi = mid
    return hi


@lru_cache(maxsize=1024)
def _year_transitions(name: str, year: int) -> tuple[tuple[int, int], ...]:
    """``(instant, offset_after)`` for each offset change of ``name`` during ``year`` (UTC)."""
    zone = get_zone(name)
    if year < 1 or year > 9998:
        return ()
    lo = epoch_floor(datetime(year, 1, 1, tzinfo=UTC))
    hi = epoch_floor(datetime(year + 1, 1, 1, tzinfo=UTC))
    out = []
    prev_t, prev_off = lo, offset_at(zone, lo)
    t = lo
    while t < hi:
        t = min(t + _SAMPLE_STEP, hi)
        off = offset_at(zone, t)
        if off != prev_off:
            # Several changes between two samples are found one at a time.
            a = prev_t
            while offset_at(zone, a) != off:
                change = _first_change(zone, a, t)
                out.append((change, offset_at(zone, change)))
                a = change
        prev_t, prev_off = t, off
    return tuple(x for x in out if x[0] < hi)


class ZoneClock:
    """Piecewise-constant UTC offsets of one zone over ``[lo, hi]`` epoch seconds.

    Lookups inside the range are a bisect; outside it they fall back to ``zoneinfo``.
    """

    __slots__ = ("hi", "lo", "name", "offsets", "starts", "zone")

    def __init__(self, name: str, lo: int, hi: int):
        self.name = name
        self.zone = get_zone(name)
        self.lo, self.hi = lo, max(lo, hi)
        starts = [lo]
        offsets = [offset_at(self.zone, lo)]
        y0 = datetime.fromtimestamp(max(lo, -62135596800), UTC).year
        y1 = datetime.fromtimestamp(min(self.hi, 253402214400), UTC).year
        for year in range(y0, y1 + 1):
            for t, off in _year_transitions(name, year):
                if lo < t <= self.hi and off != offsets[-1]:
                    starts.append(t)
                    offsets.append(off)
        self.starts = starts
        self.offsets = offsets

    def segment(self, t: int) -> tuple[int, int]:
        """``(offset, end)``: the offset at ``t`` and the instant it next changes."""
        if t < self.lo or t > self.hi:
            return ZoneClock(self.name, t, t + 400 * DAY).segment(t)
        i = bisect.bisect_right(self.starts, t) - 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else self.hi + 1
        return self.offsets[i], end

    def offset(self, t: int) -> int:
        if t < self.lo or t > self.hi:
            return offset_at(self.zone, t)
        return self.offsets[bisect.bisect_right(self.starts, t) - 1]

    def day(self, t: int) -> int:
        """Wall-clock day number of instant ``t``."""
        return (t + self.offset(t)) // DAY

    def days(self, ts: list[int]) -> list[int]:
        """Wall-clock day numbers of the **sorted** instants ``ts`` (one sweep)."""
        out = []
        starts, offsets = self.starts, self.offsets
        n = len(starts)
        i = 0
        for t in ts:
            if t < self.lo or t > self.hi:
                out.append((t + offset_at(self.zone, t)) // DAY)
                continue
            while i + 1 < n and starts[i + 1] <= t:
                i += 1
            out.append((t + offsets[i]) // DAY)
        return out


@lru_cache(maxsize=1 << 16)
def _wall_to_epoch(name: str, ordinal: int, minutes: int) -> int:
    zone = get_zone(name)
    naive = datetime.fromordinal(ordinal) + timedelta(minutes=minutes)
    first = int(naive.replace(tzinfo=zone).timestamp())
    second = int(naive.replace(tzinfo=zone, fold=1).timestamp())
    if first <= second:
        # Unique (equal) or ambiguous (fold=0 is the earlier instant): first occurrence.
        return first
    # Nonexistent: fold=0 used the offset before the gap, fold=1 the one after, so the
    # transition lies in (second, first]; map forward to it.
    return _first_change(zone, second, first)


def wall_to_epoch(name: str, day: date, minutes: int) -> int:
    """Epoch seconds of the wall time ``day`` + ``minutes`` in zone ``name``.

    ``minutes`` may be 1440 (midnight at the end of ``day``).  Ambiguous wall times map to
    their first occurrence, nonexistent ones to the end of the gap (module docstring).
    """
    return _wall_to_epoch(name, day.toordinal(), minutes)


def local_midnight(name: str, day: date) -> int:
    """The first instant of local ``day`` in zone ``name`` (epoch seconds)."""
    return _wall_to_epoch(name, day.toordinal(), 0)
