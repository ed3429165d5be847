from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.tools import SQL

from .. import engine

UTC = timezone.utc

# Bookings in these states may hold a slot ('requested' only while its type says so).
ACTIVE_STATES = ("requested", "confirmed")


def as_utc(value):
    """Odoo's naive UTC datetime -> aware UTC datetime."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def as_naive(value):
    """Aware datetime -> Odoo's naive UTC datetime."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


class BookmeScheduler(models.AbstractModel):
    """The bridge between Odoo's records and the plain-Python engine.

    It gathers everything one host's slots depend on in a handful of queries (working
    hours, date-specific hours, time off, busy events, bookings, free-for-appointment
    windows), hands it to :mod:`crm_bookme.engine`, and returns the engine's answer. The
    booking path calls :meth:`_check_slot` inside its transaction, under the host lock.
    """

    _name = "bookme.scheduler"
    _description = "Book Me scheduler"

    @api.model
    def _now(self):
        return as_utc(fields.Datetime.now())

    @api.model
    def _slots(self, etype, start, end, now=None, exclude_booking=None, host=None,
               host_decision=False):
        """Offered slots of ``etype`` whose start lies in [start, end) (aware UTC).

        ``host``: compute them for another staff member than the type's host (approving a
        request with another host: that user's hours and calendar decide).
        ``host_decision``: the host decides (approval), so the guest-facing notice and date
        range do not apply (:func:`engine.for_host`)."""
        inputs = self._engine_inputs(etype, start, end, now, exclude_booking, host, host_decision)
        return engine.compute_slots(window_start=start, window_end=end, **inputs)

    @api.model
    def _check_slot(self, etype, start, seats=1, now=None, exclude_booking=None, host=None,
                    host_decision=False):
        """The engine's slot at ``start`` if it is still bookable with ``seats``, else None
        (``host`` and ``host_decision`` as in :meth:`_slots`)."""
        # Under the host lock: Google's busy time from the cache only (no outside call).
        inputs = self.with_context(bookme_google_cache_only=True)._engine_inputs(
            etype, start, start + timedelta(minutes=1), now, exclude_booking, host, host_decision
        )
        return engine.check_slot(start=start, seats=seats, **inputs)

    # --- Gathering ---------------------------------------------------------------------------

    @api.model
    def _engine_inputs(self, etype, start, end, now=None, exclude_booking=None, host=None,
                       host_decision=False):
        etype = etype.sudo()
        host = (host or etype.user_id).sudo()
        # Daily limits count whole local days and buffers reach across the window's edges.
        margin = timedelta(days=1, minutes=etype.buffer_before + etype.buffer_after + 24 * 60)
        lo, hi = as_naive(start - margin), as_naive(end + margin)
        availability = self._availability(etype, lo, hi, host)
        busy, bookings = self._busy_and_bookings(
            etype, lo, hi, availability.tz,
            exclude_id=exclude_booking.id if exclude_booking else None, host=host,
        )
        busy += self._google_busy(etype, lo, hi, host)
        rules = self._rules(etype, host)
        return {
            "availability": availability,
            "rules": engine.for_host(rules) if host_decision else rules,
            "now": now or self._now(),
            "busy": busy,
            "bookings": bookings,
            "free_windows": self._free_windows(etype, lo, hi, host),
            "exclude_key": exclude_booking.id if exclude_booking else None,
        }

    @api.model
    def _google_busy(self, etype, lo, hi, host=None):
        """Busy time of the host's Google calendars marked "Count as Busy" (a short-lived
        database cache; see ``bookme_google_busy``)."""
        return self.env["bookme.google.busy"]._google_busy(
            host or etype.user_id, lo, hi,
            fetch=not self.env.context.get("bookme_google_cache_only"),
        )

    @api.model
    def _rules(self, etype, host=None):
        host = host or etype.user_id
        if etype.is_personal:
            notice = self.env["ir.config_parameter"].sudo().get_param(
                "crm_bookme.personal_notice", "next_day"
            )
            return engine.Rules(
                duration=host.bookme_slot_duration,
                mode=host.bookme_mode,
                min_gap=host.bookme_min_gap,
                notice_next_day=notice == "next_day",
            )
        return engine.Rules(
            duration=etype.duration,
            mode="windows",
            increment=etype.increment or None,
            min_notice=etype.min_notice,
            date_range_mode=etype.date_range_mode,
            rolling_days=etype.rolling_days,
            date_from=etype.date_from,
            date_to=etype.date_to,
            daily_limit=etype.daily_limit,
            buffer_before=etype.buffer_before,
            buffer_after=etype.buffer_after,
            capacity=etype.capacity if etype.kind == "group" else 1,
            multiple_requests=etype.requires_approval and etype.multiple_requests,
        )

    @api.model
    def _host_calendar(self, etype, host=None):
        """The weekly hours: the type's own, or the host's. Another staff member than the
        type's host (see :meth:`_slots`) always brings their own hours."""
        host = host or etype.user_id
        if not etype.is_personal and not etype.use_global_availability and host == etype.user_id:
            return etype.resource_calendar_id
        return host.resource_calendar_id

    @api.model
    def _availability(self, etype, lo, hi, host=None):
        host = host or etype.user_id
        calendar = self._host_calendar(etype, host)
        attendances = calendar.attendance_ids.filtered(lambda a: a.display_type is False)
        if attendances:
            weekly = tuple(
                engine.WeeklyInterval(int(a.dayofweek), a.hour_from, a.hour_to)
                for a in attendances
                if a.day_period != "lunch"
            )
        else:
            weekly = engine.DEFAULT_BUSINESS_HOURS
        tz = (calendar.tz if calendar else None) or host.tz or "UTC"

        overrides = {}
        for rec in self.env["bookme.date.availability"].sudo().search(
            [("user_id", "=", host.id), ("date", ">=", lo.date()), ("date", "<=", hi.date())]
        ):
            overrides.setdefault(rec.date, []).append((rec.hour_from, rec.hour_to))

        # The host's own time off, and company-wide time off: on the host's hours, on the
        # company's default hours (which personal hours are copied from), or on no hours.
        shared_calendars = [False, *(calendar | host.company_id.resource_calendar_id).ids]
        leave_domain = [
            "|",
            ("resource_id", "in", host.resource_ids.ids),
            "&", "&",
            ("resource_id", "=", False),
            ("calendar_id", "in", shared_calendars),
            ("company_id", "in", [False, host.company_id.id]),
        ]
        leaves = self.env["resource.calendar.leaves"].sudo().search(
            [*leave_domain, ("time_type", "=", "leave"), ("date_from", "<", hi), ("date_to", ">", lo)]
        )
        return engine.Availability(
            tz=tz,
            weekly=weekly,
            date_overrides={day: tuple(hours) for day, hours in overrides.items()},
            time_off=tuple((as_utc(lv.date_from), as_utc(lv.date_to)) for lv in leaves),
        )

    @api.model
    def _busy_and_bookings(self, etype, lo, hi, tz, exclude_id=None, host=None):
        """The host's busy calendar events, plus Book Me bookings: those of ``etype`` as
        :class:`engine.ExistingBooking` (seats, pending), the others as busy time carrying
        their own type's buffers. A booking's own calendar event is not counted twice."""
        host = host or etype.user_id
        # The queries below read the tables directly: write pending ORM changes first.
        for model in ("calendar.event", "calendar.attendee", "bookme.booking", "bookme.event.type"):
            self.env[model].flush_model()
        cr = self.env.cr
        cr.execute(SQL(
            """
            SELECT e.start, e.stop, e.allday, e.start_date, e.stop_date
              FROM calendar_event e
             WHERE e.active AND e.show_as = 'busy' AND e.bookme_free IS NOT TRUE
               AND e.start < %(hi)s AND e.stop > %(lo)s
               AND (e.user_id = %(uid)s OR EXISTS (
                        SELECT 1 FROM calendar_attendee a
                         WHERE a.event_id = e.id AND a.partner_id = %(pid)s
                           AND a.state != 'declined'))
               AND NOT EXISTS (SELECT 1 FROM bookme_booking b WHERE b.calendar_event_id = e.id)
            """,
            hi=hi, lo=lo, uid=host.id, pid=host.partner_id.id,
        ))
        busy = [
            engine.all_day_busy(start_date, stop_date, tz)
            if allday and start_date
            else engine.Busy(as_utc(start), as_utc(stop))
            for start, stop, allday, start_date, stop_date in cr.fetchall()
        ]
        cr.execute(SQL(
            """
            SELECT b.id, b.event_type_id, b.start, b.stop, b.state, b.seats,
                   t.buffer_before, t.buffer_after,
                   (t.requires_approval AND t.multiple_requests) AS pending_free
              FROM bookme_booking b
              JOIN bookme_event_type t ON t.id = b.event_type_id
             WHERE b.user_id = %(uid)s AND b.state IN %(states)s
               AND b.start < %(hi)s AND b.stop > %(lo)s
            """,
            uid=host.id, states=ACTIVE_STATES, hi=hi, lo=lo,
        ))
        bookings = []
        # Automatic mode measures free gaps from busy time only: there, this type's own
        # (individual) bookings are busy time too.
        automatic = etype.is_personal and host.bookme_mode == "automatic"
        for bid, type_id, start, stop, state, seats, before, after, pending_free in cr.fetchall():
            pending = state == "requested"
            if type_id == etype.id:
                bookings.append(engine.ExistingBooking(
                    as_utc(start), as_utc(stop), seats=seats or 1, pending=pending, key=bid
                ))
                if automatic and bid != exclude_id and (not pending or not pending_free):
                    busy.append(engine.Busy(as_utc(start), as_utc(stop)))
            elif not (pending and pending_free):
                busy.append(engine.Busy(as_utc(start), as_utc(stop), before or 0, after or 0))
        return busy, bookings

    @api.model
    def _free_windows(self, etype, lo, hi, host=None):
        host = host or etype.user_id
        if not etype.is_personal or host.bookme_mode == "automatic":
            return []
        events = self.env["calendar.event"].sudo().search_fetch(
            [
                ("user_id", "=", host.id),
                ("bookme_free", "=", True),
                ("start", "<", hi),
                ("stop", ">", lo),
            ],
            ["start", "stop"],
            order="start",
        )
        return [(as_utc(ev.start), as_utc(ev.stop)) for ev in events]

    @api.model
    def _window_from_dates(self, date_from, date_to, tz):
        """[date_from 00:00, date_to + 1 day 00:00) in ``tz``, as aware UTC datetimes."""
        zone = ZoneInfo(tz)
        start = datetime.combine(date_from, time.min, zone).astimezone(UTC)
        end = datetime.combine(date_to + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start, end
