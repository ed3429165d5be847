"""Book Me scheduling engine: which slots a host offers, and whether one is still free.

Pure Python (standard library only, Python 3.10+), no Odoo import: the Odoo models
translate records into these plain values, call :func:`compute_slots` for listings and
:func:`check_slot` inside the booking transaction, and store what comes back.

Units: datetimes crossing the API are timezone-aware, UTC for inputs and outputs (a
naive datetime is read as UTC, Odoo's convention); input instants may also be ``int``
epoch seconds (:func:`epoch_floor` / :func:`epoch_ceil` convert), and plain busy time may
come as merged epoch pairs (``busy_spans``), so a caller reading the database in bulk
builds no datetime per row; durations, buffers and notices are integer minutes; weekly
hours are local float hours in the availability's zone.

Public API
----------
Inputs
    :class:`WeeklyInterval`, :class:`Availability`, :data:`DEFAULT_BUSINESS_HOURS`,
    :class:`Busy`, :func:`all_day_busy`, :class:`ExistingBooking`, :class:`HostBooking`,
    :class:`Rules`.
Gathering
    :func:`gathering_span` (which data a window needs), :func:`split_bookings` (which of
    the host's bookings are busy time, which are this type's).
Computation
    :func:`compute_slots` -> list of :class:`Slot`;  :func:`check_slot` -> Slot or None;
    :func:`group_by_day` (display grouping only);  :func:`can_cancel`;
    :func:`for_host` (the rules of a host's decision on a request).

Where each rule lives
---------------------
:mod:`.localtime`     zones, DST (gap -> end of gap, ambiguous -> first occurrence)
:mod:`.intervals`     sorted half-open interval algebra (sweeps)
:mod:`.availability`  weekly plan + overrides -> UTC intervals
:mod:`.busy`          busy items, the max-of-facing-buffers rule, bookings/sessions,
                      which of the host's bookings are busy time
:mod:`.rules`         notice, horizon, daily-limit days, cancellation deadline
:mod:`.slots`         the modes, local-clock alignment, filters, window property,
                      the span a window needs
"""

from .availability import DEFAULT_BUSINESS_HOURS, Availability, WeeklyInterval
from .busy import Busy, ExistingBooking, HostBooking, all_day_busy, split_bookings
from .localtime import epoch_ceil, epoch_floor
from .rules import DATE_RANGE_MODES, MODES, Rules, can_cancel, for_host
from .slots import Slot, check_slot, compute_slots, gathering_span, group_by_day

__all__ = [
    "DATE_RANGE_MODES",
    "DEFAULT_BUSINESS_HOURS",
    "MODES",
    "Availability",
    "Busy",
    "ExistingBooking",
    "HostBooking",
    "Rules",
    "Slot",
    "WeeklyInterval",
    "all_day_busy",
    "can_cancel",
    "check_slot",
    "compute_slots",
    "epoch_ceil",
    "epoch_floor",
    "for_host",
    "gathering_span",
    "group_by_day",
    "split_bookings",
]
