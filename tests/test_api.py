import json
from unittest.mock import patch

from odoo.tests import HttpCase, freeze_time, tagged

from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 Oslo


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestJsonApi(HttpCase, BookmeCase):
    """Every JSON route of the contract: success, bad input, unknown things, conflicts;
    and that nothing is written when a request is refused."""

    API = "/book/api/v1"

    def get_json(self, path, **params):
        res = self.url_open(path, params=params) if params else self.url_open(path)
        return res.status_code, res.json()

    def post_json(self, path, body, raw=None):
        res = self.url_open(
            path,
            data=raw if raw is not None else json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        return res.status_code, res.json()

    def counts(self):
        return (
            self.env["bookme.booking"].search_count([]),
            self.env["calendar.event"].search_count([]),
            self.env["res.partner"].search_count([]),
            self.env["mail.mail"].search_count([]),
        )

    def body(self, **kw):
        return {
            "start": "2030-01-07T09:00:00+01:00",
            "name": "Gina Guest",
            "email": "gina@example.com",
            "tz": "Europe/Oslo",
            **kw,
        }

    # --- slots ---------------------------------------------------------------------------

    def test_slots_success(self):
        status, data = self.get_json(
            f"{self.API}/hanne/consultation/slots",
            **{"from": "2030-01-07", "to": "2030-01-08", "tz": "Europe/Oslo"},
        )
        self.assertEqual(status, 200)
        self.assertEqual(data["timezone"], "Europe/Oslo")
        self.assertEqual([d["date"] for d in data["days"]], ["2030-01-07", "2030-01-08"])
        first = data["days"][0]["slots"][0]
        self.assertEqual(
            first, {"start": "2030-01-07T09:00:00+01:00", "end": "2030-01-07T09:30:00+01:00", "seats_left": 1}
        )
        self.assertEqual(len(data["days"][0]["slots"]), 16)

    def test_slots_in_guest_zone(self):
        status, data = self.get_json(
            f"{self.API}/hanne/consultation/slots",
            **{"from": "2030-01-07", "to": "2030-01-07", "tz": "America/New_York"},
        )
        self.assertEqual(status, 200)
        # 09:00 Oslo is 03:00 in New York: same instant, other offset and day grouping.
        self.assertEqual(data["days"][0]["slots"][0]["start"], "2030-01-07T03:00:00-05:00")

    def test_slots_group_seats_and_free_page(self):
        status, data = self.get_json(
            f"{self.API}/hanne/workshop/slots", **{"from": "2030-01-07", "to": "2030-01-07"}
        )
        self.assertEqual(status, 200)
        self.assertEqual(data["days"][0]["slots"][0]["seats_left"], 3)
        status, data = self.get_json(f"{self.API}/hanne/free/slots")
        self.assertEqual(status, 200)
        self.assertEqual(data["days"], [], "no free-for-appointment events yet")

    def test_slots_bad_input(self):
        url = f"{self.API}/hanne/consultation/slots"
        for params, field in [
            ({"from": "2030-13-01"}, "from"),
            ({"from": "yesterday"}, "from"),
            ({"from": "2030-01-07", "to": "2030-01-01"}, "to"),
            ({"from": "2030-01-01", "to": "2030-06-01"}, "to"),
            ({"tz": "Mars/Olympus"}, "tz"),
        ]:
            status, data = self.get_json(url, **params)
            self.assertEqual(status, 400, params)
            self.assertEqual(data["error"]["field"], field, params)
            self.assertTrue(data["error"]["message"])
            self.assertTrue(data["error"]["code"])

    def test_slots_not_found(self):
        for path in ("nobody/consultation", "hanne/nothing"):
            status, data = self.get_json(f"{self.API}/{path}/slots")
            self.assertEqual(status, 404)
            self.assertEqual(data["error"]["code"], "not_found")
        self.etype.is_published = False
        status, _data = self.get_json(f"{self.API}/hanne/consultation/slots")
        self.assertEqual(status, 404)

    # --- bookings --------------------------------------------------------------------------

    def test_book_success(self):
        status, data = self.post_json(f"{self.API}/hanne/consultation/bookings", self.body())
        self.assertEqual(status, 201, data)
        booking = data["booking"]
        self.assertEqual(booking["state"], "confirmed")
        self.assertEqual(booking["start"], "2030-01-07T09:00:00+01:00")
        self.assertEqual(booking["end"], "2030-01-07T09:30:00+01:00")
        self.assertTrue(booking["manage_url"].endswith(f"/book/booking/{booking['token']}"))
        record = self.env["bookme.booking"].search([("access_token", "=", booking["token"])])
        self.assertEqual(record.start, naive(MONDAY_9))
        self.assertEqual(record.guest_tz, "Europe/Oslo")

    def test_book_bad_input_changes_nothing(self):
        url = f"{self.API}/hanne/consultation/bookings"
        before = self.counts()
        cases = [
            (self.body(start="2030-01-07 09:00"), "start"),
            (self.body(start="not a date"), "start"),
            (self.body(name=""), "name"),
            (self.body(name=None), "name"),
            (self.body(email="not-an-email"), "email"),
            (self.body(email=""), "email"),
            (self.body(tz="Nowhere/City"), "tz"),
            (self.body(location_id=999999), "location_id"),
            (self.body(name="x" * 500), "name"),
            (self.body(phone="call me maybe"), "phone"),
        ]
        for body, field in cases:
            status, data = self.post_json(url, body)
            self.assertEqual(status, 400, body)
            self.assertEqual(data["error"]["field"], field, body)
        status, data = self.post_json(url, None, raw="{not json")
        self.assertEqual(status, 400)
        self.assertEqual(data["error"]["code"], "invalid_json")
        status, data = self.post_json(url, None, raw="[1, 2]")
        self.assertEqual(status, 400)
        self.assertEqual(self.counts(), before, "a refused request writes nothing")

    def test_book_not_found(self):
        before = self.counts()
        status, _data = self.post_json(f"{self.API}/nobody/consultation/bookings", self.body())
        self.assertEqual(status, 404)
        status, _data = self.post_json(f"{self.API}/hanne/nothing/bookings", self.body())
        self.assertEqual(status, 404)
        self.assertEqual(self.counts(), before)

    def test_book_taken_slot_409(self):
        status, _data = self.post_json(f"{self.API}/hanne/consultation/bookings", self.body())
        self.assertEqual(status, 201)
        before = self.counts()
        status, data = self.post_json(
            f"{self.API}/hanne/consultation/bookings", self.body(email="other@example.com", name="Other")
        )
        self.assertEqual(status, 409)
        self.assertEqual(data["error"]["code"], "slot_unavailable")
        self.assertEqual(self.counts(), before)
        # A time that is no slot at all (Sunday) is just as unavailable.
        status, data = self.post_json(
            f"{self.API}/hanne/consultation/bookings", self.body(start="2030-01-06T09:00:00+01:00")
        )
        self.assertEqual(status, 409)

    def test_book_idempotency(self):
        url = f"{self.API}/hanne/consultation/bookings"
        status1, first = self.post_json(url, self.body(idempotency_key="k-1"))
        status2, second = self.post_json(url, self.body(idempotency_key="k-1"))
        self.assertEqual((status1, status2), (201, 201))
        self.assertEqual(first["booking"]["token"], second["booking"]["token"])
        self.assertEqual(self.env["bookme.booking"].search_count([]), 1)

    def test_booking_attempts_are_throttled(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("crm_bookme.booking_rate_limit", "2")
        url = f"{self.API}/hanne/consultation/bookings"
        status, _data = self.post_json(url, self.body())
        self.assertEqual(status, 201)
        status, _data = self.post_json(url, self.body(email="bad"))  # refused, but counted
        self.assertEqual(status, 400)
        before = self.counts()
        status, data = self.post_json(
            url, self.body(start="2030-01-07T11:00:00+01:00", email="third@example.com")
        )
        self.assertEqual(status, 429)
        self.assertEqual(data["error"]["code"], "throttled")
        self.assertEqual(self.counts(), before, "nothing booked past the limit")
        hits = self.env["bookme.throttle"].search([("key", "=like", "book:%")])
        self.assertEqual(sum(hits.mapped("hits")), 3)
        # Reading slots is never throttled.
        status, _data = self.get_json(f"{self.API}/hanne/consultation/slots")
        self.assertEqual(status, 200)

    def test_unexpected_error_is_json_not_a_traceback(self):
        with patch.object(type(self.env["bookme.scheduler"]), "_slots", side_effect=RuntimeError("boom")):
            status, data = self.get_json(f"{self.API}/hanne/consultation/slots")
        self.assertEqual(status, 500)
        self.assertEqual(data["error"]["code"], "server_error")
        self.assertNotIn("boom", data["error"]["message"])

    # --- cancel and reschedule --------------------------------------------------------------

    def _booked_token(self, **kw):
        _status, data = self.post_json(f"{self.API}/hanne/consultation/bookings", self.body(**kw))
        return data["booking"]["token"]

    def test_cancel(self):
        token = self._booked_token()
        status, data = self.post_json(f"{self.API}/bookings/{token}/cancel", {"reason": "Sick"})
        self.assertEqual(status, 200, data)
        self.assertEqual(data["booking"]["state"], "cancelled")
        booking = self.env["bookme.booking"].search([("access_token", "=", token)])
        self.assertEqual(booking.cancel_reason, "Sick")
        status, data = self.post_json(f"{self.API}/bookings/{token}/cancel", {})
        self.assertEqual(status, 409, "already cancelled")

    def test_cancel_unknown_and_deadline(self):
        status, data = self.post_json(f"{self.API}/bookings/nope/cancel", {})
        self.assertEqual(status, 404)
        self.etype.cancel_deadline = 7 * 24 * 60
        token = self._booked_token()
        status, data = self.post_json(f"{self.API}/bookings/{token}/cancel", {})
        self.assertEqual(status, 409)
        self.assertEqual(data["error"]["code"], "deadline_passed")
        booking = self.env["bookme.booking"].search([("access_token", "=", token)])
        self.assertEqual(booking.state, "confirmed")

    def test_reschedule(self):
        token = self._booked_token()
        status, data = self.post_json(
            f"{self.API}/bookings/{token}/reschedule", {"start": "2030-01-07T11:00:00+01:00"}
        )
        self.assertEqual(status, 200, data)
        self.assertEqual(data["booking"]["start"], "2030-01-07T11:00:00+01:00")
        self._booked_token(email="z@example.com", name="Zed")  # takes 09:00 again
        status, data = self.post_json(
            f"{self.API}/bookings/{token}/reschedule", {"start": "2030-01-07T09:00:00+01:00"}
        )
        self.assertEqual(status, 409)
        self.assertEqual(data["error"]["code"], "slot_unavailable")
        status, data = self.post_json(f"{self.API}/bookings/{token}/reschedule", {"start": "x"})
        self.assertEqual(status, 400)
        status, data = self.post_json(
            f"{self.API}/bookings/unknown/reschedule", {"start": "2030-01-07T11:00:00+01:00"}
        )
        self.assertEqual(status, 404)

    def test_get_never_changes_data(self):
        token = self._booked_token()
        res = self.url_open(f"/book/booking/{token}/cancel")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Yes, cancel the appointment", res.text)
        booking = self.env["bookme.booking"].search([("access_token", "=", token)])
        self.assertEqual(booking.state, "confirmed")
        res = self.url_open(f"{self.API}/bookings/{token}/cancel")  # GET on a POST route
        self.assertNotEqual(res.status_code, 200)
        self.assertEqual(booking.state, "confirmed")

    def test_html_cancel_needs_csrf(self):
        token = self._booked_token()
        res = self.url_open(f"/book/booking/{token}/cancel", data={"reason": "no token"})
        self.assertEqual(res.status_code, 400)
        booking = self.env["bookme.booking"].search([("access_token", "=", token)])
        self.assertEqual(booking.state, "confirmed")

    def test_ics_route(self):
        token = self._booked_token()
        res = self.url_open(f"/book/booking/{token}/ics")
        self.assertEqual(res.status_code, 200)
        self.assertTrue(res.headers["Content-Type"].startswith("text/calendar"))
        self.assertIn(b"BEGIN:VEVENT", res.content)
        self.assertEqual(self.url_open("/book/booking/unknown/ics").status_code, 404)

    def test_pages_render(self):
        res = self.url_open("/book/hanne")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_bookme_widget", res.text)
        self.assertIn("Consultation", res.text)
        res = self.url_open("/book/hanne/consultation?embed=1")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_bookme_widget", res.text)
        self.assertNotIn('id="top"', res.text, "embed pages have no website header")
        avatar = self.url_open("/book/hanne/avatar")
        self.assertEqual(avatar.status_code, 200)
        self.assertTrue(avatar.headers["Content-Type"].startswith("image/"))
        self.assertIn('src="/book/hanne/avatar"', self.url_open("/book/hanne").text)
        self.assertEqual(self.url_open("/book/nobody").status_code, 404)
        self.assertEqual(self.url_open("/book/hanne/nothing").status_code, 404)
        self.assertEqual(self.url_open("/book/booking/nothing").status_code, 404)
