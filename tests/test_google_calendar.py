import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.crm_bookme.exceptions import BookmeError
from odoo.addons.crm_bookme.models.bookme_google import GoogleError

from .common import BookmeCase, naive, utc
from .test_outside_calls import OutsideCallsCase

NOW = "2030-01-04 12:00:00"
MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo
MONDAY_11 = utc(2030, 1, 7, 10, 0)

CLIENT = "google-client-id"
SECRET = "google-s3cr3t-do-not-leak"
# Per account: refresh token -> (access token, its calendars)
ACCOUNTS = {
    "refresh-work": (
        "tok-work",
        [
            {
                "id": "hanne@work.example",
                "summary": "hanne@work.example",
                "primary": True,
                "accessRole": "owner",
            },
            {"id": "coaching@group.calendar.google.com", "summary": "Coaching", "accessRole": "owner"},
        ],
    ),
    "refresh-home": (
        "tok-home",
        [
            {
                "id": "hanne@home.example",
                "summary": "hanne@home.example",
                "primary": True,
                "accessRole": "owner",
            },
            {"id": "family@group.calendar.google.com", "summary": "Family", "accessRole": "owner"},
        ],
    ),
}


class FakeGoogle:
    """What the loopback server received, and how it should answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (method, path, query, body)
        self.events = {}  # calendar id -> {event id: payload}
        self.valid_tokens = dict(ACCOUNTS.values())
        self.revoked = set()  # refresh tokens Google no longer accepts
        self.fail_status = None  # answer every request with this status
        self.busy = {}  # calendar id -> [(start, end)]
        self.on_insert = None  # called while an event insert is being handled
        self.next_id = 1

    def calls(self, method, fragment=""):
        return [r for r in self.requests if r[0] == method and fragment in r[1]]


class GoogleHandler(BaseHTTPRequestHandler):
    fake: FakeGoogle = None

    def log_message(self, format, *args):
        pass

    def _answer(self, status, body=None):
        raw = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _handle(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        fake = self.fake
        if self.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(raw or b"{}")
        else:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        with fake.lock:
            fake.requests.append((method, url.path, query, body))
        if fake.fail_status:
            self._answer(fake.fail_status, {"error": {"code": fake.fail_status, "message": "Backend Error"}})
            return
        if url.path == "/token":
            self._token(body)
            return
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        calendars = fake.valid_tokens.get(token)
        if calendars is None:
            self._answer(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
            return
        parts = [unquote(p) for p in url.path.split("/")]
        # /calendar/v3/users/me/calendarList | /calendar/v3/freeBusy
        # /calendar/v3/calendars/<cal>/events[/<id>]
        if url.path == "/calendar/v3/users/me/calendarList" and method == "GET":
            self._answer(200, {"kind": "calendar#calendarList", "items": calendars})
        elif url.path == "/calendar/v3/freeBusy" and method == "POST":
            self._answer(
                200,
                {
                    "calendars": {
                        item["id"]: {
                            "busy": [{"start": s, "end": e} for s, e in fake.busy.get(item["id"], [])]
                        }
                        for item in body["items"]
                    }
                },
            )
        elif len(parts) >= 6 and parts[3] == "calendars" and parts[5] == "events":
            cal = parts[4]
            if cal not in {c["id"] for c in calendars}:
                self._answer(404, {"error": {"code": 404, "message": "Not Found"}})
                return
            with fake.lock:
                events = fake.events.setdefault(cal, {})
                if method == "POST" and len(parts) == 6:
                    if fake.on_insert:
                        fake.on_insert()
                    event_id = f"gev{fake.next_id}"
                    fake.next_id += 1
                    events[event_id] = body
                    self._answer(200, {"id": event_id, **body})
                elif len(parts) == 7 and parts[6] in events:
                    if method == "PATCH":
                        events[parts[6]] = {**events[parts[6]], **body}
                        self._answer(200, {"id": parts[6], **events[parts[6]]})
                    elif method == "DELETE":
                        del events[parts[6]]
                        self._answer(204)
                else:
                    self._answer(404, {"error": {"code": 404, "message": "Not Found"}})
        else:
            self._answer(404, {"error": {"code": 404, "message": "Not Found"}})

    def _token(self, body):
        if body.get("client_id") != CLIENT or body.get("client_secret") != SECRET:
            self._answer(401, {"error": "invalid_client"})
            return
        if body.get("grant_type") == "refresh_token":
            refresh = body.get("refresh_token")
            if refresh not in ACCOUNTS or refresh in self.fake.revoked:
                self._answer(
                    400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                )
                return
            self._answer(
                200, {"access_token": ACCOUNTS[refresh][0], "expires_in": 3599, "token_type": "Bearer"}
            )
        elif body.get("grant_type") == "authorization_code" and body.get("code") == "code-home":
            self._answer(
                200,
                {
                    "access_token": "tok-home",
                    "refresh_token": "refresh-home",
                    "expires_in": 3599,
                    "token_type": "Bearer",
                },
            )
        else:
            self._answer(400, {"error": "invalid_grant"})

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")


class GoogleCase(BookmeCase):
    """A host with two connected Google accounts (work and home) and a fake Google API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["bookme.google.account"]
        expiry = naive(utc(2030, 1, 4, 13, 0))  # an hour after NOW
        cls.work = Account.create(
            {
                "user_id": cls.host.id,
                "email": "hanne@work.example",
                "refresh_token": "refresh-work",
                "access_token": "tok-work",
                "token_expiry": expiry,
            }
        )
        cls.home = Account.create(
            {
                "user_id": cls.host.id,
                "email": "hanne@home.example",
                "refresh_token": "refresh-home",
                "access_token": "tok-home",
                "token_expiry": expiry,
            }
        )
        for account, refresh in ((cls.work, "refresh-work"), (cls.home, "refresh-home")):
            account._google_store_calendars(ACCOUNTS[refresh][1])
        Calendar = cls.env["bookme.google.calendar"]
        cls.coaching = Calendar.search([("google_id", "=", "coaching@group.calendar.google.com")])
        cls.family = Calendar.search([("google_id", "=", "family@group.calendar.google.com")])
        cls.etype.write({"google_calendar_enabled": True, "google_calendar_id": cls.coaching.id})

    def setUp(self):
        super().setUp()
        self.fake = FakeGoogle()
        handler = type("Handler", (GoogleHandler,), {"fake": self.fake})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()

        def stop():
            server.shutdown()
            server.server_close()
            thread.join(5)

        self.addCleanup(stop)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        ICP = self.env["ir.config_parameter"].sudo()
        for key, value in {
            "google_calendar_client_id": CLIENT,
            "google_calendar_client_secret": SECRET,
            "crm_bookme.google_api_url": f"{base}/calendar/v3",
            "crm_bookme.google_oauth_url": f"{base}/auth",
            "crm_bookme.google_token_url": f"{base}/token",
        }.items():
            ICP.set_param(key, value)

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

    def as_host(self, booking):
        return booking.with_user(self.host)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGoogleClient(GoogleCase):
    """The HTTP client and the token handling, against the fake Google."""

    def test_list_calendars_as_host(self):
        self.fake.valid_tokens["tok-work"] = ACCOUNTS["refresh-work"][1] + [
            {"id": "team@group.calendar.google.com", "summary": "Team", "accessRole": "writer"},
        ]
        self.work.with_user(self.host).action_refresh_calendars()
        names = self.work.with_user(self.host).calendar_ids.mapped("name")
        self.assertEqual(sorted(names), ["Coaching", "Team", "hanne@work.example"])
        self.assertEqual(self.fake.calls("GET", "calendarList")[0][2]["minAccessRole"], ["writer"])
        self.assertEqual(self.coaching.display_name, "Coaching (hanne@work.example)")

    def test_expired_access_token_is_refreshed(self):
        self.work.sudo().write({"access_token": "tok-old", "token_expiry": naive(utc(2030, 1, 4, 11, 0))})
        self.work.with_user(self.host).action_refresh_calendars()
        token_calls = self.fake.calls("POST", "/token")
        self.assertEqual(len(token_calls), 1)
        self.assertEqual(token_calls[0][3]["grant_type"], "refresh_token")
        self.assertEqual(token_calls[0][3]["refresh_token"], "refresh-work")
        self.assertEqual(self.work.sudo().access_token, "tok-work")
        self.assertGreater(self.work.sudo().token_expiry, naive(utc(2030, 1, 4, 12, 30)))

    def test_401_with_a_valid_looking_token_refreshes_once(self):
        self.work.sudo().access_token = "tok-revoked-by-google"
        self.work.with_user(self.host).action_refresh_calendars()
        self.assertEqual(len(self.fake.calls("POST", "/token")), 1)
        self.assertEqual(len(self.fake.calls("GET", "calendarList")), 2)
        self.assertEqual(self.work.sudo().access_token, "tok-work")

    def test_revoked_refresh_token_is_an_auth_error(self):
        self.fake.revoked.add("refresh-work")
        self.work.sudo().access_token = "tok-gone"
        with self.assertRaises(GoogleError) as caught:
            self.work.sudo()._google_call("calendar_list")
        self.assertEqual(caught.exception.kind, "auth")
        result = self.work.with_user(self.host).action_refresh_calendars()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("Connect the Google account again", result["params"]["message"])
        self.assertNotIn(SECRET, str(result))

    def test_500_is_an_http_error_without_secrets(self):
        self.fake.fail_status = 500
        with self.assertRaises(GoogleError) as caught:
            self.work.sudo()._google_call("calendar_list")
        self.assertEqual((caught.exception.kind, caught.exception.status), ("http", 500))
        self.assertNotIn(SECRET, str(caught.exception))

    def test_tokens_are_their_users_only(self):
        colleague = self.env["res.users"].create(
            {
                "name": "Cole",
                "login": "bookme_g_colleague",
                "group_ids": [(4, self.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        Account = self.env["bookme.google.account"].with_user(colleague)
        self.assertFalse(Account.search([]))
        self.assertFalse(self.env["bookme.google.calendar"].with_user(colleague).search([]))
        self.assertEqual(
            self.env["bookme.google.account"].with_user(self.host).search([]), self.work | self.home
        )
        with self.assertRaises(AccessError):
            self.work.with_user(colleague).action_refresh_calendars()
        with self.assertRaises(ValidationError):  # a colleague's calendar on one's own type
            self.env["bookme.event.type"].with_user(colleague).create(
                {
                    "name": "Mine",
                    "duration": 30,
                    "google_calendar_id": self.coaching.id,
                }
            )


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGoogleBookings(GoogleCase):
    """Bookings of a type with a chosen secondary calendar, written there by Book Me."""

    def coaching_events(self):
        return self.fake.events.get("coaching@group.calendar.google.com", {})

    def test_booking_reschedule_cancel_follow_in_the_chosen_calendar(self):
        booking = self.book(self.etype, MONDAY_9)
        self.assertEqual(booking.state, "confirmed")
        events = self.coaching_events()
        self.assertEqual(len(events), 1, "one event in the chosen calendar")
        ((event_id, payload),) = events.items()
        self.assertEqual(booking.google_event_id, event_id)
        self.assertEqual(booking.google_calendar_id, self.coaching)
        self.assertEqual(payload["start"], {"dateTime": "2030-01-07T08:00:00Z", "timeZone": "UTC"})
        self.assertEqual(payload["end"], {"dateTime": "2030-01-07T08:30:00Z", "timeZone": "UTC"})
        self.assertEqual(payload["attendees"], [{"email": "guest@example.com", "displayName": "Gina Guest"}])
        self.assertEqual(payload["summary"], "Consultation – Gina Guest")
        insert = self.fake.calls("POST", "/events")[0]
        self.assertEqual(insert[2]["sendUpdates"], ["none"], "Book Me sends its own emails")
        self.assertFalse(self.fake.events.get("hanne@work.example"), "not the primary calendar")
        self.assertFalse(self.fake.events.get("family@group.calendar.google.com"))

        self.as_host(booking).action_bookme_reschedule("2030-01-07T11:00:00+01:00")
        self.assertEqual(booking.start, naive(MONDAY_11))
        self.assertEqual(len(self.fake.calls("PATCH")), 1)
        self.assertEqual(list(self.coaching_events()), [event_id], "updated, not re-created")
        self.assertEqual(self.coaching_events()[event_id]["start"]["dateTime"], "2030-01-07T10:00:00Z")

        self.as_host(booking).action_bookme_cancel(reason="Ill")
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(self.coaching_events(), {}, "deleted")
        self.assertFalse(booking.google_event_id)
        self.assertEqual(len(self.fake.calls("DELETE")), 1)
        self.assertFalse(self.host_notices(booking)[0])

    def test_two_accounts_the_type_choice_decides(self):
        self.etype.with_user(self.host).google_calendar_id = self.family
        booking = self.book(self.etype, MONDAY_9)
        self.assertEqual(len(self.fake.events["family@group.calendar.google.com"]), 1)
        self.assertFalse(self.coaching_events())
        insert = self.fake.calls("POST", "/events")[0]
        self.assertIn("family%40group.calendar.google.com", insert[1].replace("@", "%40"))
        self.assertEqual(booking.google_calendar_id.account_id, self.home)
        # The host switches the type to the work account's calendar: the next booking goes
        # there, the earlier one stays where it is and is cancelled there.
        self.etype.with_user(self.host).google_calendar_id = self.coaching
        other = self.book(self.etype, MONDAY_11, email="otto@example.com", name="Otto")
        self.assertEqual(len(self.coaching_events()), 1)
        self.assertEqual(other.google_calendar_id, self.coaching)
        self.as_host(booking).action_bookme_cancel()
        self.assertEqual(self.fake.events["family@group.calendar.google.com"], {})
        self.assertEqual(len(self.coaching_events()), 1)

    def test_request_is_written_when_approved(self):
        self.etype.requires_approval = True
        booking = self.book(self.etype, MONDAY_9)
        self.assertEqual(booking.state, "requested")
        self.assertFalse(self.fake.requests, "a request is not in Google yet")
        self.as_host(booking).action_bookme_approve()
        self.assertEqual(booking.state, "confirmed")
        (payload,) = self.coaching_events().values()
        self.assertEqual(payload["start"]["dateTime"], "2030-01-07T08:00:00Z")
        declined = self.book(self.etype, MONDAY_11, email="otto@example.com", name="Otto")
        self.as_host(declined).action_bookme_decline()
        self.assertEqual(len(self.coaching_events()), 1)

    def test_no_chosen_calendar_writes_nothing(self):
        self.etype.google_calendar_enabled = False
        booking = self.book(self.etype, MONDAY_9)
        self.assertFalse(self.fake.requests)
        self.assertFalse(booking.google_event_id)

    def test_google_down_booking_stands_host_told_cron_catches_up(self):
        self.fake.fail_status = 500
        booking = self.book(self.etype, MONDAY_9)
        self.assertEqual(booking.state, "confirmed", "the booking stands")
        self.assertTrue(booking.calendar_event_id)
        self.assertTrue(booking.google_retry)
        self.assertFalse(booking.google_event_id)
        activities, messages = self.host_notices(booking)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.host)
        self.assertEqual(activities.summary, "Google Calendar not updated")
        self.assertEqual(len(messages), 1)
        self.assertIn("HTTP 500", str(messages.body))
        self.assertNotIn(SECRET, str(messages.body))

        Booking = self.env["bookme.booking"]
        Booking._cron_bookme_google_retry()  # still down: no second notice
        self.assertTrue(booking.google_retry)
        self.assertEqual(len(self.host_notices(booking)[0]), 1)
        self.assertEqual(len(self.host_notices(booking)[1]), 1)

        self.fake.fail_status = None
        self.assertEqual(Booking._cron_bookme_google_retry(), 1)
        self.assertFalse(booking.google_retry)
        self.assertEqual(len(self.coaching_events()), 1)
        self.assertEqual(booking.google_event_id, next(iter(self.coaching_events())))
        self.assertEqual(Booking._cron_bookme_google_retry(), 0, "nothing left to do")
        self.assertEqual(len(self.coaching_events()), 1)

    def test_revoked_token_at_cancel_deletes_later(self):
        booking = self.book(self.etype, MONDAY_9)
        self.fake.revoked.add("refresh-work")
        self.work.sudo().access_token = "tok-revoked"
        self.fake.valid_tokens.pop("tok-work")
        self.as_host(booking).action_bookme_cancel()
        self.assertEqual(booking.state, "cancelled", "the cancellation stands")
        self.assertTrue(booking.google_retry)
        _activities, messages = self.host_notices(booking)
        self.assertIn("Connect the Google account again", str(messages.body))
        self.assertEqual(len(self.coaching_events()), 1, "not deleted yet")
        # The host connects the account again: the cron deletes the event.
        self.fake.revoked.clear()
        self.fake.valid_tokens["tok-work"] = ACCOUNTS["refresh-work"][1]
        self.env["bookme.booking"]._cron_bookme_google_retry()
        self.assertEqual(self.coaching_events(), {})
        self.assertFalse(booking.google_retry)

    def test_booking_through_the_public_api(self):
        """The guest's path: committed first, then Google, then the email."""
        booking, _sent = self.env["bookme.booking"]._bookme_public_book(
            self.etype,
            {
                "start": MONDAY_9,
                "name": "Gina Guest",
                "email": "gina@example.com",
            },
        )
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(len(self.coaching_events()), 1)
        booking._bookme_public_cancel()
        self.assertEqual(self.coaching_events(), {})


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGoogleBusy(GoogleCase):
    """Busy time of calendars marked "Count as Busy", from Google's freeBusy, cached."""

    def test_busy_time_blocks_slots_and_is_cached(self):
        self.family.with_user(self.host).check_busy = True
        self.fake.busy["family@group.calendar.google.com"] = [
            ("2030-01-07T08:00:00Z", "2030-01-07T09:00:00Z"),
        ]
        day = (utc(2030, 1, 7, 7, 0), utc(2030, 1, 7, 17, 0))
        starts = self.starts(self.etype, *day)
        self.assertNotIn(MONDAY_9, starts)
        self.assertNotIn(MONDAY_9 + timedelta(minutes=30), starts)
        self.assertIn(MONDAY_11, starts)
        self.assertEqual(len(self.fake.calls("POST", "freeBusy")), 1)
        self.starts(self.etype, *day)
        self.assertEqual(len(self.fake.calls("POST", "freeBusy")), 1, "cached")
        # The booking check (under the host lock) uses the cache, never Google.
        with self.assertRaises(BookmeError):
            self.book(self.etype, MONDAY_9)
        self.assertEqual(len(self.fake.calls("POST", "freeBusy")), 1)
        with freeze_time("2030-01-04 12:06:00"):
            self.starts(self.etype, *day)
        self.assertEqual(len(self.fake.calls("POST", "freeBusy")), 2, "asked again after 5 min")

    def test_google_down_falls_back_to_odoo(self):
        self.family.check_busy = True
        self.fake.fail_status = 500
        day = (utc(2030, 1, 7, 7, 0), utc(2030, 1, 7, 17, 0))
        with self.assertLogs("odoo.addons.crm_bookme.models.bookme_google_busy", "WARNING"):
            starts = self.starts(self.etype, *day)
        self.assertIn(MONDAY_9, starts)

    def test_own_bookings_in_google_are_not_counted_twice(self):
        """A group session Book Me wrote to Google is busy there, but still has seats."""
        self.coaching.check_busy = True
        self.group_type.write({"google_calendar_enabled": True, "google_calendar_id": self.coaching.id})
        first = self.book(self.group_type, MONDAY_9)
        self.assertTrue(first.google_event_id)
        self.fake.busy["coaching@group.calendar.google.com"] = [
            ("2030-01-07T08:00:00Z", "2030-01-07T09:00:00Z"),  # the session itself
            ("2030-01-07T12:00:00Z", "2030-01-07T13:00:00Z"),  # something else
        ]
        day = (utc(2030, 1, 7, 7, 0), utc(2030, 1, 7, 17, 0))
        starts = self.starts(self.group_type, *day)
        self.assertIn(MONDAY_9, starts, "the session is not blocked by its own Google event")
        self.assertNotIn(utc(2030, 1, 7, 12, 0), starts)
        second = self.book(self.group_type, MONDAY_9, email="otto@example.com", name="Otto")
        self.assertEqual(second.state, "confirmed")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGoogleConnect(HttpCase, GoogleCase):
    """Connecting a Google account: consent with offline access, signed state."""

    def setUp(self):
        super().setUp()
        self.host.password = "host-password-1"
        self.home.unlink()

    def test_connect_and_callback(self):
        self.authenticate("bookme_host", "host-password-1")
        res = self.url_open("/bookme/google/connect", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        location = urlsplit(res.headers["Location"])
        query = parse_qs(location.query)
        self.assertEqual(location.path, "/auth")
        self.assertEqual(query["access_type"], ["offline"])
        self.assertEqual(query["client_id"], [CLIENT])
        self.assertTrue(query["redirect_uri"][0].endswith("/bookme/google/callback"))
        state = query["state"][0]

        forged = self.url_open("/bookme/google/callback?code=code-home&state=forged", allow_redirects=False)
        self.assertEqual(forged.status_code, 400)
        self.assertFalse(self.env["bookme.google.account"].search([("email", "=", "hanne@home.example")]))

        res = self.url_open(f"/bookme/google/callback?code=code-home&state={state}", allow_redirects=False)
        self.assertEqual(res.status_code, 303, res.text)
        account = self.env["bookme.google.account"].search([("email", "=", "hanne@home.example")])
        self.assertEqual(account.user_id, self.host)
        self.assertEqual(account.refresh_token, "refresh-home")
        self.assertEqual(sorted(account.calendar_ids.mapped("name")), ["Family", "hanne@home.example"])
        self.assertEqual(self.fake.calls("POST", "/token")[0][3]["grant_type"], "authorization_code")

    def test_someone_elses_state_is_refused(self):
        other = self.env["res.users"].create(
            {
                "name": "Cole",
                "login": "bookme_g_other",
                "password": "other-password-1",
                "group_ids": [(4, self.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        self.authenticate("bookme_host", "host-password-1")
        res = self.url_open("/bookme/google/connect", allow_redirects=False)
        state = parse_qs(urlsplit(res.headers["Location"]).query)["state"][0]
        self.authenticate(other.login, "other-password-1")
        res = self.url_open(f"/bookme/google/callback?code=code-home&state={state}", allow_redirects=False)
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self.env["bookme.google.account"].search([("user_id", "=", other.id)]))
        self.assertFalse(self.fake.calls("POST", "/token"))


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGoogleRefusals(GoogleCase):
    """Every public method of the Google models refuses portal users, plain employees and
    a colleague, and reaches Google for none of them."""

    def test_public_methods_refuse_other_roles(self):
        from odoo.service.model import call_kw
        from odoo.tests import new_test_user

        from .test_access_rights import crm_bookme_public_methods

        users = [
            new_test_user(self.env, login="g_portal", groups="base.group_portal"),
            new_test_user(self.env, login="g_employee", groups="base.group_user"),
            new_test_user(self.env, login="g_colleague", groups="sales_team.group_sale_salesman"),
        ]
        targets = {"bookme.google.account": self.work, "bookme.google.calendar": self.coaching}
        methods = [(m, n) for m, n in crm_bookme_public_methods(self.env) if m in targets]
        self.assertIn(("bookme.google.account", "action_refresh_calendars"), methods)
        self.assertIn(("bookme.google.account", "action_connect"), methods)
        for user in users:
            for model_name, name in methods:
                record = targets[model_name].with_user(user)
                is_model = getattr(getattr(type(record), name), "_api_model", False)
                if is_model and user.login == "g_colleague":
                    continue  # connecting one's own account is what a Book Me user may do
                with self.subTest(user=user.login, method=name), self.assertRaises(UserError):
                    call_kw(record, name, [] if is_model else [record.ids], {})
            for field in ("refresh_token", "access_token"):
                with self.assertRaises(AccessError):
                    self.work.with_user(user).read([field])
        self.assertFalse(self.fake.requests)
        action = self.env["bookme.google.account"].with_user(self.host).action_connect()
        self.assertEqual(action["url"], "/bookme/google/connect")


@tagged("post_install", "-at_install")
class TestGoogleAfterCommit(OutsideCallsCase):
    """With real commits: Google is called once the booking is committed and the host's
    lock row is free again, never inside the booking's transaction."""

    def setUp(self):
        super().setUp()
        self.fake = FakeGoogle()
        self.seen = []
        self.fake.on_insert = self.observe
        handler = type("Handler", (GoogleHandler,), {"fake": self.fake})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()

        def stop():
            server.shutdown()
            server.server_close()
            thread.join(5)

        self.addCleanup(stop)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        self.set_params(
            {
                "google_calendar_client_id": CLIENT,
                "google_calendar_client_secret": SECRET,
                "crm_bookme.google_api_url": f"{base}/calendar/v3",
                "crm_bookme.google_token_url": f"{base}/token",
            }
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["bookme.google.account"].create(
                {
                    "user_id": self.ids["host"],
                    "email": "hanne@work.example",
                    "refresh_token": "refresh-work",
                    "access_token": "tok-work",
                    "token_expiry": datetime.now() + timedelta(hours=1),
                }
            )
            account._google_store_calendars(ACCOUNTS["refresh-work"][1])
            calendar = account.calendar_ids.filtered(lambda c: not c.primary)
            env["bookme.event.type"].browse(self.ids["plain"]).write(
                {
                    "google_calendar_enabled": True,
                    "google_calendar_id": calendar.id,
                }
            )
            self.account_id = account.id
        self.addCleanup(self._remove_account)

    def _remove_account(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["bookme.google.account"].browse(self.account_id).unlink()

    def observe(self):
        """In the fake Google, while it handles the insert: what another worker sees."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM bookme_booking WHERE guest_email = %s", ["after@example.com"])
            committed = cr.fetchone()[0] == 1
            try:
                cr.execute(
                    "SELECT 1 FROM bookme_host_lock WHERE user_id = %s FOR UPDATE NOWAIT", [self.ids["host"]]
                )
                lock_free = True
            except psycopg2.errors.LockNotAvailable:
                lock_free = False
            cr.rollback()
        self.seen.append((committed, lock_free))

    def test_google_is_called_after_the_commit(self):
        results = {}
        self.book_in_worker("plain", self.start, "after@example.com", results)
        self.assertIsInstance(results["after@example.com"], tuple, results)
        self.assertEqual(self.seen, [(True, True)], "committed, lock released, then Google")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            booking = env["bookme.booking"].browse(results["after@example.com"][0])
            events = self.fake.events["coaching@group.calendar.google.com"]
            self.assertEqual(list(events), [booking.google_event_id])
            self.assertFalse(booking.google_retry)
