import uuid
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo import Command
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, new_test_user

UTC = timezone.utc


def utc(*args):
    """An aware UTC datetime: utc(2030, 1, 7, 9, 30)."""
    return datetime(*args, tzinfo=UTC)


def naive(dt):
    return dt.astimezone(UTC).replace(tzinfo=None)


class BookmeCase(TransactionCase):
    """A host in Europe/Oslo with Mon–Fri 09:00–17:00 working hours, a customer-facing
    30-minute individual type, and a group type. Tests freeze time in January 2030 (no
    DST) unless they test DST; 2030-01-07 is a Monday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Host hours",
                "tz": "Europe/Oslo",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {d}",
                            "dayofweek": str(d),
                            "hour_from": 9.0,
                            "hour_to": 17.0,
                            "day_period": "morning",
                        }
                    )
                    for d in range(5)
                ],
            }
        )
        cls.host = new_test_user(
            cls.env,
            login="bookme_host",
            name="Hanne Host",
            email="hanne@example.com",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )
        # Semi-automatic (new users start automatic): the personal page offers only the
        # free-for-appointment events a test creates.
        cls.host.write({"bookme_enabled": True, "bookme_slug": "hanne", "bookme_mode": "semi_automatic"})
        cls.host.resource_calendar_id = cls.calendar
        cls.Booking = cls.env["bookme.booking"]
        cls.etype = cls.env["bookme.event.type"].create(
            {
                "name": "Consultation",
                "slug": "consultation",
                "user_id": cls.host.id,
                "duration": 30,
                "increment": 30,
                "min_notice": 0,
            }
        )
        cls.group_type = cls.env["bookme.event.type"].create(
            {
                "name": "Workshop",
                "slug": "workshop",
                "user_id": cls.host.id,
                "kind": "group",
                "capacity": 3,
                "duration": 60,
                "increment": 60,
                "min_notice": 0,
            }
        )

    def slots(self, etype, start, end, now=None):
        return self.env["bookme.scheduler"]._slots(etype, start, end, now=now)

    def starts(self, etype, start, end, now=None):
        return [s.start for s in self.slots(etype, start, end, now=now)]

    def book(self, etype, start, email="guest@example.com", name="Gina Guest", **kw):
        return self.Booking._bookme_create(etype, start, name, email, **kw)


class CommittedCase(BaseCase):
    """Real, committed cursors (``self.registry.cursor()``), in threads where a test needs
    them, as Odoo workers would run them: only there do database locks, unique indexes and
    "after the commit" mean what they do in production. Whatever a test commits, its
    cleanup removes again (see :meth:`remove_committed`)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        # The test runner holds the registry lock for the whole run; Odoo's own test mode
        # swaps it for a dummy the same way, so that other threads can open environments.
        lock_patcher = patch.object(Registry, "_lock", DummyRLock())
        lock_patcher.start()
        self.addCleanup(lock_patcher.stop)

    @staticmethod
    def weekday_at_ten():
        """A Monday to Thursday at 10:00 UTC, two weeks ahead or a little more: far enough
        for any notice rule, with the next day a weekday too."""
        day = datetime.now(timezone.utc).date() + timedelta(days=14)
        while day.weekday() > 3:
            day += timedelta(days=1)
        return datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.utc)

    @staticmethod
    def new_suffix():
        """What keeps this run's logins, slugs and emails apart from any other's."""
        return uuid.uuid4().hex[:8]

    @staticmethod
    def create_host(env, label, key, suffix, hours=(8.0, 18.0), days=5, **values):
        """A committed Book Me user "<label> Host" (UTC) with working hours ``hours`` on the
        first ``days`` weekdays; login ``bookme_<key>_<suffix>``, slug ``<key>-<suffix>``."""
        host = env["res.users"].create(
            {
                "name": f"{label} Host",
                "login": f"bookme_{key}_{suffix}",
                "tz": "UTC",
                **values,
                "group_ids": [Command.link(env.ref("crm_bookme.group_bookme_user").id)],
                "bookme_enabled": True,
                "bookme_slug": f"{key}-{suffix}",
            }
        )
        host.resource_calendar_id = env["resource.calendar"].create(
            {
                "name": f"{label} hours",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": "d",
                            "dayofweek": str(d),
                            "hour_from": hours[0],
                            "hour_to": hours[1],
                            "day_period": "morning",
                        }
                    )
                    for d in range(days)
                ],
            }
        )
        return host

    @staticmethod
    def remove_committed(env, host_id, type_ids, bookings=None):
        """Remove what a committed test made: the bookings of ``type_ids`` (or
        ``bookings``), their queued emails, calendar events and leads, the host's lock and
        types; the host and the guests' contacts are archived."""
        types = env["bookme.event.type"].browse(type_ids)
        if bookings is None:
            bookings = env["bookme.booking"].search([("event_type_id", "in", types.ids)])
        env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "in", bookings.ids)]).unlink()
        events, partners, leads = bookings.calendar_event_id, bookings.partner_id, bookings.lead_id
        bookings.unlink()
        events.unlink()
        leads.unlink()
        env["bookme.host.lock"].search([("user_id", "=", host_id)]).unlink()
        host = env["res.users"].browse(host_id)
        host.bookme_personal_type_id.with_context(bookme_force=True).unlink()
        types.unlink()
        host.write({"active": False, "bookme_enabled": False, "bookme_slug": False})
        partners.filtered(lambda p: not p.user_ids).write({"active": False})
