from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.tools import SQL

from .. import engine
from .utils import ACTIVE_STATES, UTC, as_utc


class BookmeScheduler(models.AbstractModel):
    """The bridge between Odoo's records and the plain-Python engine.

    It gathers everything one host's slots depend on in one SQL query, whatever the
    number of events (:meth:`_gather`): the type's and the host's settings and weekly
    hours, and, in the span the engine names (:func:`engine.gathering_span`),
    date-specific hours, time off, busy time (merged in the database), the host's bookings
    and free-for-appointment windows. Instants cross as epoch seconds, so no datetime is
    built per event. The engine decides what the data means (:func:`engine.split_bookings`,
    :func:`engine.compute_slots`). The booking path calls :meth:`_check_slot` inside its
    transaction, under the host lock.
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
        data = self._gather(etype, start, end, host)
        rules = data["rules"]
        exclude_key = exclude_booking.id if exclude_booking else None
        busy, bookings = engine.split_bookings(data["host_bookings"], etype.id, rules, exclude_key)
        busy += data["busy"]
        if data["google"]:
            lo, hi = data["span"]
            busy += self._google_busy(etype, lo, hi, self.env["res.users"].browse(data["host_id"]))
        return {
            "availability": data["availability"],
            "rules": engine.for_host(rules) if host_decision else rules,
            "now": now or self._now(),
            "busy": busy,
            "busy_spans": data["busy_spans"],
            "bookings": bookings,
            "free_windows": data["free_windows"],
            "exclude_key": exclude_key,
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

    # One round trip, whatever the data. It reads the tables directly (only the columns the
    # engine needs; per-record ORM reads would each be a query on a cold cache), so pending
    # ORM changes are written first.
    #
    # - the type's rules and the host (``host``, or the type's): its zone, weekly hours
    #   (the type's own, or the host's; another staff member than the type's host, see
    #   :meth:`_slots`, always brings their own hours), whether Google counts;
    # - ``span``: the span engine.gathering_span names for the window (the same formula;
    #   TestGatheringIsUnchanged holds them equal), and in it:
    # - date-specific hours;
    # - time off: the host's own, and company-wide time off on the host's hours, on the
    #   company's default hours (which personal hours are copied from) or on no hours;
    # - busy time: the host's busy calendar events, the ones they organise (one index,
    #   ``calendar_event_bookme_busy_idx``) and the ones others organise that they attend
    #   and have not declined (``calendar_attendee_bookme_partner_organizer_idx``; an OR of
    #   both would scan every event of everyone before ``hi``), merged by PostgreSQL
    #   (``range_agg``) into the few spans the engine needs;
    #   all-day events by their dates (their day runs midnight to midnight in the host's
    #   zone), zero-length ones as instants. A booking's own event (``bookme_booked``) is
    #   not busy time: the booking itself is;
    # - the host's bookings that may hold time, with their type's buffers (for
    #   engine.split_bookings), found when their buffered time overlaps;
    # - free-for-appointment windows, by start (personal page, unless automatic mode).
    # Instants come as epoch seconds (no datetime built per row). The query runs inside a
    # PL/pgSQL function so that PostgreSQL plans it once per connection (planning it took
    # longer than running it), see :meth:`init`.
    _GATHER = """
        WITH t AS (
            SELECT * FROM bookme_event_type WHERE id = p_type_id
        ), host AS (
            SELECT u.id, u.company_id, u.partner_id, p.tz, u.bookme_mode,
                   u.bookme_slot_duration, u.bookme_min_gap,
                   -- res.users.resource_calendar_id: the first active resource's hours
                   (SELECT r.calendar_id FROM resource_resource r
                     WHERE r.user_id = u.id AND r.active
                     ORDER BY r.name, r.id LIMIT 1) AS user_calendar_id,
                   ARRAY(SELECT r.id FROM resource_resource r
                          WHERE r.user_id = u.id AND r.active) AS resource_ids
              FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id = COALESCE(p_host_id, (SELECT user_id FROM t))
        ), cal AS (
            SELECT host.*, c.id AS calendar_id, c.tz AS calendar_tz,
                   co.resource_calendar_id AS company_calendar_id,
                   t.is_personal IS TRUE AND host.bookme_mode IS DISTINCT FROM 'automatic' AS free
              FROM host CROSS JOIN t
              LEFT JOIN resource_calendar c
                     ON c.id = CASE WHEN t.is_personal IS NOT TRUE
                                         AND t.use_global_availability IS NOT TRUE
                                         AND host.id = t.user_id
                                    THEN t.resource_calendar_id
                                    ELSE host.user_calendar_id END
              LEFT JOIN res_company co ON co.id = host.company_id
        ), span AS (
            SELECT to_timestamp(p_start - margin) AT TIME ZONE 'UTC' AS lo,
                   to_timestamp(p_end + margin + 60 * d) AT TIME ZONE 'UTC' AS hi
              FROM (SELECT d, 86400 + 60 * (greatest(d, g) + b) AS margin
                      FROM (SELECT CASE WHEN t.is_personal THEN COALESCE(cal.bookme_slot_duration, 0)
                                        ELSE COALESCE(t.duration, 0) END AS d,
                                   CASE WHEN t.is_personal THEN COALESCE(cal.bookme_min_gap, 0)
                                        ELSE 0 END AS g,
                                   CASE WHEN t.is_personal THEN 0
                                        ELSE COALESCE(t.buffer_before, 0) + COALESCE(t.buffer_after, 0)
                                   END AS b
                              FROM t CROSS JOIN cal) k) m
        ), ev AS (
            SELECT e.start, e.stop, (e.allday IS TRUE AND e.start_date IS NOT NULL) AS whole_day,
                   e.start_date, e.stop_date
              FROM calendar_event e
             WHERE e.user_id = (SELECT id FROM cal)
               AND e.active AND e.show_as = 'busy' AND e.bookme_free IS NOT TRUE
               AND e.bookme_booked IS NOT TRUE
               AND e.stop > (SELECT lo FROM span) AND e.start < (SELECT hi FROM span)
            UNION ALL
            SELECT e.start, e.stop, (e.allday IS TRUE AND e.start_date IS NOT NULL),
                   e.start_date, e.stop_date
              FROM calendar_event e
             WHERE e.id = ANY(ARRAY(
                       -- three ranges of one index, around the host's own events
                       SELECT a.event_id FROM calendar_attendee a
                        WHERE a.partner_id = (SELECT partner_id FROM cal) AND a.state != 'declined'
                          AND a.bookme_organizer_id < (SELECT id FROM cal)
                       UNION ALL
                       SELECT a.event_id FROM calendar_attendee a
                        WHERE a.partner_id = (SELECT partner_id FROM cal) AND a.state != 'declined'
                          AND a.bookme_organizer_id > (SELECT id FROM cal)
                       UNION ALL
                       SELECT a.event_id FROM calendar_attendee a
                        WHERE a.partner_id = (SELECT partner_id FROM cal) AND a.state != 'declined'
                          AND a.bookme_organizer_id IS NULL))
               AND e.user_id IS DISTINCT FROM (SELECT id FROM cal)
               AND e.active AND e.show_as = 'busy' AND e.bookme_free IS NOT TRUE
               AND e.bookme_booked IS NOT TRUE
               AND e.stop > (SELECT lo FROM span) AND e.start < (SELECT hi FROM span)
        )
        SELECT t.is_personal IS TRUE, t.kind, t.capacity, t.duration, t.increment,
               t.min_notice, t.date_range_mode, t.rolling_days, t.date_from, t.date_to,
               t.daily_limit, t.buffer_before, t.buffer_after,
               (t.requires_approval AND t.multiple_requests) IS TRUE,
               cal.id, cal.tz, cal.bookme_mode, cal.bookme_slot_duration, cal.bookme_min_gap,
               cal.calendar_id, cal.calendar_tz, span.lo, span.hi,
               (SELECT json_agg(json_build_array(a.dayofweek, a.hour_from, a.hour_to)
                                ORDER BY a.sequence, a.week_type, a.dayofweek, a.hour_from, a.id)
                  FROM resource_calendar_attendance a
                 WHERE a.calendar_id = cal.calendar_id AND a.display_type IS NULL
                   AND a.day_period IS DISTINCT FROM 'lunch'),
               EXISTS (SELECT 1 FROM bookme_google_calendar gc
                         JOIN bookme_google_account ga ON ga.id = gc.account_id
                        WHERE gc.user_id = cal.id AND gc.check_busy AND gc.active AND ga.active),
               (SELECT json_agg(json_build_array(o.date, o.hour_from, o.hour_to)
                                ORDER BY o.date, o.hour_from, o.id)
                  FROM bookme_date_availability o
                 WHERE o.user_id = cal.id AND o.date >= span.lo::date AND o.date <= span.hi::date),
               (SELECT json_agg(json_build_array(floor(date_part('epoch', lv.date_from))::bigint,
                                                 ceil(date_part('epoch', lv.date_to))::bigint)
                                ORDER BY lv.date_from, lv.id)
                  FROM resource_calendar_leaves lv
                 WHERE lv.time_type = 'leave' AND lv.date_from < span.hi AND lv.date_to > span.lo
                   AND (lv.resource_id = ANY(cal.resource_ids)
                        OR (lv.resource_id IS NULL
                            AND (lv.calendar_id IS NULL
                                 OR lv.calendar_id IN (cal.calendar_id, cal.company_calendar_id))
                            AND (lv.company_id IS NULL OR lv.company_id = cal.company_id)))),
               (SELECT json_agg(json_build_array(floor(date_part('epoch', lower(r)))::bigint,
                                                 ceil(date_part('epoch', upper(r)))::bigint))
                  FROM unnest((SELECT range_agg(tsrange(ev.start, ev.stop)) FROM ev
                                WHERE NOT ev.whole_day AND ev.stop > ev.start)) r),
               (SELECT json_agg(json_build_array(floor(date_part('epoch', ev.start))::bigint,
                                                 ceil(date_part('epoch', ev.stop))::bigint))
                  FROM ev WHERE NOT ev.whole_day AND ev.stop <= ev.start),
               (SELECT json_agg(json_build_array(ev.start_date, ev.stop_date)) FROM ev WHERE ev.whole_day),
               (SELECT json_agg(json_build_array(
                           floor(date_part('epoch', b.start))::bigint,
                           ceil(date_part('epoch', b.stop))::bigint,
                           b.event_type_id, b.seats, b.state = 'requested', b.id,
                           COALESCE(bt.buffer_before, 0), COALESCE(bt.buffer_after, 0),
                           (bt.requires_approval AND bt.multiple_requests) IS TRUE))
                  FROM bookme_booking b
                  JOIN bookme_event_type bt ON bt.id = b.event_type_id
                 WHERE b.user_id = cal.id AND b.state = ANY(p_states)
                   AND b.start < span.hi + make_interval(mins => COALESCE(bt.buffer_before, 0))
                   AND b.stop > span.lo - make_interval(mins => COALESCE(bt.buffer_after, 0))),
               (SELECT json_agg(json_build_array(ceil(date_part('epoch', e.start))::bigint,
                                                 floor(date_part('epoch', e.stop))::bigint)
                                ORDER BY e.start, e.id)
                  FROM calendar_event e
                 WHERE cal.free AND e.user_id = cal.id AND e.active AND e.bookme_free
                   AND e.start < span.hi AND e.stop > span.lo)
          FROM t CROSS JOIN cal CROSS JOIN span
    """

    _GATHER_COLUMNS = """
        personal boolean, kind varchar, capacity integer, duration integer, increment integer,
        min_notice integer, date_range_mode varchar, rolling_days integer, date_from date,
        date_to date, daily_limit integer, buffer_before integer, buffer_after integer,
        multiple_requests boolean, host_id integer, host_tz varchar, host_mode varchar,
        host_duration integer, host_min_gap integer, calendar_id integer, calendar_tz varchar,
        lo timestamp, hi timestamp, attendances json, google boolean, overrides json,
        leaves json, spans json, instants json, whole_days json, bookings json, free json
    """

    _GATHER_FUNCTION = (
        """
        DROP FUNCTION IF EXISTS bookme_gather(integer, integer, bigint, bigint, varchar[]);
        CREATE FUNCTION bookme_gather(p_type_id integer, p_host_id integer, p_start bigint,
                                      p_end bigint, p_states varchar[])
        RETURNS TABLE ("""
        + _GATHER_COLUMNS
        + """) LANGUAGE plpgsql STABLE AS $gather$
        #variable_conflict use_column
        BEGIN
            RETURN QUERY """
        + _GATHER
        + """;
        END
        $gather$
        """
    )

    def init(self):
        self.env.cr.execute(SQL(self._GATHER_FUNCTION))

    @api.model
    def _gather(self, etype, start, end, host=None):
        """Everything the slots of ``etype`` in [start, end) depend on (see ``_GATHER``)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT * FROM bookme_gather(%s, %s, %s, %s, %s)",
                etype.id,
                host.id if host else None,
                engine.epoch_floor(start),
                engine.epoch_ceil(end),
                list(ACTIVE_STATES),
            )
        )
        (
            personal,
            kind,
            capacity,
            duration,
            increment,
            min_notice,
            date_range_mode,
            rolling_days,
            date_from,
            date_to,
            daily_limit,
            buffer_before,
            buffer_after,
            multiple_requests,
            host_id,
            host_tz,
            host_mode,
            host_duration,
            host_min_gap,
            calendar_id,
            calendar_tz,
            lo,
            hi,
            attendances,
            google,
            overrides,
            leaves,
            spans,
            instants,
            whole_days,
            bookings,
            free,
        ) = self.env.cr.fetchone()
        if personal:
            notice = (
                self.env["ir.config_parameter"].sudo().get_param("crm_bookme.personal_notice", "next_day")
            )
            rules = engine.Rules(
                duration=host_duration or 0,
                mode=host_mode,
                min_gap=host_min_gap or 0,
                notice_next_day=notice == "next_day",
            )
        else:
            rules = engine.Rules(
                duration=duration or 0,
                mode="windows",
                increment=increment or None,
                min_notice=min_notice or 0,
                date_range_mode=date_range_mode,
                rolling_days=rolling_days or 0,
                date_from=date_from,
                date_to=date_to,
                daily_limit=daily_limit or 0,
                buffer_before=buffer_before or 0,
                buffer_after=buffer_after or 0,
                capacity=(capacity or 0) if kind == "group" else 1,
                multiple_requests=multiple_requests,
            )
        if attendances:
            weekly = tuple(
                engine.WeeklyInterval(int(day), hour_from, hour_to) for day, hour_from, hour_to in attendances
            )
        else:
            weekly = engine.DEFAULT_BUSINESS_HOURS
        tz = (calendar_tz if calendar_id else None) or host_tz or "UTC"
        date_overrides = {}
        for day, hour_from, hour_to in overrides or ():
            date_overrides.setdefault(date.fromisoformat(day), []).append((hour_from, hour_to))
        HostBooking = engine.HostBooking
        return {
            "rules": rules,
            "host_id": host_id,
            "span": (lo, hi),
            "google": google,
            "availability": engine.Availability(
                tz=tz,
                weekly=weekly,
                date_overrides={day: tuple(hours) for day, hours in date_overrides.items()},
                time_off=tuple(tuple(pair) for pair in leaves or ()),
            ),
            "busy_spans": [tuple(pair) for pair in (spans or []) + (instants or [])],
            "busy": [
                engine.all_day_busy(date.fromisoformat(first), date.fromisoformat(last), tz)
                for first, last in whole_days or ()
            ],
            "host_bookings": [HostBooking(*row) for row in bookings or ()],
            "free_windows": [tuple(pair) for pair in free or ()],
        }

    @api.model
    def _window_from_dates(self, date_from, date_to, tz):
        """[date_from 00:00, date_to + 1 day 00:00) in ``tz``, as aware UTC datetimes."""
        zone = ZoneInfo(tz)
        start = datetime.combine(date_from, time.min, zone).astimezone(UTC)
        end = datetime.combine(date_to + timedelta(days=1), time.min, zone).astimezone(UTC)
        return start, end
