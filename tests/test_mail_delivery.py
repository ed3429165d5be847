import asyncio
import base64
import contextlib
import email
import json
import socket
from datetime import timedelta
from email import policy
from unittest.mock import patch

import icalendar
from aiosmtpd.controller import Controller

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged

from .common import BookmeCase, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)


class _Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestMailDelivery(HttpCase, BookmeCase):
    """Emails really leave through SMTP: a real local server receives the confirmation;
    an unreachable one keeps the booking and the queued mail, and the page says so.

    Odoo never connects to SMTP while tests run (``_disable_send``); these tests turn that
    guard off so the real sending code runs against a real socket on loopback."""

    def setUp(self):
        super().setUp()
        self.startPatcher(patch.object(self.registry["ir.mail_server"], "_disable_send", return_value=False))
        self.port = _free_port()
        self.env["ir.mail_server"].search([]).action_archive()
        self.env["ir.mail_server"].create(
            {
                "name": "Loopback",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.port,
                "smtp_encryption": "none",
            }
        )

    def book(self):
        res = self.url_open(
            "/book/api/v1/hanne/consultation/bookings",
            data=json.dumps(
                {
                    "start": MONDAY_9.isoformat(),
                    "name": "Gina Guest",
                    "email": "gina@example.com",
                    "tz": "Europe/Oslo",
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 201, res.text)
        return res.json()["booking"]

    def test_confirmation_delivered_with_ics(self):
        inbox = _Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=self.port, loop=asyncio.new_event_loop())
        controller.start()
        self.addCleanup(controller.stop)
        data = self.book()
        self.assertTrue(data["email_sent"])
        guest = [m for m in inbox.messages if "gina@example.com" in m["To"]]
        self.assertEqual(len(guest), 1, [m["To"] for m in inbox.messages])
        message = guest[0]
        self.assertIn("Confirmed", message["Subject"])
        html = message.get_body(("html",)).get_content()
        self.assertIn(f"/book/booking/{data['token']}", html)
        (ics_part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        cal = icalendar.Calendar.from_ical(ics_part.get_content())
        (vevent,) = cal.walk("VEVENT")
        self.assertEqual(vevent.decoded("dtstart"), MONDAY_9)
        self.assertEqual(vevent.decoded("dtend"), MONDAY_9 + timedelta(minutes=30))
        self.assertTrue(
            any("hanne@example.com" in m["To"] for m in inbox.messages), "the host is emailed too"
        )
        page = self.url_open(f"/book/booking/{data['token']}?new=1")
        self.assertIn("A confirmation was sent to gina@example.com", page.text)
        self.assertNotIn("could not", page.text)
        self.assertNotIn("queued", page.text)

    def test_smtp_unreachable_keeps_booking_and_queue(self):
        data = self.book()  # nothing listens on self.port
        self.assertFalse(data["email_sent"])
        booking = self.env["bookme.booking"].search([("access_token", "=", data["token"])])
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(booking.calendar_event_id)
        mails = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])
        self.assertTrue(mails)
        self.assertEqual(
            set(mails.mapped("state")), {"outgoing"}, [(m.subject, m.state, m.failure_reason) for m in mails]
        )
        page = self.url_open(f"/book/booking/{data['token']}?new=1")
        self.assertEqual(page.status_code, 200)
        self.assertIn("could not go out right away: it is queued and will follow shortly", page.text)
        self.assertNotIn("A confirmation was sent", page.text)
        att = mails[0].attachment_ids.filtered(lambda a: a.mimetype == "text/calendar")
        self.assertTrue(base64.b64decode(att.datas).startswith(b"BEGIN:VCALENDAR"))

    def test_smtp_refusing_the_message_says_queued(self):
        """A mail server that answers but refuses the message (554): the booking stands,
        the page says the email is queued and will follow, never that it was sent."""

        class _Refusing:
            async def handle_DATA(self, server, session, envelope):
                return "554 5.7.1 Refused for now"

        controller = Controller(
            _Refusing(), hostname="127.0.0.1", port=self.port, loop=asyncio.new_event_loop()
        )
        controller.start()
        self.addCleanup(controller.stop)
        data = self.book()
        self.assertFalse(data["email_sent"])
        booking = self.env["bookme.booking"].search([("access_token", "=", data["token"])])
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking._bookme_guest_mail_state(), "queued")
        page = self.url_open(f"/book/booking/{data['token']}?new=1")
        self.assertIn("queued and will follow shortly", page.text)
        self.assertNotIn("A confirmation was sent", page.text)
        self.assertEqual(page.text.count('class="alert '), 1, "one message")

    def test_outage_through_the_queue_delivers_once(self):
        """The mail server is down when the booking is made and still down when Odoo's
        queue runs (which marks the emails 'Delivery Failed'); it comes back: the next queue
        run delivers the guest's and the host's email, once each."""
        data = self.book()  # nothing listens on self.port
        self.assertFalse(data["email_sent"])
        booking = self.env["bookme.booking"].search([("access_token", "=", data["token"])])
        mails = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])
        self.assertEqual(len(mails), 2, mails.mapped("subject"))
        self.env["mail.mail"].process_email_queue()
        self.assertEqual(set(mails.mapped("state")), {"exception"})
        inbox = _Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=self.port, loop=asyncio.new_event_loop())
        controller.start()
        self.addCleanup(controller.stop)
        self.env["mail.mail"].process_email_queue()
        self.env["mail.mail"].process_email_queue()
        recipients = sorted(m["To"] for m in inbox.messages)
        self.assertEqual(len(recipients), 2, recipients)
        self.assertIn("gina@example.com", recipients[0] + recipients[1])
        self.assertTrue(any("hanne@example.com" in r for r in recipients), recipients)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("id", "in", mails.ids), ("state", "in", ("outgoing", "exception"))]
            ),
            0,
        )

    def test_queue_requeue_is_not_for_everyone(self):
        """Any user may call the queue over RPC; only the system requeues failed emails."""
        self.book()
        self.env["mail.mail"].process_email_queue()
        failed = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("state", "=", "exception")])
        self.assertTrue(failed)
        with contextlib.suppress(AccessError):
            self.env["mail.mail"].with_user(self.host).process_email_queue()
        failed.invalidate_recordset()
        self.assertEqual(set(failed.mapped("state")), {"exception"})
