"""Booking rules of an event type (or of a host's preferences) and the time-based checks.

All day-based rules use the **host zone** (``Availability.tz``) and the wall-clock date of
the slot's start:

* minimum notice: ``start >= now + min_notice``;
* ``notice_next_day``: also ``local_date(start) > local_date(now)``, i.e. start at or after
  the next local midnight (the seed's "from the next day on");
* horizon ``rolling``: ``local_date(start) < local_date(now) + rolling_days`` (today plus
  the next ``rolling_days - 1`` days; 0 offers nothing); ``range``:
  ``date_from <= local_date(start) <= date_to`` (a missing bound is open);
  ``indefinite``: no limit;
* daily limit: see :mod:`engine.busy` (sessions per local day).

The cancellation deadline is :func:`can_cancel`; :func:`for_host` gives the rules of a
host's decision on a request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .localtime import as_utc, day_number

MODES = ("windows", "semi_automatic", "manual", "automatic")
DATE_RANGE_MODES = ("indefinite", "rolling", "range")


@dataclass(frozen=True)
class Rules:
    """How slots are cut and filtered.  Durations are integer minutes.

    ``mode``: ``windows`` (weekly availability, event types), ``semi_automatic`` (free
    windows split into slots), ``manual`` (one slot per free window), ``automatic`` (gaps
    between busy items inside business hours).  See :func:`engine.slots.compute_slots`.
    ``increment``: minutes between offered starts, None = ``duration``.
    ``multiple_requests``: True = pending requests do not hold their slot.
    ``min_gap``: automatic mode only, shortest usable gap between busy items.
    """

    duration: int
    mode: str = "windows"
    increment: int | None = None
    min_notice: int = 0
    notice_next_day: bool = False
    date_range_mode: str = "indefinite"
    rolling_days: int = 0
    date_from: date | None = None
    date_to: date | None = None
    daily_limit: int = 0
    buffer_before: int = 0
    buffer_after: int = 0
    capacity: int = 1
    multiple_requests: bool = False
    min_gap: int = 0

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.date_range_mode not in DATE_RANGE_MODES:
            raise ValueError(
                f"date_range_mode must be one of {DATE_RANGE_MODES}, got {self.date_range_mode!r}"
            )
        if not isinstance(self.duration, int) or self.duration <= 0:
            raise ValueError(f"duration must be a positive integer, got {self.duration!r}")
        if self.increment is not None and (not isinstance(self.increment, int) or self.increment <= 0):
            raise ValueError(f"increment must be a positive integer, got {self.increment!r}")
        if not isinstance(self.capacity, int) or self.capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {self.capacity!r}")
        for name in (
            "min_notice",
            "rolling_days",
            "daily_limit",
            "buffer_before",
            "buffer_after",
            "min_gap",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")

    @property
    def step(self) -> int:
        """Minutes between offered starts."""
        return self.increment or self.duration


def for_host(rules: Rules) -> Rules:
    """The rules a host's own decision is held to (approving a request, offering it another
    time): the guest-facing minimum notice, next-day notice and bookable date range no
    longer apply, so a request made in time can still be approved later. Everything that
    decides whether the host is *free* (availability, busy time, buffers, seats, daily
    limit) and that the start lies in the future still does."""
    return replace(rules, min_notice=0, notice_next_day=False, date_range_mode="indefinite")


def can_cancel(start: datetime, now: datetime, cancel_deadline: int) -> bool:
    """May the guest still cancel (or reschedule)?  ``now <= start - cancel_deadline``.

    ``cancel_deadline`` in minutes; 0 = until the start itself.
    """
    return as_utc(now) <= as_utc(start) - timedelta(minutes=cancel_deadline)


def day_bounds(rules: Rules, today: int) -> tuple[int | None, int | None]:
    """Inclusive bounds on the start's local day number from notice and horizon rules.

    ``today`` is the local day number of ``now``; None = unbounded.
    """
    lo: int | None = today + 1 if rules.notice_next_day else None
    hi: int | None = None
    if rules.date_range_mode == "rolling":
        hi = today + rules.rolling_days - 1
    elif rules.date_range_mode == "range":
        if rules.date_from is not None:
            d = day_number(rules.date_from)
            lo = d if lo is None else max(lo, d)
        if rules.date_to is not None:
            hi = day_number(rules.date_to)
    return lo, hi
