import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import tagged

from odoo.addons.crm_bookme.exceptions import BookmeError

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestNoDoubleBooking(CommittedCase):
    """Two workers book the same slot at the same instant, each in its own database
    transaction (as two Odoo workers would). Exactly one wins; the other gets
    ``slot_unavailable``. Runs with real, committed cursors, and cleans up after itself."""

    def setUp(self):
        super().setUp()
        self.start = self.weekday_at_ten()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = self.create_host(env, "Race", "race", self.new_suffix())
            etype = env["bookme.event.type"].create(
                {
                    "name": "Race",
                    "slug": "race",
                    "user_id": host.id,
                    "duration": 30,
                    "min_notice": 0,
                }
            )
            self.ids = {"host": host.id, "type": etype.id, "calendar": host.resource_calendar_id.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.remove_committed(env, self.ids["host"], [self.ids["type"]])

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
            count = env["bookme.booking"].search_count(
                [
                    ("event_type_id", "=", self.ids["type"]),
                    ("state", "=", "confirmed"),
                ]
            )
        self.assertEqual(count, 1)
