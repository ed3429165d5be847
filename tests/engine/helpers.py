"""Small builders shared by the engine tests."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from engine import Availability, Rules, WeeklyInterval, compute_slots

UTC = timezone.utc
EVERY_DAY_ALL_DAY = tuple(WeeklyInterval(d, 0.0, 24.0) for d in range(7))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz: str, *args, fold: int = 0) -> datetime:
    """An aware datetime on the wall clock of ``tz`` (converted to UTC)."""
    return datetime(*args, tzinfo=ZoneInfo(tz), fold=fold).astimezone(UTC)


def walls(slots, tz: str, fmt: str = "%Y-%m-%d %H:%M") -> list[str]:
    """Slot starts as wall-clock strings in ``tz``."""
    zone = ZoneInfo(tz)
    return [s.start.astimezone(zone).strftime(fmt) for s in slots]


def hhmm(slots, tz: str) -> list[str]:
    return walls(slots, tz, "%H:%M")


def weekly(*spans, days=(0, 1, 2, 3, 4, 5, 6)):
    """The same ``(hour_from, hour_to)`` spans on every given weekday."""
    return tuple(WeeklyInterval(d, a, b) for d in days for a, b in spans)


def slots(tz="UTC", spans=((9.0, 12.0),), *, start, end, now=None, rules=None, **kw):
    """compute_slots with an every-day plan; ``rules`` may be a dict of Rules kwargs."""
    av = kw.pop("availability", None) or Availability(tz, weekly(*spans))
    if isinstance(rules, dict):
        rules = Rules(**rules)
    return compute_slots(
        availability=av,
        rules=rules or Rules(duration=60),
        window_start=start,
        window_end=end,
        now=now or utc(2000, 1, 1),
        **kw,
    )
