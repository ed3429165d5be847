import json
import socket
import threading
import time
from datetime import timedelta
from http.server import ThreadingHTTPServer
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.service.model import retrying
from odoo.tests import HttpCase, freeze_time, tagged

from .common import BookmeCase, CommittedCase, utc
from .test_zoom import ACCOUNT, CLIENT, SECRET, FakeZoom, ZoomHandler

WAIT = 15  # seconds: the longest any step of these tests waits for another thread


class HangingSmtp:
    """A TCP server on loopback that accepts connections and never says a word: an SMTP
    client connected to it waits for the greeting until its timeout or until we close."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.changed = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _addr = self.sock.accept()
            except OSError:  # timeout, or closed
                continue
            with self.changed:
                self.connections.append(conn)
                self.changed.notify_all()

    def wait_connections(self, count, timeout=WAIT):
        with self.changed:
            return self.changed.wait_for(lambda: len(self.connections) >= count, timeout)

    def close(self):
        if self.closed:
            return
        self.closed = True
        self.thread.join(5)
        for conn in self.connections:
            conn.close()
        self.sock.close()


class OutsideCallsCase(CommittedCase):
    """Real, committed transactions in threads (as two Odoo workers would run them), like
    ``test_concurrency``: only there does "after the commit" mean what it does in
    production. Everything created is removed again."""

    def setUp(self):
        super().setUp()
        self.start = self.weekday_at_ten()
        suffix = self.new_suffix()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = self.create_host(env, "Outside", "outside", suffix, email=f"outside-{suffix}@example.com")
            plain = env["bookme.event.type"].create(
                {
                    "name": "Plain",
                    "slug": "plain",
                    "user_id": host.id,
                    "duration": 30,
                    "min_notice": 0,
                }
            )
            zoom = env["bookme.event.type"].create(
                {
                    "name": "Video",
                    "slug": "video",
                    "user_id": host.id,
                    "duration": 30,
                    "min_notice": 0,
                    "location_ids": [Command.create({"location_type": "online", "online_provider": "zoom"})],
                }
            )
            self.ids = {
                "host": host.id,
                "plain": plain.id,
                "zoom": zoom.id,
                "zoom_location": zoom.location_ids.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.remove_committed(env, self.ids["host"], [self.ids["plain"], self.ids["zoom"]])

    def set_params(self, values):
        """Set config parameters for the test (committed), restored afterwards."""
        with self.registry.cursor() as cr:
            ICP = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
            previous = {key: ICP.get_param(key) for key in values}
            for key, value in values.items():
                ICP.set_param(key, value)

        def restore():
            with self.registry.cursor() as cr:
                ICP = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
                for key, value in previous.items():
                    ICP.set_param(key, value or False)

        self.addCleanup(restore)

    def book_in_worker(self, type_key, start, email, results, **values):
        """One worker's public booking: its own cursor and Odoo's retry loop, through the
        same service method as the page and the API. Stores (booking id, email_sent)."""
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})

                def attempt():
                    etype = env["bookme.event.type"].browse(self.ids[type_key])
                    booking, sent = env["bookme.booking"]._bookme_public_book(
                        etype,
                        {
                            "start": start,
                            "name": "Outside Guest",
                            "email": email,
                            "location": etype.location_ids[:1] or None,
                            **values,
                        },
                    )
                    return booking.id, sent

                results[email] = retrying(attempt, env)
        except Exception as exc:  # reported by the test thread
            results[email] = exc

    def committed_booking(self, email, timeout=WAIT):
        """The id of ``email``'s booking once another transaction can see it, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                booking = env["bookme.booking"].search(
                    [
                        ("guest_email", "=", email),
                        ("event_type_id", "in", [self.ids["plain"], self.ids["zoom"]]),
                    ]
                )
                if booking:
                    return booking.id
            time.sleep(0.2)
        return None

    def thread(self, *args, **kwargs):
        thread = threading.Thread(target=self.book_in_worker, args=args, kwargs=kwargs, daemon=True)
        thread.start()
        self.addCleanup(self._join, thread)  # before the records go, even if a test fails
        return thread

    def _join(self, thread):
        self.release()
        thread.join(2 * WAIT)

    def release(self):
        """Let every held outside call finish (the slow server answers or hangs up)."""


@tagged("post_install", "-at_install")
class TestSlowSmtp(OutsideCallsCase):
    def setUp(self):
        super().setUp()
        self.smtp = HangingSmtp()
        self.addCleanup(self.smtp.close)
        # Odoo never connects to SMTP while tests run: let it, to our silent server, with a
        # timeout shorter than Odoo's 60 s so that nothing here can hang CI.
        MailServer = self.registry["ir.mail_server"]
        for patcher in (
            patch.object(MailServer, "_disable_send", return_value=False),
            patch("odoo.addons.base.models.ir_mail_server.SMTP_TIMEOUT", 2 * WAIT),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            archived = env["ir.mail_server"].search([])
            archived.action_archive()
            server = env["ir.mail_server"].create(
                {
                    "name": "Silent loopback",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": self.smtp.port,
                    "smtp_encryption": "none",
                }
            )
            ids = (archived.ids, server.id)

        def restore():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["ir.mail_server"].browse(ids[1]).unlink()
                env["ir.mail_server"].browse(ids[0]).action_unarchive()

        self.addCleanup(restore)

    def release(self):
        self.smtp.close()

    def test_hanging_smtp_does_not_hold_the_host(self):
        results = {}
        first = self.thread("plain", self.start, "first@example.com", results)
        self.assertTrue(self.smtp.wait_connections(1), "the first booking reached SMTP")
        # The first request now waits for an SMTP greeting that never comes.
        second = self.thread("plain", self.start + timedelta(hours=1), "second@example.com", results)
        started = time.monotonic()
        second_id = self.committed_booking("second@example.com")
        waited = time.monotonic() - started
        self.assertTrue(second_id, f"the second booking of the host committed ({results})")
        self.assertTrue(first.is_alive(), "... while the first one's SMTP was still hanging")
        self.assertNotIn("first@example.com", results)
        self.assertLess(waited, WAIT)
        # Both confirmations now wait on the silent server; it hangs up.
        self.smtp.wait_connections(2)
        self.smtp.close()
        first.join(WAIT)
        second.join(WAIT)
        self.assertFalse(first.is_alive() or second.is_alive())
        for email in ("first@example.com", "second@example.com"):
            self.assertIsInstance(results[email], tuple, results)
            booking_id, email_sent = results[email]
            self.assertFalse(email_sent, "the page is told the email did not go out")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bookings = env["bookme.booking"].browse([results["first@example.com"][0], second_id])
            self.assertEqual(bookings.mapped("state"), ["confirmed", "confirmed"])
            self.assertTrue(all(bookings.calendar_event_id.mapped("active")))
            for booking in bookings:
                self.assertTrue(
                    booking._bookme_guest_mail_pending(), "the confirmation stays queued for the mail cron"
                )


@tagged("post_install", "-at_install")
class TestSlowZoom(OutsideCallsCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeZoom()
        self.fake.hold = threading.Event()
        handler = type("Handler", (ZoomHandler,), {"fake": self.fake})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()

        def stop():
            self.fake.hold.set()
            server.shutdown()
            server.server_close()
            thread.join(5)

        self.addCleanup(stop)
        port = server.server_address[1]
        self.set_params(
            {
                "crm_bookme.zoom_account_id": ACCOUNT,
                "crm_bookme.zoom_client_id": CLIENT,
                "crm_bookme.zoom_client_secret": SECRET,
                "crm_bookme.zoom_api_url": f"http://127.0.0.1:{port}/v2",
                "crm_bookme.zoom_oauth_url": f"http://127.0.0.1:{port}/oauth/token",
            }
        )

    def release(self):
        self.fake.hold.set()

    def test_slow_zoom_does_not_hold_the_host(self):
        results = {}
        first = self.thread("zoom", self.start, "first@example.com", results)
        self.assertTrue(self.fake.arrived.wait(WAIT), "the first booking called Zoom")
        first_id = self.committed_booking("first@example.com")
        self.assertTrue(first_id, "the booking is committed before Zoom answers")
        # Zoom holds the first request; another booking of the same host goes through.
        second = self.thread("plain", self.start + timedelta(hours=1), "second@example.com", results)
        second.join(WAIT)
        self.assertFalse(second.is_alive(), "the second booking did not wait for Zoom")
        self.assertIsInstance(results.get("second@example.com"), tuple, results)
        self.assertTrue(first.is_alive(), "... while Zoom still held the first")
        self.fake.hold.set()
        first.join(WAIT)
        self.assertFalse(first.is_alive())
        self.assertIsInstance(results["first@example.com"], tuple, results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            booking = env["bookme.booking"].browse(first_id)
            self.assertEqual(booking.state, "confirmed")
            event = booking.calendar_event_id
            self.assertEqual(len(self.fake.created), 1)
            self.assertEqual(
                event.videocall_location,
                self.fake.join_url(event.bookme_zoom_meeting_id),
                "the event got its link in a follow-up transaction",
            )
            guest_mail = env["mail.mail"].search(
                [
                    ("model", "=", "bookme.booking"),
                    ("res_id", "=", booking.id),
                    ("recipient_ids", "in", booking.partner_id.ids),
                ]
            )
            self.assertIn(
                event.videocall_location,
                guest_mail.body_html,
                "the confirmation, prepared after Zoom answered, has the link",
            )
            meeting_id = event.bookme_zoom_meeting_id

        # Cancelling: the meeting is deleted once the cancellation is committed.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["bookme.booking"].browse(first_id)._bookme_public_cancel()
        self.assertEqual(self.fake.deleted, [meeting_id])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            booking = env["bookme.booking"].browse(first_id)
            self.assertEqual(booking.state, "cancelled")
            self.assertFalse(booking.calendar_event_id.bookme_zoom_meeting_id)

    def test_cancel_rolled_back_keeps_the_meeting(self):
        """The known limit of the first Zoom version: a cancellation whose transaction is
        rolled back must leave the booking's meeting alone."""
        self.fake.hold.set()
        results = {}
        self.book_in_worker("zoom", self.start, "kept@example.com", results)
        booking_id = results["kept@example.com"][0]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            booking = env["bookme.booking"].browse(booking_id)
            booking.action_bookme_cancel()
            cr.rollback()
        self.assertEqual(self.fake.deleted, [], "nothing deleted for a rolled back cancel")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            booking = env["bookme.booking"].browse(booking_id)
            self.assertEqual(booking.state, "confirmed")
            meeting_id = booking.calendar_event_id.bookme_zoom_meeting_id
            self.assertIn(meeting_id, self.fake.meetings)
            # A committed back-office cancel deletes it, after the commit.
            booking.action_bookme_cancel()
            self.assertEqual(self.fake.deleted, [], "not before the commit")
        self.assertEqual(self.fake.deleted, [meeting_id])


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestBrokenTemplate(HttpCase, BookmeCase):
    """A mail template that fails to render (an edited template with a mistake) never
    loses the booking: it is committed first; the error is logged, the host told, and the
    page says the confirmation did not go out."""

    def test_broken_guest_template_keeps_booking(self):
        template = self.env.ref("crm_bookme.mail_template_booking_guest_confirmed")
        template.subject = "{{ object.bookme_no_such_field }}"
        with self.assertLogs("odoo.addons.crm_bookme", "ERROR") as logs:
            res = self.url_open(
                "/book/api/v1/hanne/consultation/bookings",
                data=json.dumps(
                    {
                        "start": utc(2030, 1, 7, 8, 0).isoformat(),
                        "name": "Gina Guest",
                        "email": "gina@example.com",
                        "tz": "Europe/Oslo",
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(res.status_code, 201, res.text)
        self.assertIn("mail_template_booking_guest_confirmed", "\n".join(logs.output))
        data = res.json()["booking"]
        self.assertFalse(data["email_sent"])
        booking = self.Booking.search([("access_token", "=", data["token"])])
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(booking.calendar_event_id.active)
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
            ]
        )
        self.assertEqual(activity.user_id, self.host)
        self.assertEqual(activity.summary, "Book Me email not sent")
        self.assertIn("Gina Guest was not emailed", str(activity.note))
        host_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
            ]
        )
        self.assertEqual(
            host_mail.recipient_ids,
            self.host.partner_id,
            "the host's own email is still prepared; none for the guest",
        )
        page = self.url_open(f"/book/booking/{data['token']}?new=1")
        self.assertEqual(page.status_code, 200)
        self.assertIn("the confirmation email could not be sent", page.text)
