import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestThrottleAcrossTransactions(CommittedCase):
    """Found by bench/load.py: with the counter bumped inside each booking request's
    transaction, every booking attempt from one address waited for the previous request's
    whole transaction, and concurrent ones failed with serialization errors and were
    retried. The count is now committed in a transaction of its own. Real cursors, as two
    Odoo workers would have."""

    def setUp(self):
        super().setUp()
        self.key = f"book:test-{self.new_suffix()}"
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM bookme_throttle WHERE key = %s", [self.key])

    def _hits(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT sum(hits) FROM bookme_throttle WHERE key = %s", [self.key])
            return cr.fetchone()[0]

    def test_open_request_does_not_hold_the_counter(self):
        with self.registry.cursor() as cr_a:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            self.assertTrue(env_a["bookme.throttle"]._hit(self.key))
            # Request A goes on (e.g. it waits for the host lock); request B comes in.
            answers = []

            def other_request():
                with self.registry.cursor() as cr_b:
                    cr_b.execute("SET LOCAL lock_timeout = '20s'")
                    env_b = api.Environment(cr_b, SUPERUSER_ID, {})
                    answers.append(env_b["bookme.throttle"]._hit(self.key))

            thread = threading.Thread(target=other_request)
            thread.start()
            thread.join(15)
            self.assertEqual(answers, [True], "the second attempt waited for the first request")
            cr_a.rollback()  # request A fails: its attempt still counts
        thread.join(30)
        self.assertEqual(self._hits(), 2)
