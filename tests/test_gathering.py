from datetime import date, timedelta

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.crm_bookme import engine
from odoo.addons.crm_bookme.engine.availability import utc_intervals
from odoo.addons.crm_bookme.engine.busy import blocked_intervals
from odoo.addons.crm_bookme.engine.localtime import epoch_ceil, epoch_floor
from odoo.addons.crm_bookme.models.utils import as_naive, as_utc

from .common import BookmeCase, naive, utc

MONDAY = utc(2030, 1, 7)


def reference_rules(env, etype, host):
    """The type's engine rules, read through the ORM."""
    if etype.is_personal:
        notice = env["ir.config_parameter"].sudo().get_param("crm_bookme.personal_notice", "next_day")
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
        date_from=etype.date_from or None,
        date_to=etype.date_to or None,
        daily_limit=etype.daily_limit,
        buffer_before=etype.buffer_before,
        buffer_after=etype.buffer_after,
        capacity=etype.capacity if etype.kind == "group" else 1,
        multiple_requests=etype.requires_approval and etype.multiple_requests,
    )


def reference_inputs(scheduler, etype, start, end, now, exclude_booking=None, host=None):
    """The engine inputs as Book Me gathered them before the gathering became SQL
    queries: through the ORM, record by record, with a margin of two days plus the
    buffers. The SQL gathering must give the engine the same data in the span it needs."""
    etype = etype.sudo()
    host = (host or etype.user_id).sudo()
    margin = timedelta(days=1, minutes=etype.buffer_before + etype.buffer_after + 24 * 60)
    lo, hi = as_naive(start - margin), as_naive(end + margin)
    env = scheduler.env
    if not etype.is_personal and not etype.use_global_availability and host == etype.user_id:
        calendar = etype.resource_calendar_id
    else:
        calendar = host.resource_calendar_id
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
    for rec in (
        env["bookme.date.availability"]
        .sudo()
        .search([("user_id", "=", host.id), ("date", ">=", lo.date()), ("date", "<=", hi.date())])
    ):
        overrides.setdefault(rec.date, []).append((rec.hour_from, rec.hour_to))
    shared = [False, *(calendar | host.company_id.resource_calendar_id).ids]
    leaves = (
        env["resource.calendar.leaves"]
        .sudo()
        .search(
            [
                "|",
                ("resource_id", "in", host.resource_ids.ids),
                "&",
                "&",
                ("resource_id", "=", False),
                ("calendar_id", "in", shared),
                ("company_id", "in", [False, host.company_id.id]),
                ("time_type", "=", "leave"),
                ("date_from", "<", hi),
                ("date_to", ">", lo),
            ]
        )
    )
    availability = engine.Availability(
        tz=tz,
        weekly=weekly,
        date_overrides={day: tuple(hours) for day, hours in overrides.items()},
        time_off=tuple((as_utc(lv.date_from), as_utc(lv.date_to)) for lv in leaves),
    )
    busy = []
    events = (
        env["calendar.event"]
        .sudo()
        .search(
            [
                ("show_as", "=", "busy"),
                ("bookme_free", "=", False),
                ("start", "<", hi),
                ("stop", ">", lo),
            ]
        )
    )
    for ev in events:
        if ev.bookme_booking_ids:
            continue
        attends = ev.attendee_ids.filtered(
            lambda a: a.partner_id == host.partner_id and a.state != "declined"
        )
        if ev.user_id != host and not attends:
            continue
        busy.append(
            engine.all_day_busy(ev.start_date, ev.stop_date, tz)
            if ev.allday and ev.start_date
            else engine.Busy(as_utc(ev.start), as_utc(ev.stop))
        )
    bookings = []
    automatic = etype.is_personal and host.bookme_mode == "automatic"
    exclude_id = exclude_booking.id if exclude_booking else None
    for b in (
        env["bookme.booking"]
        .sudo()
        .search(
            [
                ("user_id", "=", host.id),
                ("state", "in", ("requested", "confirmed")),
                ("start", "<", hi),
                ("stop", ">", lo),
            ]
        )
    ):
        pending = b.state == "requested"
        pending_free = b.event_type_id.requires_approval and b.event_type_id.multiple_requests
        if b.event_type_id == etype:
            bookings.append(
                engine.ExistingBooking(
                    as_utc(b.start), as_utc(b.stop), seats=b.seats or 1, pending=pending, key=b.id
                )
            )
            if automatic and b.id != exclude_id and (not pending or not pending_free):
                busy.append(engine.Busy(as_utc(b.start), as_utc(b.stop)))
        elif not (pending and pending_free):
            busy.append(
                engine.Busy(
                    as_utc(b.start),
                    as_utc(b.stop),
                    b.event_type_id.buffer_before,
                    b.event_type_id.buffer_after,
                )
            )
    free = []
    if etype.is_personal and host.bookme_mode != "automatic":
        free = [
            (as_utc(ev.start), as_utc(ev.stop))
            for ev in env["calendar.event"]
            .sudo()
            .search(
                [
                    ("user_id", "=", host.id),
                    ("bookme_free", "=", True),
                    ("start", "<", hi),
                    ("stop", ">", lo),
                ],
                order="start",
            )
        ]
    return {
        "availability": availability,
        "rules": reference_rules(env, etype, host),
        "now": now,
        "busy": busy,
        "bookings": bookings,
        "free_windows": free,
        "exclude_key": exclude_id,
    }


def comparable(inputs, span):
    """The inputs as the engine sees them (epoch seconds, busy time as its merged blocked
    intervals, bare and with the type's buffers), restricted to ``span`` (epoch seconds):
    the data the SQL gathering hands over in another form (merged busy spans, epoch
    numbers), and, outside the span, the reference's wider margin, must not matter."""
    lo, hi = span
    rules = inputs["rules"]
    av = inputs["availability"]

    def clip(intervals):
        return [
            (max(a, lo), min(b, hi)) for a, b in intervals if (b > lo and a < hi) or (a == b and lo < a < hi)
        ]

    def busy(before, after, raw=False):
        return clip(
            blocked_intervals(inputs["busy"], before, after, raw=raw, spans=inputs.get("busy_spans", ()))
        )

    return {
        "tz": av.tz,
        "weekly": av.weekly,
        "date_overrides": dict(av.date_overrides),
        "time_off": sorted(clip(utc_intervals(av.time_off, widen=True))),
        "rules": rules,
        "busy": busy(0, 0, raw=True),
        "buffered_busy": busy(rules.buffer_before, rules.buffer_after),
        "bookings": sorted(
            (epoch_floor(b.start), epoch_ceil(b.end), b.seats, b.pending, b.key)
            for b in inputs["bookings"]
            if epoch_ceil(b.end) > lo and epoch_floor(b.start) < hi
        ),
        "free_windows": clip(utc_intervals(inputs["free_windows"], widen=False)),
        "exclude_key": inputs["exclude_key"],
    }


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestGatheringIsUnchanged(BookmeCase):
    """The gathering reads the tables with two SQL queries; on a dataset with every kind of
    record it must give the engine exactly what the record-by-record ORM gathering gave."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Hours with a lunch break and a section line; the company's default hours too.
        cls.calendar.attendance_ids = [
            Command.create(
                {"name": "Lunch", "dayofweek": "5", "hour_from": 12.5, "hour_to": 13.0, "day_period": "lunch"}
            ),
            Command.create(
                {
                    "name": "Section",
                    "dayofweek": "0",
                    "hour_from": 0,
                    "hour_to": 0,
                    "display_type": "line_section",
                }
            ),
            Command.create(
                {"name": "Sat", "dayofweek": "5", "hour_from": 10.0, "hour_to": 12.5, "day_period": "morning"}
            ),
        ]
        other = new_test_user(env, login="bookme_other", name="Other Organizer", email="other@example.com")
        host = cls.host
        Event = env["calendar.event"].with_context(no_mail_to_attendees=True)

        def event(start, hours, **vals):
            return Event.create(
                {"name": "Busy", "start": naive(start), "stop": naive(start + timedelta(hours=hours)), **vals}
            )

        event(MONDAY + timedelta(hours=9), 1, user_id=host.id)  # organised
        event(
            MONDAY + timedelta(hours=11),
            1,
            user_id=other.id,  # attended
            partner_ids=[Command.link(host.partner_id.id)],
        )
        declined = event(
            MONDAY + timedelta(hours=13), 1, user_id=other.id, partner_ids=[Command.link(host.partner_id.id)]
        )
        declined.attendee_ids.filtered(lambda a: a.partner_id == host.partner_id).state = "declined"
        event(MONDAY + timedelta(hours=14), 1, user_id=other.id)  # not the host's
        event(MONDAY + timedelta(days=1, hours=9), 2, user_id=host.id, show_as="free")
        event(MONDAY + timedelta(days=1, hours=12), 1, user_id=host.id, active=False)
        Event.create(
            {
                "name": "Holiday",
                "allday": True,
                "start_date": date(2030, 1, 16),
                "stop_date": date(2030, 1, 17),
                "start": naive(utc(2030, 1, 16, 8)),
                "stop": naive(utc(2030, 1, 17, 18)),
                "user_id": host.id,
            }
        )
        event(MONDAY + timedelta(days=2, hours=8), 3, user_id=host.id, bookme_free=True)
        event(MONDAY + timedelta(days=3, hours=8), 2, user_id=host.id, bookme_free=True)
        event(MONDAY + timedelta(days=40), 1, user_id=host.id)  # outside the window
        env["bookme.date.availability"].create(
            [
                {"user_id": host.id, "date": date(2030, 1, 12), "hour_from": 9.0, "hour_to": 11.0},
                {"user_id": host.id, "date": date(2030, 1, 12), "hour_from": 13.0, "hour_to": 15.5},
                {"user_id": other.id, "date": date(2030, 1, 12), "hour_from": 9.0, "hour_to": 11.0},
            ]
        )
        Leave = env["resource.calendar.leaves"]
        Leave.create(
            [
                {
                    "name": "Own",
                    "resource_id": host.resource_ids[:1].id,
                    "calendar_id": cls.calendar.id,
                    "date_from": naive(utc(2030, 1, 14, 8)),
                    "date_to": naive(utc(2030, 1, 14, 16)),
                },
                {
                    "name": "Company",
                    "calendar_id": False,
                    "company_id": host.company_id.id,
                    "date_from": naive(utc(2030, 1, 15, 0)),
                    "date_to": naive(utc(2030, 1, 16, 0)),
                },
                {
                    "name": "Other hours",
                    "calendar_id": env["resource.calendar"].create({"name": "Elsewhere"}).id,
                    "date_from": naive(utc(2030, 1, 16, 0)),
                    "date_to": naive(utc(2030, 1, 17, 0)),
                },
                {
                    "name": "Other's",
                    "resource_id": other.resource_ids[:1].id or False,
                    "date_from": naive(utc(2030, 1, 17, 0)),
                    "date_to": naive(utc(2030, 1, 18, 0)),
                },
            ]
        )
        cls.buffered = env["bookme.event.type"].create(
            {
                "name": "Buffered",
                "slug": "buffered",
                "user_id": host.id,
                "duration": 30,
                "buffer_before": 15,
                "buffer_after": 10,
                "min_notice": 0,
            }
        )
        cls.requests = env["bookme.event.type"].create(
            {
                "name": "Requests",
                "slug": "requests",
                "user_id": host.id,
                "duration": 30,
                "min_notice": 0,
                "requires_approval": True,
                "multiple_requests": True,
            }
        )
        Booking = env["bookme.booking"]
        cls.b1 = Booking._bookme_create(cls.etype, MONDAY + timedelta(days=1, hours=13), "A", "a@example.com")
        Booking._bookme_create(cls.buffered, MONDAY + timedelta(days=3, hours=13), "B", "b@example.com")
        Booking._bookme_create(cls.requests, MONDAY + timedelta(days=3, hours=14), "C", "c@example.com")
        Booking._bookme_create(cls.group_type, MONDAY + timedelta(days=4, hours=9), "D", "d@example.com")

    def assert_same(self, etype, exclude_booking=None, host=None):
        scheduler = self.env["bookme.scheduler"]
        start, end = MONDAY, MONDAY + timedelta(days=14)
        now = scheduler._now()
        self.env.invalidate_all()
        new = scheduler._engine_inputs(etype, start, end, now, exclude_booking, host)
        self.env.invalidate_all()
        old = reference_inputs(scheduler, etype, start, end, now, exclude_booking, host)
        self.assertTrue((new["busy"] or new["busy_spans"]) and new["availability"].time_off)
        # The query widens the window by the engine's own formula.
        lo, hi = engine.gathering_span(new["rules"], start, end)
        self.assertEqual(scheduler._gather(etype, start, end, host)["span"], (as_naive(lo), as_naive(hi)))
        span = (epoch_floor(lo), epoch_floor(hi))
        self.assertEqual(comparable(new, span), comparable(old, span))
        # And what matters in the end: the same slots.
        slots = engine.compute_slots(window_start=start, window_end=end, **new)
        self.assertEqual(slots, engine.compute_slots(window_start=start, window_end=end, **old))
        return slots

    def test_individual_type(self):
        self.assertTrue(self.assert_same(self.etype))

    def test_one_query_whatever_the_data(self):
        """The settings, hours and everything in the window in one query; no per-record
        read, even on a cold cache."""
        scheduler = self.env["bookme.scheduler"]
        start, end = MONDAY, MONDAY + timedelta(days=14)
        personal = self.host.bookme_personal_type_id
        for etype in (self.etype, self.buffered, self.group_type, personal):
            scheduler._slots(etype, start, end)  # registry caches (config parameters)
            self.env.invalidate_all()
            with self.subTest(etype=etype.name), self.assertQueryCount(1):
                self.assertTrue(scheduler._slots(etype, start, end))

    def test_individual_type_excluding_a_booking(self):
        self.assert_same(self.etype, exclude_booking=self.b1)

    def test_group_and_request_types(self):
        self.assert_same(self.group_type)
        self.assert_same(self.requests)

    def test_type_with_its_own_hours(self):
        self.buffered.write(
            {
                "use_global_availability": False,
                "resource_calendar_id": self.env["resource.calendar"]
                .create({"name": "Type hours", "tz": "America/New_York"})
                .id,
            }
        )
        self.assert_same(self.buffered)

    def test_personal_page_every_mode(self):
        personal = self.host.bookme_personal_type_id
        for mode in ("semi_automatic", "manual", "automatic"):
            with self.subTest(mode=mode):
                self.host.bookme_mode = mode
                inputs = self.env["bookme.scheduler"]._engine_inputs(
                    personal, MONDAY, MONDAY + timedelta(days=14)
                )
                self.assertEqual(bool(inputs["free_windows"]), mode != "automatic")
                self.assert_same(personal)

    def test_another_staff_member(self):
        """Approving with another host: that user's hours, time off and calendar count."""
        other = self.env["res.users"].search([("login", "=", "bookme_other")])
        other.write({"bookme_enabled": True, "bookme_slug": "other", "tz": "Europe/Oslo"})
        other.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "Other's hours", "tz": "Europe/Lisbon"}
        )
        self.env["calendar.event"].with_context(no_mail_to_attendees=True).create(
            {
                "name": "Other busy",
                "user_id": other.id,
                "start": naive(MONDAY + timedelta(hours=10)),
                "stop": naive(MONDAY + timedelta(hours=12)),
            }
        )
        self.buffered.write({"use_global_availability": False, "resource_calendar_id": self.calendar.id})
        self.assert_same(self.buffered, host=other)
        self.assert_same(self.etype, host=other)

    def test_host_without_hours(self):
        self.host.resource_calendar_id = False
        self.assert_same(self.etype)

    def test_an_event_changing_organizer(self):
        """An event the host attends stays busy time when its organizer changes (to the
        host, to someone else, to nobody): the attendee rows follow the event's organizer."""
        other = self.env["res.users"].search([("login", "=", "bookme_other")])
        start, end = MONDAY + timedelta(days=2), MONDAY + timedelta(days=3)
        free = [s.start for s in self.env["bookme.scheduler"]._slots(self.etype, start, end)]
        self.assertIn(utc(2030, 1, 9, 15), free)  # offered before: the test can fail
        event = (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": "Moving organizer",
                    "user_id": other.id,
                    "partner_ids": [Command.link(self.host.partner_id.id), Command.link(other.partner_id.id)],
                    "start": naive(MONDAY + timedelta(days=2, hours=15)),
                    "stop": naive(MONDAY + timedelta(days=2, hours=16)),
                }
            )
        )
        for organizer in (self.host, self.env["res.users"], other):
            with self.subTest(organizer=organizer.name):
                event.user_id = organizer
                self.assert_same(self.etype)
                slots = self.env["bookme.scheduler"]._slots(self.etype, start, end)
                self.assertNotIn(utc(2030, 1, 9, 15), [s.start for s in slots])
