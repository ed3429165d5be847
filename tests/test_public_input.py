import json
import re

from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.crm_bookme.controllers.validation import MAX_REASON

from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 Oslo
API = "/book/api/v1"


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestPublicInput(HttpCase, BookmeCase):
    """Bad input on every public route: a clear answer (the error object on the API, a
    message or 404 on the pages), never a 5xx, and nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Many refused requests from one address: the throttle has its own tests.
        cls.env["ir.config_parameter"].sudo().set_param("crm_bookme.booking_rate_limit", "0")

    def counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in ("bookme.booking", "res.partner", "crm.lead", "calendar.event", "mail.mail")
        )

    def post_json(self, path, body=None, raw=None, content_type="application/json"):
        headers = {"Content-Type": content_type} if content_type else {}
        res = self.url_open(path, data=raw if raw is not None else json.dumps(body), headers=headers)
        return res.status_code, res.json()

    def body(self, **kw):
        return {
            "start": "2030-01-07T09:00:00+01:00",
            "name": "Gina Guest",
            "email": "gina@example.com",
            "tz": "Europe/Oslo",
            **kw,
        }

    def assert_error(self, status, data, expected_status, code=None, field=None):
        self.assertEqual(status, expected_status, data)
        self.assertEqual(set(data["error"]), {"code", "message", "field"})
        self.assertTrue(data["error"]["message"])
        if code:
            self.assertEqual(data["error"]["code"], code, data)
        if field:
            self.assertEqual(data["error"]["field"], field, data)

    # --- Reproduced in issue 9, item 4 -------------------------------------------------------

    def test_nul_token_page_is_404(self):
        for path in (
            "/book/booking/%00",
            "/book/booking/%00/ics",
            "/book/booking/%00/cancel",
            "/book/booking/%00/reschedule",
            "/book/%00",
            "/book/hanne/%00",
            "/book/%00/avatar",
            "/book/hanne/consultation?invite=%00",
        ):
            res = self.url_open(path)
            self.assertIn(res.status_code, (200, 404), path)
            self.assertNotIn("Traceback", res.text, path)
        for path in (
            f"{API}/%00/consultation/slots",
            f"{API}/hanne/%00/slots",
            f"{API}/hanne/consultation/slots?tz=%00",
            f"{API}/hanne/consultation/slots?from=%00",
        ):
            res = self.url_open(path)
            self.assertIn(res.status_code, (400, 404), path)
            self.assertIn("error", res.json())

    def test_year_9999_window_is_400(self):
        for params in (
            {"from": "9999-12-31", "to": "9999-12-31"},
            {"from": "0001-01-01", "to": "0001-01-01"},
            {"from": "2200-01-01"},
        ):
            res = self.url_open(f"{API}/hanne/consultation/slots", params=params)
            self.assert_error(res.status_code, res.json(), 400, field="from")

    def test_far_start_and_typed_zone_are_400(self):
        url = f"{API}/hanne/consultation/bookings"
        before = self.counts()
        for body, field in [
            (self.body(start="0001-01-01T00:00:00+05:00"), "start"),
            (self.body(start="9999-12-31T23:59:59-05:00"), "start"),
            (self.body(tz=5), "tz"),
            (self.body(tz=["Europe/Oslo"]), "tz"),
            (self.body(tz="Europe/Oslo\x00"), "tz"),
        ]:
            status, data = self.post_json(url, body)
            self.assert_error(status, data, 400, field=field)
        self.assertEqual(self.counts(), before)

    def test_zones_odoo_does_not_know_are_refused(self):
        """Python's zoneinfo lists a few names (the system's 'localtime', 'Factory', zones
        newer than pytz) that Odoo's time zone fields refuse: they are no valid zone."""
        url = f"{API}/hanne/consultation/bookings"
        before = self.counts()
        for tz in ("localtime", "Factory", "America/Coyhaique"):
            status, data = self.post_json(url, self.body(tz=tz, email=f"{tz[:3]}@example.com"))
            self.assert_error(status, data, 400, field="tz")
            res = self.url_open(f"{API}/hanne/consultation/slots", params={"tz": tz})
            self.assert_error(res.status_code, res.json(), 400, field="tz")
        self.assertEqual(self.counts(), before)

    def test_every_booking_field_with_the_wrong_json_type(self):
        url = f"{API}/hanne/consultation/bookings"
        before = self.counts()
        wrong = [5, 1.5, True, [], ["x"], {}, {"a": 1}]
        for field in (
            "start",
            "name",
            "email",
            "phone",
            "note",
            "location_id",
            "tz",
            "lang",
            "idempotency_key",
            "invite",
        ):
            for value in wrong:
                if field == "location_id" and value is True:
                    continue  # tested below: booleans are no ids
                status, data = self.post_json(url, self.body(**{field: value}))
                self.assert_error(status, data, 400, field=field)
        status, data = self.post_json(url, self.body(location_id=True))
        self.assert_error(status, data, 400, field="location_id")
        self.assertEqual(self.counts(), before)

    def test_control_characters_and_lone_surrogates_are_refused(self):
        url = f"{API}/hanne/consultation/bookings"
        before = self.counts()
        for field in ("name", "email", "phone", "note", "lang", "idempotency_key"):
            for bad in ("a\x00b", "a\x07b", "a\x1bb"):
                status, data = self.post_json(url, self.body(**{field: bad}))
                self.assert_error(status, data, 400, field=field)
        # A lone surrogate is valid JSON ("\ud800") but no text.
        raw = json.dumps(self.body()).replace('"Gina Guest"', '"Gina \\ud800"')
        status, data = self.post_json(url, raw=raw)
        self.assert_error(status, data, 400, field="name")
        # Line breaks and tabs stay allowed in the note.
        status, data = self.post_json(url, self.body(note="Line 1\nLine 2\tend"))
        self.assertEqual(status, 201, data)
        self.assertEqual(self.counts()[0], before[0] + 1)

    def test_invalid_utf8_body_is_400(self):
        status, data = self.post_json(f"{API}/hanne/consultation/bookings", raw=b'{"name": "\xff\xfe"}')
        self.assert_error(status, data, 400, code="invalid_json")

    def test_token_and_slug_character_sets(self):
        for token in ("x" * 129, "a b", "<script>", "' OR 1=1 --", "%E2%80%8B"):
            status, data = self.post_json(f"{API}/bookings/{token}/cancel", {})
            self.assert_error(status, data, 404, code="not_found")
        res = self.url_open(f"{API}/{'h' * 200}/consultation/slots")
        self.assert_error(res.status_code, res.json(), 404, code="not_found")

    def test_embed_id_out_of_range_is_404(self):
        for type_id in ("99999999999999999999", "2147483648", "0"):
            res = self.url_open(f"/book/embed/{type_id}", allow_redirects=False)
            self.assertEqual(res.status_code, 404, type_id)

    def test_cancel_and_reschedule_json_types(self):
        booking = self.book(self.etype, MONDAY_9)
        token = booking.access_token
        for body, field in [
            ({"reason": 5}, "reason"),
            ({"reason": "a\x00"}, "reason"),
            ({"start": 5}, "start"),
            ({"start": None}, "start"),
            ({"start": "0001-01-01T00:00:00+05:00"}, "start"),
        ]:
            path = "reschedule" if "start" in body else "cancel"
            status, data = self.post_json(f"{API}/bookings/{token}/{path}", body)
            self.assert_error(status, data, 400, field=field)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))

    def test_over_long_cancel_reason_is_refused_alike_by_page_and_api(self):
        """One limit (validation.MAX_REASON) and one refusal: the booking stays, the page
        says why (400), the API answers invalid_reason on the field; at the limit it passes."""
        longest = "x" * MAX_REASON
        booking = self.book(self.etype, MONDAY_9)
        token = self.form_token(self.url_open(f"/book/booking/{booking.access_token}/cancel").text)
        res = self.url_open(
            f"/book/booking/{booking.access_token}/cancel",
            data={"csrf_token": token, "reason": longest + "x"},
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("too long", res.text)
        status, data = self.post_json(
            f"{API}/bookings/{booking.access_token}/cancel", {"reason": longest + "x"}
        )
        self.assert_error(status, data, 400, code="invalid_reason", field="reason")
        self.assertEqual(booking.state, "confirmed")
        status, data = self.post_json(f"{API}/bookings/{booking.access_token}/cancel", {"reason": longest})
        self.assertEqual(status, 200, data)
        self.assertEqual(booking.cancel_reason, longest)

    def test_non_ascii_secret_code_is_a_wrong_code(self):
        """Found by the fuzz: a code in other digits ('٤٨٢١') or with accents crashed the
        constant-time compare (500); it is a wrong code like any other."""
        self.host.bookme_secret_code = "4821"
        before = self.counts()
        for code in ("٤٨٢١", "é", "4821\x00", "x" * 100):
            status, data = self.post_json(f"{API}/hanne/consultation/bookings", self.body(code=code))
            self.assert_error(status, data, 403, code="code_invalid")
            self.env["bookme.code.attempt"].sudo().search([]).unlink()
        res = self.url_open(f"{API}/hanne/consultation/slots", headers={"X-Bookme-Code": "4821 extra"})
        self.assert_error(res.status_code, res.json(), 403, code="code_invalid")
        self.assertEqual(self.counts(), before)

    # --- Content type (issue 9, item 10) -------------------------------------------------------

    def test_api_posts_need_json_content_type(self):
        booking = self.book(self.etype, utc(2030, 1, 7, 10, 0))
        before = self.counts()
        for content_type in (
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            None,
        ):
            for path, body in [
                (f"{API}/hanne/consultation/bookings", self.body()),
                (f"{API}/bookings/{booking.access_token}/cancel", {}),
                (f"{API}/bookings/{booking.access_token}/reschedule", {"start": "2030-01-07T13:00:00+01:00"}),
            ]:
                status, data = self.post_json(path, body, content_type=content_type)
                self.assert_error(status, data, 415, code="unsupported_media_type")
        self.assertEqual(self.counts(), before)
        self.assertEqual(booking.state, "confirmed")
        status, data = self.post_json(
            f"{API}/hanne/consultation/bookings", self.body(), content_type="application/json; charset=utf-8"
        )
        self.assertEqual(status, 201, data)

    # --- Idempotency (issue 9, item 3) ------------------------------------------------------

    def test_idempotency_key_of_another_guest_is_a_conflict(self):
        url = f"{API}/hanne/consultation/bookings"
        status, first = self.post_json(url, self.body(idempotency_key="shared-key"))
        self.assertEqual(status, 201, first)
        before = self.counts()
        for other in (
            self.body(idempotency_key="shared-key", email="mallory@example.com", name="Mallory"),
            self.body(idempotency_key="shared-key", start="2030-01-07T10:00:00+01:00"),
        ):
            status, data = self.post_json(url, other)
            self.assert_error(status, data, 409, code="idempotency_conflict", field="idempotency_key")
            self.assertNotIn(first["booking"]["token"], json.dumps(data))
        self.assertEqual(self.counts(), before)
        # The same guest retrying (email differently cased, same instant in another
        # offset) still gets their booking back.
        status, again = self.post_json(
            url,
            self.body(
                idempotency_key="shared-key", email="Gina@Example.com", start="2030-01-07T08:00:00+00:00"
            ),
        )
        self.assertEqual(status, 201, again)
        self.assertEqual(again["booking"]["token"], first["booking"]["token"])
        self.assertEqual(self.counts(), before)

    # --- Guest forms without a session (issue 9, item 11) ------------------------------------

    def form_token(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
            r'data-csrf-token="([^"]+)"', html
        )
        self.assertTrue(match, "the page carries a form token")
        return match.group(1)

    def test_cancel_form_works_without_a_session(self):
        """In a cross-site iframe the browser sends no session cookie (SameSite=Lax): the
        booking's own form token authorises the cancel."""
        booking = self.book(self.etype, MONDAY_9)
        page = self.url_open(f"/book/booking/{booking.access_token}/cancel?embed=1")
        token = self.form_token(page.text)
        self.opener.cookies.pop("session_id", None)
        res = self.url_open(
            f"/book/booking/{booking.access_token}/cancel",
            data={"csrf_token": token, "embed": "1", "reason": "Ill"},
        )
        self.assertEqual(res.status_code, 200, res.text[:500])
        self.assertIn("o_bookme_cancelled", res.text)
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.cancel_reason, "Ill")

    def test_reschedule_form_works_without_a_session(self):
        booking = self.book(self.etype, MONDAY_9)
        page = self.url_open(f"/book/booking/{booking.access_token}/reschedule?embed=1")
        token = self.form_token(page.text)
        self.opener.cookies.pop("session_id", None)
        res = self.url_open(
            f"/book/booking/{booking.access_token}/reschedule",
            data={
                "csrf_token": token,
                "embed": "1",
                "start": "2030-01-07T11:00:00+01:00",
            },
            allow_redirects=False,
        )
        self.assertIn(res.status_code, (302, 303), res.text[:500])
        self.assertEqual(booking.start, naive(utc(2030, 1, 7, 10, 0)))

    def test_form_token_of_another_booking_is_refused(self):
        mine = self.book(self.etype, MONDAY_9)
        other = self.book(self.etype, utc(2030, 1, 7, 9, 0), email="o@example.com")
        page = self.url_open(f"/book/booking/{other.access_token}/cancel")
        foreign = self.form_token(page.text)
        self.opener.cookies.pop("session_id", None)
        before = self.counts()
        for token in (foreign, "", "x" * 64, "\x00"):
            res = self.url_open(f"/book/booking/{mine.access_token}/cancel", data={"csrf_token": token})
            self.assertEqual(res.status_code, 400, token)
            res = self.url_open(
                f"/book/booking/{mine.access_token}/reschedule",
                data={"csrf_token": token, "start": "2030-01-07T11:00:00+01:00"},
            )
            self.assertEqual(res.status_code, 400, token)
        self.assertEqual(mine.state, "confirmed")
        self.assertEqual(mine.start, naive(MONDAY_9))
        self.assertEqual(self.counts(), before)

    def test_form_post_with_bad_input_is_a_message(self):
        booking = self.book(self.etype, MONDAY_9)
        page = self.url_open(f"/book/booking/{booking.access_token}/cancel")
        token = self.form_token(page.text)
        for start in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00+00:00", "x\x00"):
            res = self.url_open(
                f"/book/booking/{booking.access_token}/reschedule", data={"csrf_token": token, "start": start}
            )
            self.assertEqual(res.status_code, 400, start)
            self.assertIn("o_bookme_message", res.text)
        res = self.url_open(
            f"/book/booking/{booking.access_token}/cancel", data={"csrf_token": token, "reason": "a\x00b"}
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("o_bookme_message", res.text)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))
