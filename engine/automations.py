"""When Book Me's automations are due: plain Python, no Odoo import.

The models describe rules (:class:`Rule`) and bookings (:class:`Booking`) with plain
values and ask this module which *occasions* exist and when each is due. An occasion is
one rule meeting one situation (this booking was made, this client's tenth check-in, the
session of this booking ended, this client has not been seen for 60 days). Its ``key``
names the situation so that the database can hold at most one execution per rule and
key (a unique index); a rule that runs *once per client* uses the client as its key.

Two kinds of triggers:

* **event triggers** (booked, cancelled, requested, approved, declined, check-in
  triggers) are recorded when the event happens (:func:`on_booking_event`,
  :func:`on_checkin`), due after the rule's delay;
* **time triggers** (session start/end, last checked in X days ago) are found by the cron
  from the bookings' times for a window ``(since, until]`` (:func:`session_occasions`,
  :func:`absence_occasions`), ``since`` being where the previous scan stopped.

Before an occasion is executed, :func:`still_valid` checks that it still holds (a booking
cancelled after its "booked" email was queued, a check-in undone, a client who came back).

Datetimes are timezone-aware UTC (naive values are read as UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

UTC = timezone.utc

EVENT_TRIGGERS = (
    "booked",
    "cancelled",
    "first_checkin",
    "nth_checkin",
    "checkin",
    "requested",
    "approved",
    "declined",
)
# Triggers of one booking's own life: one occasion per rule and booking.
BOOKING_TRIGGERS = ("booked", "cancelled", "requested", "approved", "declined")
TIME_TRIGGERS = ("last_checkin_days_ago", "session_start", "session_end")
TRIGGERS = EVENT_TRIGGERS + TIME_TRIGGERS
CHECKIN_TRIGGERS = ("first_checkin", "nth_checkin", "checkin")
NTH_VALUES = (5, 10, 15)
DELAY_UNITS = ("minutes", "hours", "days")
# Bookings that took place or will: the ones session and check-in triggers look at.
HELD_STATES = ("confirmed", "done")

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(minutes=10)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class Rule:
    """An automation, as far as timing goes.

    ``event_type_ids`` empty = every type; ``host_id`` None = every host's bookings.
    ``days`` is the X of "last checked in X days ago" (that trigger's delay *is* X days).
    ``armed_at``: when the rule became active; time triggers never reach back before it.
    """

    id: int
    trigger: str
    delay: int = 0
    delay_unit: str = "minutes"
    nth: int = 0
    days: int = 0
    once_per_client: bool = False
    event_type_ids: frozenset = field(default_factory=frozenset)
    host_id: int | None = None
    armed_at: datetime | None = None

    def __post_init__(self):
        if self.trigger not in TRIGGERS:
            raise ValueError(f"unknown trigger {self.trigger!r}")
        if self.delay_unit not in DELAY_UNITS:
            raise ValueError(f"unknown delay unit {self.delay_unit!r}")
        if self.delay < 0:
            raise ValueError("a delay is never negative")
        if self.trigger == "nth_checkin" and self.nth not in NTH_VALUES:
            raise ValueError(f"nth must be one of {NTH_VALUES}")
        if self.trigger == "last_checkin_days_ago" and self.days < 1:
            raise ValueError("'last checked in X days ago' needs X >= 1")


@dataclass(frozen=True)
class Booking:
    id: int
    partner_id: int
    event_type_id: int
    host_id: int
    start: datetime
    stop: datetime
    state: str = "confirmed"
    checked_in: bool = False
    checkin_date: datetime | None = None


@dataclass(frozen=True)
class Occasion:
    rule_id: int
    booking_id: int
    partner_id: int
    key: str
    due_at: datetime


def delay_of(rule: Rule) -> timedelta:
    """How long after its trigger a rule acts (X days for "last checked in X days ago")."""
    if rule.trigger == "last_checkin_days_ago":
        return timedelta(days=rule.days)
    return timedelta(**{rule.delay_unit: rule.delay})


def applies(rule: Rule, booking: Booking) -> bool:
    """Whether the rule covers this booking's event type and host."""
    if rule.event_type_ids and booking.event_type_id not in rule.event_type_ids:
        return False
    return rule.host_id is None or rule.host_id == booking.host_id


def occasion_key(rule: Rule, booking: Booking, situation: str) -> str:
    """The database key of one occasion: the client when the rule runs once per client."""
    if rule.once_per_client:
        return f"client:{booking.partner_id}"
    return situation


def _occasion(rule: Rule, booking: Booking, situation: str, moment: datetime) -> Occasion:
    return Occasion(
        rule_id=rule.id,
        booking_id=booking.id,
        partner_id=booking.partner_id,
        key=occasion_key(rule, booking, situation),
        due_at=_utc(moment) + delay_of(rule),
    )


def on_booking_event(rules, trigger: str, booking: Booking, at: datetime) -> list[Occasion]:
    """``booking`` was booked (confirmed), cancelled, requested, approved or declined at
    ``at``: the occasions of the rules with that trigger which cover it."""
    if trigger not in BOOKING_TRIGGERS:
        raise ValueError(f"not a booking trigger: {trigger!r}")
    return [
        _occasion(rule, booking, f"{trigger}:{booking.id}", at)
        for rule in rules
        if rule.trigger == trigger and applies(rule, booking)
    ]


def on_booked(rules, booking: Booking, at: datetime) -> list[Occasion]:
    """A booking was made (confirmed): the occasions of the ``booked`` rules."""
    return on_booking_event(rules, "booked", booking, at)


def on_cancelled(rules, booking: Booking, at: datetime) -> list[Occasion]:
    return on_booking_event(rules, "cancelled", booking, at)


def checkin_rank(rule: Rule, booking: Booking, history) -> int:
    """Which check-in of its client ``booking`` is, counting only the bookings the rule
    covers (``history``: the client's checked-in bookings, ``booking`` included), in the
    order of check-in time."""

    def order(b):
        return (_utc(b.checkin_date), b.id)

    mine = order(booking)
    return sum(
        1
        for b in history
        if b.checked_in and b.state in HELD_STATES and applies(rule, b) and order(b) <= mine
    )


def on_checkin(rules, booking: Booking, history) -> list[Occasion]:
    """A client was checked in to ``booking``: occasions of the check-in rules.

    ``history`` holds the client's checked-in bookings (any type, ``booking`` included).
    The first check-in and the Xth check-in are counted among the bookings each rule
    covers, so "the 10th time in Yoga class" counts Yoga classes only.
    """
    found = []
    for rule in rules:
        if rule.trigger not in CHECKIN_TRIGGERS or not applies(rule, booking):
            continue
        if rule.trigger == "checkin":
            situation = f"checkin:{booking.id}"
        else:
            rank = checkin_rank(rule, booking, history)
            wanted = 1 if rule.trigger == "first_checkin" else rule.nth
            if rank != wanted:
                continue
            situation = f"{rule.trigger}:{booking.partner_id}:{wanted}"
        found.append(_occasion(rule, booking, situation, booking.checkin_date))
    return found


def scan_start(rule: Rule, scanned_until: datetime | None) -> datetime | None:
    """Where a time-trigger scan starts: where the last one stopped, never before the rule
    became active."""
    candidates = [_utc(v) for v in (scanned_until, rule.armed_at) if v is not None]
    return max(candidates) if candidates else None


def _in_window(moment: datetime, since: datetime | None, until: datetime) -> bool:
    return (since is None or moment > since) and moment <= until


def session_occasions(rule: Rule, bookings, since: datetime | None, until: datetime) -> list[Occasion]:
    """Bookings whose session started (or ended) ``delay`` before a moment of
    ``(since, until]``. Cancelled, declined and requested bookings never count."""
    if rule.trigger not in ("session_start", "session_end"):
        return []
    since = scan_start(rule, since)
    until = _utc(until)
    found = []
    for booking in bookings:
        if booking.state not in HELD_STATES or not applies(rule, booking):
            continue
        moment = _utc(booking.start if rule.trigger == "session_start" else booking.stop)
        occasion = _occasion(rule, booking, f"{rule.trigger}:{booking.id}", moment)
        if _in_window(occasion.due_at, since, until):
            found.append(occasion)
    return found


def session_window(rule: Rule, since: datetime | None, until: datetime):
    """The range of session starts (or ends) a scan of ``(since, until]`` must read:
    ``(lo, hi]`` with ``lo`` None for "from the beginning"."""
    since = scan_start(rule, since)
    shift = delay_of(rule)
    return (since - shift if since else None), _utc(until) - shift


def last_checkins(rule: Rule, bookings) -> dict[int, Booking]:
    """Each client's last check-in among the bookings the rule covers."""
    last = {}
    for b in bookings:
        if not (b.checked_in and b.checkin_date and b.state in HELD_STATES and applies(rule, b)):
            continue
        current = last.get(b.partner_id)
        if current is None or (_utc(b.checkin_date), b.id) > (_utc(current.checkin_date), current.id):
            last[b.partner_id] = b
    return last


def absence_occasions(rule: Rule, bookings, since: datetime | None, until: datetime) -> list[Occasion]:
    """Clients whose *last* check-in was X days before a moment of ``(since, until]``.

    ``bookings``: every checked-in booking of the clients concerned that is later than
    ``since - X days`` (a client who checked in again since has a later last check-in, so
    is not due yet). The key names the check-in, so a client who comes back and stays away
    again is due again.
    """
    if rule.trigger != "last_checkin_days_ago":
        return []
    since = scan_start(rule, since)
    until = _utc(until)
    found = []
    for partner_id, booking in sorted(last_checkins(rule, bookings).items()):
        occasion = _occasion(rule, booking, f"absent:{partner_id}:{booking.id}", booking.checkin_date)
        if _in_window(occasion.due_at, since, until):
            found.append(occasion)
    return found


def still_valid(trigger: str, booking: Booking, last_checkin_id: int | None = None) -> bool:
    """Whether an occasion recorded earlier still holds when it is due.

    ``last_checkin_id``: the client's last check-in covered by the rule now (for "last
    checked in X days ago": a client who came back is no longer absent).
    """
    if trigger == "booked":
        return booking.state in ("confirmed", "done")
    if trigger == "cancelled":
        return booking.state == "cancelled"
    if trigger == "requested":
        return booking.state == "requested"
    if trigger == "approved":
        return booking.state in HELD_STATES
    if trigger == "declined":
        return booking.state == "declined"
    if trigger in CHECKIN_TRIGGERS:
        return booking.checked_in and booking.state in HELD_STATES
    if trigger in ("session_start", "session_end"):
        return booking.state in HELD_STATES
    if trigger == "last_checkin_days_ago":
        return booking.checked_in and last_checkin_id == booking.id
    raise ValueError(f"unknown trigger {trigger!r}")


def after_failure(attempts: int, now: datetime):
    """A failed attempt (the ``attempts``-th): ``("failed", None)`` once the attempts are
    used up, else ``("pending", when to try again)`` (10, 20, … minutes later)."""
    if attempts >= MAX_ATTEMPTS:
        return "failed", None
    return "pending", _utc(now) + RETRY_DELAY * attempts


def session_wakeups(rules, booking: Booking) -> list[datetime]:
    """When the session rules covering ``booking`` become due (for a precise cron wake-up)."""
    moments = []
    if booking.state not in HELD_STATES:
        return moments
    for rule in rules:
        if rule.trigger in ("session_start", "session_end") and applies(rule, booking):
            base = booking.start if rule.trigger == "session_start" else booking.stop
            moments.append(_utc(base) + delay_of(rule))
    return sorted(set(moments))
