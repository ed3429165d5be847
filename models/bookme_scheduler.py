from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.tools import SQL

from .. import engine
from .utils import ACTIVE_STATES, UTC, as_naive, as_utc


class BookmeScheduler(models.AbstractModel):
    """The bridge between Odoo's records and the plain-Python engine.

    It gathers everything one host's slots depend on in two SQL queries, whatever the
    number of events (working hours, date-specific hours and time off; busy events,
    bookings and free-for-appointment windows), hands it to :mod:`crm_bookme.engine`, and
    returns the engine's answer. The
    booking path calls :meth:`_check_slot` inside its transaction, under the host lock.
    """

    _name = "bookme.scheduler"
    _description = "Book Me scheduler"

    @api.model
    def _now(self):
        return as_utc(fields.Datetime.now())

    @api.model
    def _slots(self, etype, start, end, now=None, exclude_booking=None, host=None, host_decision=False):
        """Offered slots of ``etype`` whose start lies in [start, end) (aware UTC).

        ``host``: compute them for another staff member than the type's host (approving a
        request with another host: that user's hours and calendar decide).
        ``host_decision``: the host decides (approval), so the guest-facing notice and date
        range do not apply (:func:`engine.for_host`)."""
        inputs = self._engine_inputs(etype, start, end, now, exclude_booking, host, host_decision)
        return engine.compute_slots(window_start=start, window_end=end, **inputs)

    @api.model
    def _check_slot(
        self, etype, start, seats=1, now=None, exclude_booking=None, host=None, host_decision=False
    ):
        """The engine's slot at ``start`` if it is still bookable with ``seats``, else None
        (``host`` and ``host_decision`` as in :meth:`_slots`)."""
        # Under the host lock: Google's busy time from the cache only (no outside call).
        inputs = self.with_context(bookme_google_cache_only=True)._engine_inputs(
            etype, start, start + timedelta(minutes=1), now, exclude_booking, host, host_decision
        )
        return engine.check_slot(start=start, seats=seats, **inputs)

    # --- Gathering ---------------------------------------------------------------------------

    @api.model
    def _engine_inputs(
        self, etype, start, end, now=None, exclude_booking=None, host=None, host_decision=False
    ):
        etype = etype.sudo()
        host = (host or etype.user_id).sudo()
        # Daily limits count whole local days and buffers reach across the window's edges.
        margin = timedelta(days=1, minutes=etype.buffer_before + etype.buffer_after + 24 * 60)
        lo, hi = as_naive(start - margin), as_naive(end + margin)
        availability, host_mode = self._availability(etype, lo, hi, host)
        busy, bookings, free_windows = self._time_taken(
            etype,
            lo,
            hi,
            availability.tz,
            host_mode,
            exclude_id=exclude_booking.id if exclude_booking else None,
            host=host,
        )
        busy += self._google_busy(etype, lo, hi, host)
        rules = self._rules(etype, host)
        return {
            "availability": availability,
            "rules": engine.for_host(rules) if host_decision else rules,
            "now": now or self._now(),
            "busy": busy,
            "bookings": bookings,
            "free_windows": free_windows,
            "exclude_key": exclude_booking.id if exclude_booking else None,
        }

    @api.model
    def _google_busy(self, etype, lo, hi, host=None):
        """Busy time of the host's Google calendars marked "Count as Busy" (a short-lived
        database cache; see ``bookme_google_busy``)."""
        return self.env["bookme.google.busy"]._google_busy(
            host or etype.user_id,
            lo,
            hi,
            fetch=not self.env.context.get("bookme_google_cache_only"),
        )

    @api.model
    def _rules(self, etype, host=None):
        host = host or etype.user_id
        if etype.is_personal:
            notice = (
                self.env["ir.config_parameter"].sudo().get_param("crm_bookme.personal_notice", "next_day")
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

    # The gathering reads the tables directly, in two queries whatever the data (one for
    # the hours, one for the time taken), only the columns the engine needs, and no
    # per-record ORM reads: pending ORM changes are written first.
    _AVAILABILITY_MODELS = (
        "res.users",
        "res.partner",
        "res.company",
        "resource.resource",
        "resource.calendar",
        "resource.calendar.attendance",
        "resource.calendar.leaves",
        "bookme.date.availability",
    )
    _BUSY_MODELS = ("calendar.event", "calendar.attendee", "bookme.booking", "bookme.event.type")

    @api.model
    def _availability(self, etype, lo, hi, host=None):
        """The host's weekly hours, date-specific hours and time off around [lo, hi), as
        an :class:`engine.Availability`, and the host's slot mode (read in the same query).

        The weekly hours are the type's own, or the host's; another staff member than the
        type's host (see :meth:`_slots`) always brings their own hours."""
        host = host or etype.user_id
        for model in self._AVAILABILITY_MODELS:
            self.env[model].flush_model()
        own_calendar = not etype.is_personal and not etype.use_global_availability and host == etype.user_id
        self.env.cr.execute(
            SQL(
                """
            WITH host AS (
                SELECT u.id, u.company_id, p.tz, u.bookme_mode,
                       -- res.users.resource_calendar_id: the first active resource's hours
                       (SELECT r.calendar_id FROM resource_resource r
                         WHERE r.user_id = u.id AND r.active
                         ORDER BY r.name, r.id LIMIT 1) AS user_calendar_id,
                       ARRAY(SELECT r.id FROM resource_resource r
                              WHERE r.user_id = u.id AND r.active) AS resource_ids
                  FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                 WHERE u.id = %(uid)s
            ), cal AS (
                SELECT host.*, c.id AS calendar_id, c.tz AS calendar_tz,
                       co.resource_calendar_id AS company_calendar_id
                  FROM host
                  LEFT JOIN resource_calendar c
                         ON c.id = CASE WHEN %(own)s THEN %(type_calendar)s
                                        ELSE host.user_calendar_id END
                  LEFT JOIN res_company co ON co.id = host.company_id
            )
            SELECT cal.bookme_mode, cal.tz, cal.calendar_id, cal.calendar_tz,
                   (SELECT json_agg(json_build_array(a.dayofweek, a.hour_from, a.hour_to,
                                                     a.day_period)
                                    ORDER BY a.sequence, a.week_type, a.dayofweek, a.hour_from, a.id)
                      FROM resource_calendar_attendance a
                     WHERE a.calendar_id = cal.calendar_id AND a.display_type IS NULL),
                   (SELECT json_agg(json_build_array(o.date, o.hour_from, o.hour_to)
                                    ORDER BY o.date, o.hour_from, o.id)
                      FROM bookme_date_availability o
                     WHERE o.user_id = cal.id AND o.date >= %(lo_day)s AND o.date <= %(hi_day)s),
                   -- the host's own time off, and company-wide time off: on the host's
                   -- hours, on the company's default hours (which personal hours are
                   -- copied from), or on no hours
                   (SELECT json_agg(json_build_array(lv.date_from, lv.date_to)
                                    ORDER BY lv.date_from, lv.id)
                      FROM resource_calendar_leaves lv
                     WHERE lv.time_type = 'leave' AND lv.date_from < %(hi)s AND lv.date_to > %(lo)s
                       AND (lv.resource_id = ANY(cal.resource_ids)
                            OR (lv.resource_id IS NULL
                                AND (lv.calendar_id IS NULL
                                     OR lv.calendar_id IN (cal.calendar_id, cal.company_calendar_id))
                                AND (lv.company_id IS NULL OR lv.company_id = cal.company_id))))
              FROM cal
            """,
                uid=host.id,
                own=own_calendar,
                type_calendar=etype.resource_calendar_id.id or None,
                lo=lo,
                hi=hi,
                lo_day=lo.date(),
                hi_day=hi.date(),
            )
        )
        (host_mode, host_tz, calendar_id, calendar_tz, attendances, overrides, leaves) = (
            self.env.cr.fetchone()
        )
        if attendances:
            weekly = tuple(
                engine.WeeklyInterval(int(day), hour_from, hour_to)
                for day, hour_from, hour_to, period in attendances
                if period != "lunch"
            )
        else:
            weekly = engine.DEFAULT_BUSINESS_HOURS
        date_overrides = {}
        for day, hour_from, hour_to in overrides or ():
            date_overrides.setdefault(date.fromisoformat(day), []).append((hour_from, hour_to))
        availability = engine.Availability(
            tz=(calendar_tz if calendar_id else None) or host_tz or "UTC",
            weekly=weekly,
            date_overrides={day: tuple(hours) for day, hours in date_overrides.items()},
            time_off=tuple(
                (as_utc(datetime.fromisoformat(start)), as_utc(datetime.fromisoformat(stop)))
                for start, stop in leaves or ()
            ),
        )
        return availability, host_mode

    @api.model
    def _time_taken(self, etype, lo, hi, tz, host_mode, exclude_id=None, host=None):
        """(busy, bookings, free windows) of the host around [lo, hi), in one query.

        Busy: the host's busy calendar events, the ones they organise and the ones they
        attend and have not declined (less their own, by ids), each found from its own
        index (an OR of both would scan every event of everyone before ``hi``); plus
        Book Me bookings: those of ``etype`` as :class:`engine.ExistingBooking` (seats,
        pending), the others as busy time carrying their own type's buffers. A booking's
        own calendar event is not counted twice. Free windows: the host's
        free-for-appointment events, by start (personal page, unless automatic mode)."""
        uid = (host or etype.user_id).id
        for model in self._BUSY_MODELS:
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
            SELECT 'e', e.start, e.stop, e.allday, e.start_date, e.stop_date,
                   NULL::int, NULL::int, NULL::varchar, NULL::int, NULL::int, NULL::int, NULL::bool
              FROM calendar_event e
             WHERE e.user_id = %(uid)s
               AND e.active AND e.show_as = 'busy' AND e.bookme_free IS NOT TRUE
               AND e.stop > %(lo)s AND e.start < %(hi)s
               AND NOT EXISTS (SELECT 1 FROM bookme_booking b WHERE b.calendar_event_id = e.id)
            UNION ALL
            SELECT 'e', e.start, e.stop, e.allday, e.start_date, e.stop_date,
                   NULL, NULL, NULL, NULL, NULL, NULL, NULL
              FROM calendar_event e
             WHERE e.id = ANY(ARRAY(SELECT a.event_id FROM calendar_attendee a
                                     WHERE a.partner_id = (SELECT partner_id FROM res_users
                                                            WHERE id = %(uid)s)
                                       AND a.state != 'declined'
                                    EXCEPT
                                    SELECT o.id FROM calendar_event o WHERE o.user_id = %(uid)s))
               AND e.user_id IS DISTINCT FROM %(uid)s
               AND e.active AND e.show_as = 'busy' AND e.bookme_free IS NOT TRUE
               AND e.stop > %(lo)s AND e.start < %(hi)s
               AND NOT EXISTS (SELECT 1 FROM bookme_booking b WHERE b.calendar_event_id = e.id)
            UNION ALL
            SELECT 'b', b.start, b.stop, NULL, NULL, NULL,
                   b.id, b.event_type_id, b.state, b.seats, t.buffer_before, t.buffer_after,
                   (t.requires_approval AND t.multiple_requests)
              FROM bookme_booking b
              JOIN bookme_event_type t ON t.id = b.event_type_id
             WHERE b.user_id = %(uid)s AND b.state IN %(states)s
               AND b.start < %(hi)s AND b.stop > %(lo)s
            UNION ALL
            SELECT 'f', e.start, e.stop, NULL, NULL, NULL, e.id, NULL, NULL, NULL, NULL, NULL, NULL
              FROM calendar_event e
             WHERE %(free)s AND e.user_id = %(uid)s AND e.active AND e.bookme_free
               AND e.start < %(hi)s AND e.stop > %(lo)s
            """,
                uid=uid,
                states=ACTIVE_STATES,
                hi=hi,
                lo=lo,
                free=bool(etype.is_personal and host_mode != "automatic"),
            )
        )
        rows = self.env.cr.fetchall()
        busy, bookings, free = [], [], []
        # Automatic mode measures free gaps from busy time only: there, this type's own
        # (individual) bookings are busy time too.
        automatic = etype.is_personal and host_mode == "automatic"
        all_day_busy, Busy = engine.all_day_busy, engine.Busy
        for kind, start, stop, allday, start_date, stop_date, *booking in rows:
            if kind == "e":
                busy.append(
                    all_day_busy(start_date, stop_date, tz)
                    if allday and start_date
                    else Busy(start.replace(tzinfo=UTC), stop.replace(tzinfo=UTC))
                )
            elif kind == "f":
                free.append((start, booking[0], as_utc(start), as_utc(stop)))
        for kind, start, stop, *_dates, bid, type_id, state, seats, before, after, pending_free in rows:
            if kind != "b":
                continue
            pending = state == "requested"
            if type_id == etype.id:
                bookings.append(
                    engine.ExistingBooking(
                        as_utc(start), as_utc(stop), seats=seats or 1, pending=pending, key=bid
                    )
                )
                if automatic and bid != exclude_id and (not pending or not pending_free):
                    busy.append(Busy(as_utc(start), as_utc(stop)))
            elif not (pending and pending_free):
                busy.append(Busy(as_utc(start), as_utc(stop), before or 0, after or 0))
        free.sort(key=lambda item: item[:2])
        return busy, bookings, [(start, stop) for _s, _id, start, stop in free]

    @api.model
    def _window_from_dates(self, date_from, date_to, tz):
        """[date_from 00:00, date_to + 1 day 00:00) in ``tz``, as aware UTC datetimes."""
        zone = ZoneInfo(tz)
        start = datetime.combine(date_from, time.min, zone).astimezone(UTC)
        end = datetime.combine(date_to + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start, end
