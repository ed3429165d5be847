"""Reminders: event types carry Odoo calendar reminders (an email 24 h and 1 h before by
default), each booked calendar event gets its type's, and Odoo's own reminder cron emails
the guest at the right time through the real mail queue and a real SMTP server."""

import asyncio
import json
from datetime import timedelta
from unittest.mock import patch

from aiosmtpd.controller import Controller

from odoo.tests import Form, HttpCase, freeze_time, tagged
from odoo.tests.common import RecordCapturer

from .common import BookmeCase, naive, utc
from .test_mail_delivery import _free_port, _Inbox

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 Oslo
TUESDAY_9 = utc(2030, 1, 8, 8, 0)
API = "/book/api/v1"


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestReminders(HttpCase, BookmeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.day_before = cls.env.ref("crm_bookme.alarm_mail_24h")
        cls.hour_before = cls.env.ref("crm_bookme.alarm_mail_1h")

    def book(self, etype, start=MONDAY_9, email="gina@example.com", name="Gina Guest"):
        """As a visitor, through the API."""
        res = self.url_open(
            f"{API}/hanne/{etype.slug}/bookings",
            data=json.dumps({"start": start.isoformat(), "name": name, "email": email, "tz": "Europe/Oslo"}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 201, res.text)
        return self.env["bookme.booking"].search([("access_token", "=", res.json()["booking"]["token"])])

    def test_new_types_start_with_an_email_a_day_and_an_hour_before(self):
        etype = (
            self.env["bookme.event.type"]
            .with_user(self.host)
            .create({"name": "Intro", "slug": "intro", "user_id": self.host.id})
        )
        self.assertEqual(etype.alarm_ids, self.day_before | self.hour_before)
        self.assertEqual(set(etype.alarm_ids.mapped("alarm_type")), {"email"})
        self.assertEqual(sorted(etype.alarm_ids.mapped("duration_minutes")), [60, 24 * 60])

    def test_the_host_edits_the_reminders_on_the_type_form(self):
        three_hours = self.env.ref("calendar.alarm_mail_1")  # Odoo's own "Email - 3 Hours"
        with Form(self.etype.with_user(self.host)) as form:
            form.alarm_ids.remove(id=self.hour_before.id)
            form.alarm_ids.add(three_hours)
        self.assertEqual(self.etype.alarm_ids, self.day_before | three_hours)
        booking = self.book(self.etype)
        self.assertEqual(booking.calendar_event_id.alarm_ids, self.day_before | three_hours)

    def test_booked_and_rescheduled_events_carry_the_type_reminders(self):
        self.etype.alarm_ids = self.day_before | self.hour_before
        booking = self.book(self.etype)
        self.assertEqual(booking.calendar_event_id.alarm_ids, self.day_before | self.hour_before)
        # the guest moves it (their own link, as a visitor): the new event has them too
        res = self.url_open(
            f"{API}/bookings/{booking.access_token}/reschedule",
            data=json.dumps({"start": TUESDAY_9.isoformat()}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 200, res.text)
        self.assertEqual(booking.calendar_event_id.start, naive(TUESDAY_9))
        self.assertEqual(booking.calendar_event_id.alarm_ids, self.day_before | self.hour_before)

    def test_group_session_shares_one_event_with_the_reminders(self):
        first = self.book(self.group_type)
        second = self.book(self.group_type, email="bob@example.com", name="Bob")
        self.assertEqual(first.calendar_event_id, second.calendar_event_id)
        self.assertEqual(first.calendar_event_id.alarm_ids, self.day_before | self.hour_before)
        # a reminder added to the type meanwhile reaches the shared event when the next seat is booked
        three_hours = self.env.ref("calendar.alarm_mail_1")
        self.group_type.alarm_ids |= three_hours
        third = self.book(self.group_type, email="cleo@example.com", name="Cleo")
        self.assertEqual(third.calendar_event_id, first.calendar_event_id)
        self.assertIn(three_hours, first.calendar_event_id.alarm_ids)

    def test_host_booking_for_a_customer_gets_the_reminders(self):
        """Book for a customer (the host, a Book Me user, in the back office)."""
        wizard = (
            self.env["bookme.book.customer"]
            .with_user(self.host)
            .create({"event_type_id": self.etype.id, "name": "Carla", "email": "carla@example.com"})
        )
        wizard.start = naive(MONDAY_9)
        wizard.action_book()
        booking = self.env["bookme.booking"].search([("guest_email", "=", "carla@example.com")])
        self.assertEqual(booking.calendar_event_id.alarm_ids, self.day_before | self.hour_before)

    def test_reminder_cron_emails_the_guest_at_the_right_time(self):
        """Odoo's reminder cron, at its runs around the reminders' times, sends the email
        reminders through the real mail queue to a real SMTP server: 24 h before and 1 h
        before, not earlier, once each."""
        self.startPatcher(patch.object(self.registry["ir.mail_server"], "_disable_send", return_value=False))
        port = _free_port()
        self.env["ir.mail_server"].search([]).action_archive()
        self.env["ir.mail_server"].create(
            {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_encryption": "none"}
        )
        inbox = _Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
        controller.start()
        self.addCleanup(controller.stop)
        cron = self.env.ref("calendar.ir_cron_scheduler_alarm")
        with RecordCapturer(self.env["ir.cron.trigger"].sudo(), [("cron_id", "=", cron.id)]) as capture:
            booking = self.book(self.etype)
        self.assertIn(naive(MONDAY_9 - timedelta(days=1)), capture.records.mapped("call_at"))
        self.env["mail.mail"].process_email_queue()
        inbox.messages.clear()  # the confirmation

        Manager = self.env["calendar.alarm_manager"]

        def cron_run(at, lastcall):
            """What the cron does when it runs at ``at`` after a run at ``lastcall``."""
            with freeze_time(naive(at)):
                Manager.with_context(lastcall=naive(lastcall))._send_reminder()
                self.env["mail.mail"].process_email_queue()

        def reminders_to_gina():
            return [m for m in inbox.messages if "gina@example.com" in m["To"] and "Reminder" in m["Subject"]]

        self.assertEqual(cron.model_id.model, "calendar.alarm_manager")
        cron_run(MONDAY_9 - timedelta(days=1, hours=1), MONDAY_9 - timedelta(days=2))
        self.assertEqual(reminders_to_gina(), [], "not earlier than 24 h before")
        cron_run(MONDAY_9 - timedelta(days=1) + timedelta(minutes=1), MONDAY_9 - timedelta(days=1, hours=1))
        (day_before,) = reminders_to_gina()
        self.assertIn(booking.event_type_id.name, day_before["Subject"])
        cron_run(MONDAY_9 - timedelta(hours=2), MONDAY_9 - timedelta(days=1) + timedelta(minutes=1))
        self.assertEqual(len(reminders_to_gina()), 1, "nothing more until an hour before")
        cron_run(MONDAY_9 - timedelta(minutes=59), MONDAY_9 - timedelta(hours=2))
        self.assertEqual(len(reminders_to_gina()), 2, "the hour-before reminder")
        self.assertTrue(
            any("hanne@example.com" in m["To"] for m in inbox.messages), "the host is reminded too"
        )

    def test_a_cancelled_booking_is_not_reminded(self):
        booking = self.book(self.etype)
        event = booking.calendar_event_id
        booking._bookme_cancel()
        with freeze_time(naive(MONDAY_9 - timedelta(minutes=59))):
            mails = self.env["mail.mail"].search([])
            self.env["calendar.alarm_manager"].with_context(
                lastcall=naive(MONDAY_9 - timedelta(days=2))
            )._send_reminder()
            new = self.env["mail.mail"].search([]) - mails
        self.assertFalse(event.active)
        self.assertFalse(new.filtered(lambda m: "Reminder" in (m.subject or "")))
