from datetime import datetime, timezone

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

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
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Host hours",
            "tz": "Europe/Oslo",
            "attendance_ids": [
                Command.create({"name": f"Day {d}", "dayofweek": str(d), "hour_from": 9.0,
                                "hour_to": 17.0, "day_period": "morning"})
                for d in range(5)
            ],
        })
        cls.host = new_test_user(
            cls.env, login="bookme_host", name="Hanne Host", email="hanne@example.com",
            groups="sales_team.group_sale_salesman", tz="Europe/Oslo",
        )
        # Semi-automatic (new users start automatic): the personal page offers only the
        # free-for-appointment events a test creates.
        cls.host.write({"bookme_enabled": True, "bookme_slug": "hanne",
                        "bookme_mode": "semi_automatic"})
        cls.host.resource_calendar_id = cls.calendar
        cls.Booking = cls.env["bookme.booking"]
        cls.etype = cls.env["bookme.event.type"].create({
            "name": "Consultation",
            "slug": "consultation",
            "user_id": cls.host.id,
            "duration": 30,
            "increment": 30,
            "min_notice": 0,
        })
        cls.group_type = cls.env["bookme.event.type"].create({
            "name": "Workshop",
            "slug": "workshop",
            "user_id": cls.host.id,
            "kind": "group",
            "capacity": 3,
            "duration": 60,
            "increment": 60,
            "min_notice": 0,
        })

    def slots(self, etype, start, end, now=None):
        return self.env["bookme.scheduler"]._slots(etype, start, end, now=now)

    def starts(self, etype, start, end, now=None):
        return [s.start for s in self.slots(etype, start, end, now=now)]

    def book(self, etype, start, email="guest@example.com", name="Gina Guest", **kw):
        return self.Booking._bookme_create(etype, start, name, email, **kw)
