import threading
import time
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from odoo.addons.crm_bookme.models.bookme_automation_log import BookmeAutomationLog

from .common import CommittedCase


@tagged("post_install", "-at_install")
class TestAutomationCronRace(CommittedCase):
    """Two automation crons at once, each on its own committed database cursor (as two cron
    workers would run): every due email is sent exactly once."""

    def setUp(self):
        super().setUp()
        day = datetime.now(timezone.utc).date() + timedelta(days=14)
        suffix = self.new_suffix()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = self.create_host(env, "Race", "autorace", suffix, hours=(0.0, 24.0), days=7)
            calendar = host.resource_calendar_id
            etype = env["bookme.event.type"].create(
                {
                    "name": "Race",
                    "slug": "race",
                    "user_id": host.id,
                    "duration": 30,
                    "min_notice": 0,
                }
            )
            template = env.ref("crm_bookme.mail_template_automation_thanks")
            rule = (
                env["bookme.automation"]
                .with_user(host)
                .create(
                    {
                        "name": f"Race thanks {suffix}",
                        "trigger": "booked",
                        "action": "email_client",
                        "template_id": template.id,
                        "event_type_ids": [(6, 0, etype.ids)],
                    }
                )
            )
            bookings = env["bookme.booking"]
            for i in range(6):
                start = datetime(day.year, day.month, day.day, 8 + i, 0, tzinfo=timezone.utc)
                bookings |= env["bookme.booking"]._bookme_create(
                    etype, start, f"Racer {i}", f"racer{i}-{suffix}@example.com"
                )
            self.ids = {
                "host": host.id,
                "type": etype.id,
                "rule": rule.id,
                "bookings": bookings.ids,
                "calendar": calendar.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["bookme.automation"].browse(self.ids["rule"]).unlink()
            self.remove_committed(
                env,
                self.ids["host"],
                [self.ids["type"]],
                bookings=env["bookme.booking"].browse(self.ids["bookings"]),
            )

    def test_two_crons_at_once_send_each_email_once(self):
        barrier = threading.Barrier(2, timeout=30)
        errors = []
        original = BookmeAutomationLog._bookme_perform

        performers = []

        def slow_perform(log, rule):
            performers.append(threading.current_thread().name)
            time.sleep(0.2)  # keep both crons busy at the same time
            return original(log, rule)

        def cron_worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait()
                    env["bookme.automation"]._cron_run(batch_size=1)
            except Exception as exc:
                errors.append(exc)

        with patch.object(BookmeAutomationLog, "_bookme_perform", slow_perform):
            threads = [threading.Thread(target=cron_worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse(any(t.is_alive() for t in threads))
        self.assertFalse(errors, errors)
        self.assertEqual(len(set(performers)), 2, f"both crons worked: {performers}")
        self.assertEqual(len(performers), 6, "each occasion performed once")

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            logs = env["bookme.automation.log"].search([("automation_id", "=", self.ids["rule"])])
            self.assertEqual(len(logs), 6)
            self.assertEqual(set(logs.mapped("state")), {"done"})
            mails = env["mail.mail"].search(
                [
                    ("model", "=", "bookme.booking"),
                    ("res_id", "in", self.ids["bookings"]),
                    ("subject", "like", "Thank you for coming"),
                ]
            )
            self.assertEqual(len(mails), 6, "one email per booking, not two")
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(self.ids["bookings"]))
            # And a third run afterwards changes nothing.
            env["bookme.automation"]._cron_run()
            self.assertEqual(
                env["mail.mail"].search_count(
                    [
                        ("model", "=", "bookme.booking"),
                        ("res_id", "in", self.ids["bookings"]),
                        ("subject", "like", "Thank you for coming"),
                    ]
                ),
                6,
            )
