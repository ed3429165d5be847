import base64
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import icalendar

from odoo import Command
from odoo.tests import Form, HttpCase, freeze_time, tagged

from odoo.addons.crm_bookme.models.bookme_zoom import ORPHANS_KEY, delete_orphans

from .common import BookmeCase, utc

NOW = "2030-01-04 12:00:00"
MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo

ACCOUNT = "acc-123"
CLIENT = "client-abc"
SECRET = "s3cr3t-do-not-leak"
TOKEN = "tok-xyz"


class FakeZoom:
    """What the loopback server received, and how it should answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.token_requests = []  # (authorization header, query)
        self.created = []  # JSON payloads of POST /users/me/meetings
        self.deleted = []  # meeting ids of DELETE /meetings/<id>
        self.meetings = {}  # id -> join_url
        self.fail_status = None  # answer every request with this status
        self.hang = None  # a threading.Event: hold every request until it is set
        self.hold = None  # a threading.Event: delay every request until it is set, then answer
        self.arrived = threading.Event()  # set by the first request
        self.next_id = 85000000001

    def join_url(self, meeting_id):
        return f"https://zoom.example/j/{meeting_id}?pwd=Pw{meeting_id}"


class ZoomHandler(BaseHTTPRequestHandler):
    """Answers like Zoom's OAuth endpoint and REST API (v2), for the few calls Book Me makes."""

    fake: FakeZoom = None

    def log_message(self, format, *args):  # keep the test log quiet
        pass

    def _answer(self, status, body=None):
        raw = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _preamble(self):
        """Reads the body; returns False when the request was already answered."""
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self.fake.arrived.set()
        if self.fake.hold is not None:
            self.fake.hold.wait(30)
        if self.fake.hang is not None:
            self.fake.hang.wait(30)
            return False
        if self.fake.fail_status:
            self._answer(self.fake.fail_status, {"code": 500, "message": "Internal error"})
            return False
        return True

    def _bearer_ok(self):
        if self.headers.get("Authorization") == f"Bearer {TOKEN}":
            return True
        self._answer(401, {"code": 124, "message": "Invalid access token."})
        return False

    def do_POST(self):
        if not self._preamble():
            return
        url = urlsplit(self.path)
        if url.path == "/oauth/token":
            query = parse_qs(url.query)
            auth = self.headers.get("Authorization", "")
            with self.fake.lock:
                self.fake.token_requests.append((auth, query))
            expected = "Basic " + base64.b64encode(f"{CLIENT}:{SECRET}".encode()).decode()
            if auth != expected:
                self._answer(401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
            elif query != {"grant_type": ["account_credentials"], "account_id": [ACCOUNT]}:
                self._answer(400, {"reason": "Invalid request", "error": "invalid_request"})
            else:
                self._answer(
                    200,
                    {
                        "access_token": TOKEN,
                        "token_type": "bearer",
                        "expires_in": 3599,
                        "scope": "meeting:write:admin",
                    },
                )
        elif url.path == "/v2/users/me/meetings":
            if not self._bearer_ok():
                return
            if self.headers.get("Content-Type") != "application/json":
                self._answer(400, {"code": 300, "message": "Request Body should be a valid JSON"})
                return
            payload = json.loads(self.body)
            with self.fake.lock:
                meeting_id = self.fake.next_id
                self.fake.next_id += 1
                self.fake.created.append(payload)
                self.fake.meetings[str(meeting_id)] = self.fake.join_url(meeting_id)
            self._answer(
                201,
                {
                    "id": meeting_id,
                    "uuid": f"uuid-{meeting_id}",
                    "topic": payload.get("topic"),
                    "start_time": payload.get("start_time"),
                    "duration": payload.get("duration"),
                    "join_url": self.fake.join_url(meeting_id),
                    "start_url": f"https://zoom.example/s/{meeting_id}?zak=host",
                },
            )
        else:
            self._answer(404, {"code": 404, "message": "Not found"})

    def do_DELETE(self):
        if not self._preamble():
            return
        path = urlsplit(self.path).path
        if not path.startswith("/v2/meetings/"):
            self._answer(404, {"code": 404, "message": "Not found"})
            return
        if not self._bearer_ok():
            return
        meeting_id = path.rsplit("/", 1)[1]
        with self.fake.lock:
            known = self.fake.meetings.pop(meeting_id, None)
            if known:
                self.fake.deleted.append(meeting_id)
        if known:
            self._answer(204)
        else:
            self._answer(404, {"code": 3001, "message": "Meeting does not exist"})


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestZoom(HttpCase, BookmeCase):
    """Zoom locations against a real HTTP server on loopback that answers like Zoom."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zoom_type = cls.etype
        cls.zoom_type.write(
            {
                "location_ids": [Command.create({"location_type": "online", "online_provider": "zoom"})],
            }
        )
        cls.zoom = cls.zoom_type.location_ids
        cls.group_type.write(
            {
                "location_ids": [Command.create({"location_type": "online", "online_provider": "zoom"})],
            }
        )
        cls.group_zoom = cls.group_type.location_ids

    def setUp(self):
        super().setUp()
        self.fake, self.port = self.start_server()
        self.set_zoom_params(self.port)
        # Meetings created in a test's transaction would be deleted at the final rollback:
        # each test checks that on its own (test_rollback_deletes_orphan_meeting).
        self.addCleanup(self.env.cr.postrollback.data.pop, ORPHANS_KEY, None)

    def start_server(self):
        fake = FakeZoom()
        handler = type("Handler", (ZoomHandler,), {"fake": fake})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()

        def stop():
            if fake.hang is not None:
                fake.hang.set()
            server.shutdown()
            server.server_close()
            thread.join(5)

        self.addCleanup(stop)
        fake.stop = stop
        return fake, server.server_address[1]

    def set_zoom_params(self, port, **overrides):
        values = {
            "crm_bookme.zoom_account_id": ACCOUNT,
            "crm_bookme.zoom_client_id": CLIENT,
            "crm_bookme.zoom_client_secret": SECRET,
            "crm_bookme.zoom_api_url": f"http://127.0.0.1:{port}/v2",
            "crm_bookme.zoom_oauth_url": f"http://127.0.0.1:{port}/oauth/token",
        }
        values.update(overrides)
        ICP = self.env["ir.config_parameter"].sudo()
        for key, value in values.items():
            ICP.set_param(key, value)

    def guest_mails(self, booking):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
            ],
            order="id",
        )

    def host_notices(self, booking):
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
            ]
        )
        note = self.env.ref("mail.mt_note")
        messages = booking.message_ids.filtered(
            lambda m: m.subtype_id == note and m.message_type == "comment"
        )
        return activities, messages

    def assert_host_told(self, booking, summary, *fragments):
        activities, messages = self.host_notices(booking)
        self.assertEqual(len(activities), 1, "one to-do for the host")
        self.assertEqual(activities.user_id, self.host)
        self.assertEqual(activities.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activities.summary, summary)
        self.assertEqual(len(messages), 1, "one note in the booking's chatter")
        for text in (str(activities.note), str(messages.body)):
            for fragment in fragments:
                self.assertIn(fragment, text)
            self.assertNotIn(SECRET, text)
            self.assertNotIn(TOKEN, text)

    def assert_no_notice(self, booking):
        activities, messages = self.host_notices(booking)
        self.assertFalse(activities)
        self.assertFalse(messages)

    # --- The meeting follows the booking -----------------------------------------------------

    def test_booking_creates_meeting_shown_to_guest(self):
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(len(self.fake.created), 1)
        self.assertEqual(
            self.fake.created[0],
            {
                "topic": "Consultation – Gina Guest",
                "type": 2,
                "start_time": "2030-01-07T08:00:00Z",
                "duration": 30,
                "timezone": "UTC",
            },
        )
        (auth, query) = self.fake.token_requests[0]
        self.assertTrue(auth.startswith("Basic "))
        self.assertEqual(query["account_id"], [ACCOUNT])
        event = booking.calendar_event_id
        meeting_id = str(self.fake.next_id - 1)
        join_url = self.fake.join_url(meeting_id)
        self.assertEqual(event.bookme_zoom_meeting_id, meeting_id)
        self.assertEqual(event.videocall_location, join_url)
        # The guest's confirmation email, its .ics and the guest page give the Zoom link.
        guest_mail = self.guest_mails(booking)
        self.assertEqual(len(guest_mail), 1)
        self.assertIn(join_url, guest_mail.body_html)
        ics = guest_mail.attachment_ids.filtered(lambda a: a.mimetype == "text/calendar")
        (vevent,) = icalendar.Calendar.from_ical(base64.b64decode(ics.datas)).walk("VEVENT")
        self.assertIn(join_url, str(vevent.get("location")))
        page = self.url_open(f"/book/booking/{booking.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="{join_url}"', page.text)
        self.assert_no_notice(booking)

    def test_agenda_from_type_description(self):
        self.zoom_type.description = "<p>Bring your <b>questions</b>.</p>"
        self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assertEqual(self.fake.created[0]["agenda"], "Bring your *questions*.")

    def book_public(self):
        """Book as a website visitor, through the public JSON API."""
        res = self.url_open(
            "/book/api/v1/hanne/consultation/bookings",
            data=json.dumps(
                {
                    "start": MONDAY_9.isoformat(),
                    "name": "Pia Public",
                    "email": "pia@example.com",
                    "location_id": self.zoom.id,
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 201, res.text)
        token = res.json()["booking"]["token"]
        return self.Booking.search([("access_token", "=", token)])

    def test_booking_through_public_api(self):
        booking = self.book_public()
        self.assertEqual(len(self.fake.created), 1)
        self.assertEqual(
            booking.calendar_event_id.videocall_location, self.fake.join_url(self.fake.next_id - 1)
        )

    def test_cancel_deletes_meeting(self):
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        event = booking.calendar_event_id
        meeting_id = event.bookme_zoom_meeting_id
        join_url = event.videocall_location
        booking._bookme_guest_cancel()
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(self.fake.deleted, [meeting_id])
        self.assertFalse(event.active)
        self.assertFalse(event.bookme_zoom_meeting_id)
        self.assertFalse(event.videocall_location, "the dead link is not offered any more")
        cancel_mail = self.guest_mails(booking)[-1]
        self.assertIn("ancel", cancel_mail.subject)
        self.assertNotIn(join_url, cancel_mail.body_html)
        self.assert_no_notice(booking)

    def test_group_bookings_share_one_meeting(self):
        first = self.book(
            self.group_type, MONDAY_9, location=self.group_zoom, email="g1@example.com", name="Guest One"
        )
        second = self.book(
            self.group_type, MONDAY_9, location=self.group_zoom, email="g2@example.com", name="Guest Two"
        )
        self.assertEqual(first.calendar_event_id, second.calendar_event_id)
        self.assertEqual(len(self.fake.created), 1, "one session, one meeting")
        self.assertEqual(self.fake.created[0]["topic"], "Workshop")
        self.assertEqual(self.fake.created[0]["duration"], 60)
        join_url = first.calendar_event_id.videocall_location
        self.assertTrue(join_url.startswith("https://zoom.example/j/"))
        self.assertIn(join_url, self.guest_mails(second).body_html)
        first.action_bookme_cancel()
        self.assertEqual(self.fake.deleted, [], "the session goes on for the second guest")
        self.assertEqual(second.calendar_event_id.videocall_location, join_url)
        meeting_id = second.calendar_event_id.bookme_zoom_meeting_id
        second.action_bookme_cancel()
        self.assertEqual(self.fake.deleted, [meeting_id])
        self.assertFalse(self.fake.meetings, "no meeting left at Zoom")

    def test_reschedule_replaces_meeting(self):
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        old_event = booking.calendar_event_id
        old_id = old_event.bookme_zoom_meeting_id
        booking._bookme_guest_reschedule(MONDAY_9 + timedelta(hours=2))
        self.assertEqual(self.fake.deleted, [old_id])
        self.assertEqual(len(self.fake.created), 2)
        self.assertEqual(self.fake.created[1]["start_time"], "2030-01-07T10:00:00Z")
        self.assertEqual(self.fake.created[1]["duration"], 30)
        new_event = booking.calendar_event_id
        self.assertNotEqual(new_event, old_event)
        new_id = new_event.bookme_zoom_meeting_id
        self.assertNotEqual(new_id, old_id)
        self.assertEqual(new_event.videocall_location, self.fake.join_url(new_id))
        self.assertEqual(list(self.fake.meetings), [new_id])
        moved_mail = self.guest_mails(booking)[-1]
        self.assertIn(self.fake.join_url(new_id), moved_mail.body_html)
        self.assert_no_notice(booking)

    def test_rollback_deletes_orphan_meeting(self):
        """A booking whose transaction is rolled back leaves no meeting at Zoom."""
        kept = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        cancelled = self.book(
            self.zoom_type, MONDAY_9 + timedelta(hours=1), location=self.zoom, email="other@example.com"
        )
        cancelled_id = cancelled.calendar_event_id.bookme_zoom_meeting_id
        cancelled.action_bookme_cancel()
        orphans = self.env.cr.postrollback.data[ORPHANS_KEY]
        self.assertEqual(
            [meeting for _client, meeting in orphans],
            [kept.calendar_event_id.bookme_zoom_meeting_id],
            "a meeting deleted already is not deleted again",
        )
        delete_orphans(list(orphans))  # what the rollback hook does
        self.assertEqual(self.fake.deleted, [cancelled_id, kept.calendar_event_id.bookme_zoom_meeting_id])

    # --- Zoom failing never breaks a booking -------------------------------------------------

    def assert_booked_without_zoom(self, booking):
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(booking.calendar_event_id.active)
        self.assertFalse(booking.calendar_event_id.videocall_location)
        self.assertFalse(booking.calendar_event_id.bookme_zoom_meeting_id)
        self.assertEqual(len(self.guest_mails(booking)), 1, "the guest is still told")

    def test_server_error_keeps_booking_and_tells_host(self):
        self.fake.fail_status = 500
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assert_booked_without_zoom(booking)
        self.assert_host_told(booking, "Zoom meeting not created", "HTTP 500", "Internal error")

    def test_public_booking_with_zoom_failing(self):
        self.fake.fail_status = 500
        booking = self.book_public()
        self.assert_booked_without_zoom(booking)
        self.assert_host_told(booking, "Zoom meeting not created", "HTTP 500")

    def test_server_down_keeps_booking_and_tells_host(self):
        self.fake.stop()
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assert_booked_without_zoom(booking)
        self.assert_host_told(booking, "Zoom meeting not created", "could not be reached")

    def test_server_timeout_keeps_booking_and_tells_host(self):
        self.fake.hang = threading.Event()
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assert_booked_without_zoom(booking)
        self.assert_host_told(booking, "Zoom meeting not created", "did not answer")

    def test_wrong_credentials_keep_booking_and_tell_host(self):
        self.set_zoom_params(self.port, **{"crm_bookme.zoom_client_secret": "wrong-one"})
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assert_booked_without_zoom(booking)
        self.assertFalse(self.fake.created)
        self.assert_host_told(
            booking,
            "Zoom meeting not created",
            "HTTP 401",
            "Invalid client_id or client_secret",
            "credentials",
        )
        _activities, messages = self.host_notices(booking)
        self.assertNotIn("wrong-one", str(messages.body))

    def test_missing_credentials_keep_booking_and_tell_host(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_bookme.zoom_client_secret", False)
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.assert_booked_without_zoom(booking)
        self.assertFalse(self.fake.token_requests, "Zoom is not even asked")
        self.assert_host_told(booking, "Zoom meeting not created", "not configured")

    def test_delete_failure_keeps_cancellation_and_tells_host(self):
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        meeting_id = booking.calendar_event_id.bookme_zoom_meeting_id
        self.fake.fail_status = 500
        booking._bookme_guest_cancel()
        self.assertEqual(booking.state, "cancelled")
        self.assertFalse(booking.calendar_event_id.active)
        self.assertEqual(
            booking.calendar_event_id.bookme_zoom_meeting_id,
            meeting_id,
            "kept, so that the host knows which meeting to delete",
        )
        self.assert_host_told(booking, "Zoom meeting not deleted", meeting_id, "HTTP 500")

    def test_meeting_gone_at_zoom_counts_as_deleted(self):
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        self.fake.meetings.clear()  # deleted in Zoom's own interface meanwhile
        booking.action_bookme_cancel()
        self.assertFalse(booking.calendar_event_id.bookme_zoom_meeting_id)
        self.assert_no_notice(booking)

    def test_settings_store_credentials(self):
        ICP = self.env["ir.config_parameter"].sudo()
        with Form(self.env["res.config.settings"]) as settings:
            self.assertEqual(settings.bookme_zoom_account_id, ACCOUNT)
            settings.bookme_zoom_account_id = " acc-new "
            settings.bookme_zoom_client_id = "client-new"
            settings.bookme_zoom_client_secret = "secret-new"
        settings.save().execute()
        self.assertEqual(ICP.get_param("crm_bookme.zoom_account_id"), "acc-new")
        self.assertEqual(ICP.get_param("crm_bookme.zoom_client_id"), "client-new")
        self.assertEqual(ICP.get_param("crm_bookme.zoom_client_secret"), "secret-new")
        fields = self.env["res.config.settings"]._fields
        for name in ("bookme_zoom_account_id", "bookme_zoom_client_id", "bookme_zoom_client_secret"):
            self.assertEqual(fields[name].groups, "crm_bookme.group_bookme_manager")

    def test_zoom_defaults_are_zooms_own_addresses(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("crm_bookme.zoom_api_url", False)
        ICP.set_param("crm_bookme.zoom_oauth_url", False)
        client = self.env["bookme.zoom"]._zoom_client()
        self.assertEqual(client.api_url, "https://api.zoom.us/v2")
        self.assertEqual(client.oauth_url, "https://zoom.us/oauth/token")

    def test_other_locations_never_call_zoom(self):
        self.zoom.online_provider = "custom"
        self.zoom.url = "https://meet.example/room"
        booking = self.book(self.zoom_type, MONDAY_9, location=self.zoom)
        booking.action_bookme_cancel()
        self.assertFalse(self.fake.token_requests)
        self.assert_no_notice(booking)
