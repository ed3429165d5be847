import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.crm_bookme.exceptions import BookmeError


@tagged("post_install", "-at_install")
class TestNoDoubleBooking(BaseCase):
    """Two workers book the same slot at the same instant, each in its own database
    transaction (as two Odoo workers would). Exactly one wins; the other gets
    ``slot_unavailable``. Runs with real, committed cursors, and cleans up after itself."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        # The test runner holds the registry lock for the whole run; Odoo's own test mode
        # swaps it for a dummy the same way, so that other threads can open environments.
        lock_patcher = patch.object(Registry, "_lock", DummyRLock())
        lock_patcher.start()
        self.addCleanup(lock_patcher.stop)
        # A weekday at 10:00 UTC, far enough ahead for any notice rule.
        day = datetime.now(timezone.utc).date() + timedelta(days=14)
        while day.weekday() > 3:
            day += timedelta(days=1)
        self.start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.utc)
        suffix = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = env["res.users"].create({
                "name": "Race Host", "login": f"bookme_race_{suffix}", "tz": "UTC",
                "group_ids": [(4, env.ref("crm_bookme.group_bookme_user").id)],
                "bookme_enabled": True, "bookme_slug": f"race-{suffix}",
            })
            calendar = env["resource.calendar"].create({
                "name": "Race hours", "tz": "UTC",
                "attendance_ids": [(0, 0, {"name": "d", "dayofweek": str(d), "hour_from": 8.0,
                                           "hour_to": 18.0, "day_period": "morning"})
                                   for d in range(5)],
            })
            host.resource_calendar_id = calendar
            etype = env["bookme.event.type"].create({
                "name": "Race", "slug": "race", "user_id": host.id, "duration": 30,
                "min_notice": 0,
            })
            self.ids = {"host": host.id, "type": etype.id, "calendar": calendar.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bookings = env["bookme.booking"].search([("event_type_id", "=", self.ids["type"])])
            events = bookings.calendar_event_id
            partners = bookings.partner_id
            leads = bookings.lead_id
            bookings.unlink()
            events.unlink()
            leads.unlink()
            env["bookme.host.lock"].search([("user_id", "=", self.ids["host"])]).unlink()
            host = env["res.users"].browse(self.ids["host"])
            host.bookme_personal_type_id.with_context(bookme_force=True).unlink()
            env["bookme.event.type"].browse(self.ids["type"]).unlink()
            host.write({"active": False, "bookme_enabled": False, "bookme_slug": False})
            partners.filtered(lambda p: not p.user_ids).write({"active": False})

    def _book_in_worker(self, email, results, before_commit=None):
        """One 'worker': its own cursor, Odoo's own retry loop, then commit."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def attempt():
                etype = env["bookme.event.type"].browse(self.ids["type"])
                booking = env["bookme.booking"]._bookme_create(etype, self.start, "Racer", email)
                if before_commit:
                    before_commit()
                return booking.id

            try:
                results[email] = retrying(attempt, env)
            except BookmeError as exc:
                cr.rollback()
                results[email] = exc.code

    def test_two_workers_same_slot(self):
        results = {}
        a_holds_lock = threading.Event()
        b_started = threading.Event()

        def a_waits_for_b():
            a_holds_lock.set()
            b_started.wait(10)
            time.sleep(1.0)  # B is now blocked on the host lock, its snapshot taken

        def worker_b():
            a_holds_lock.wait(10)
            b_started.set()
            self._book_in_worker("b@example.com", results)

        thread_b = threading.Thread(target=worker_b)
        thread_b.start()
        self._book_in_worker("a@example.com", results, before_commit=a_waits_for_b)
        thread_b.join(60)
        self.assertFalse(thread_b.is_alive())

        self.assertIsInstance(results["a@example.com"], int, results)
        self.assertEqual(results["b@example.com"], "slot_unavailable", results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            count = env["bookme.booking"].search_count([
                ("event_type_id", "=", self.ids["type"]), ("state", "=", "confirmed"),
            ])
        self.assertEqual(count, 1)
