import json
import re
import threading
from datetime import datetime, time, timedelta, timezone

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged, users

from .common import BookmeCase, CommittedCase, naive

CODE = "4821"
API = "/book/api/v1"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
START = "2030-01-07T09:00:00+01:00"  # Monday 09:00 in Oslo, a free slot of 'consultation'


class SecretCodeCase(BookmeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.host.company_id
        cls.company.bookme_secret_code = CODE
        # Another host of the same company, and one of another company (never locked by ours).
        cls.other_host = new_test_user(
            cls.env,
            login="bookme_other_host",
            name="Otto Other",
            email="otto@example.com",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )
        cls.other_host.write({"bookme_enabled": True, "bookme_slug": "otto"})
        cls.other_host.resource_calendar_id = cls.calendar


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestSecretCodePages(HttpCase, SecretCodeCase):
    """The lock view in front of a locked host's pages, the unlock form and its cookie,
    and the same rule on the JSON API."""

    def lock_page(self, path="/book/hanne"):
        res = self.url_open(path)
        self.assertEqual(res.status_code, 200, path)
        return res

    def unlock(self, code, path="/book/hanne", embed=False):
        page = self.lock_page(path + ("?embed=1" if embed else ""))
        token = CSRF_RE.search(page.text).group(1)
        data = {"csrf_token": token, "code": code, "next": path}
        if embed:
            data["embed"] = "1"
        return self.url_open("/book/hanne/unlock", data=data, allow_redirects=False)

    def slots(self, headers=None, host="hanne", etype="consultation", **params):
        res = self.url_open(
            f"{API}/{host}/{etype}/slots",
            params={"from": "2030-01-07", "to": "2030-01-07", **params},
            headers=headers,
        )
        return res.status_code, res.json(), res

    def book(self, headers=None, host="hanne", etype="consultation", **body):
        payload = {
            "start": START,
            "name": "Gina Guest",
            "email": "gina@example.com",
            "tz": "Europe/Oslo",
            **body,
        }
        res = self.url_open(
            f"{API}/{host}/{etype}/bookings",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        return res.status_code, res.json(), res

    def assert_locked(self, res):
        html = res.text
        self.assertIn("o_bookme_lock", html)
        self.assertIn("fa-lock", html)
        self.assertNotIn("o_bookme_widget", html, "no booking widget (no slots API) behind the lock")
        self.assertNotIn("o_bookme_types", html, "no list of event types behind the lock")
        self.assertNotIn("Consultation", html)
        self.assertNotIn("Workshop", html)
        self.assertNotIn("/book/api/v1", html)
        self.assertNotIn(CODE, html, "the code never appears in the page")

    # --- pages ---------------------------------------------------------------------------

    def test_locked_pages_show_the_lock_view(self):
        for path in (
            "/book/hanne",
            "/book/hanne/consultation",
            "/book/hanne/free",
            "/book/hanne/consultation?embed=1",
            "/book/hanne?embed=1",
            f"/book/embed/{self.etype.id}",
            "/book/hanne/unlock",  # the form's address, with GET
            "/book/hanne/no-such-type",
        ):  # tells nothing of which types exist
            self.assert_locked(self.lock_page(path))
        embed = self.lock_page("/book/hanne/consultation?embed=1")
        self.assertIn("o_bookme_embed", embed.text)
        self.assertIn('name="embed" value="1"', embed.text)
        # Nobody else's pages are locked by this: another company's host.
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.other_host.write({"company_ids": [(4, other_company.id)], "company_id": other_company.id})
        self.assertIn("o_bookme_widget", self.url_open("/book/otto").text)

    def test_wrong_code_shows_an_error_and_nothing_else(self):
        res = self.unlock("1111")
        self.assertEqual(res.status_code, 403)
        self.assertIn("o_bookme_code_error", res.text)
        self.assertIn("This code is not right", res.text)
        self.assert_locked(res)
        self.assertNotIn("1111", res.text, "the typed code is not echoed back")
        self.assertNotIn("bookme_unlock_", res.headers.get("Set-Cookie", ""))
        self.assert_locked(self.lock_page("/book/hanne"))

    def test_right_code_shows_the_slots_and_booking_works(self):
        res = self.unlock(CODE, path="/book/hanne/consultation")
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith("/book/hanne/consultation"))
        cookie = res.headers["Set-Cookie"]
        self.assertIn(f"bookme_unlock_{self.host.id}=", cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        self.assertIn("Path=/book", cookie)
        self.assertNotIn(CODE, cookie)
        page = self.url_open("/book/hanne/consultation")
        self.assertIn("o_bookme_widget", page.text)
        self.assertNotIn("o_bookme_lock", page.text)
        self.assertIn("Workshop", self.url_open("/book/hanne").text, "all of the host's pages")
        # The page's own API calls carry the cookie.
        status, data, _res = self.slots()
        self.assertEqual(status, 200)
        self.assertEqual(data["days"][0]["slots"][0]["start"], START)
        status, data, _res = self.book()
        self.assertEqual(status, 201, data)
        booking = self.env["bookme.booking"].search([("guest_email", "=", "gina@example.com")])
        self.assertEqual(booking.state, "confirmed")

    def test_unlock_form_needs_csrf(self):
        self.lock_page()
        res = self.url_open(
            "/book/hanne/unlock", data={"code": CODE, "next": "/book/hanne"}, allow_redirects=False
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("This form has expired", res.text)
        self.assertNotIn("bookme_unlock_", res.headers.get("Set-Cookie", ""))
        res = self.url_open(
            "/book/hanne/unlock",
            data={"code": CODE, "next": "/book/hanne"},
            headers={"Sec-Fetch-Site": "cross-site"},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 400, "another site's form is refused")
        self.assertFalse(self.env["bookme.code.attempt"].search_count([]), "not an attempt")
        # Inside a cross-site iframe the session cookie is not sent, so there is no valid
        # CSRF token; the browser still says that our own page posted the form.
        self.opener.cookies.clear()
        res = self.url_open(
            "/book/hanne/unlock",
            data={"code": CODE, "next": "/book/hanne", "embed": "1"},
            headers={"Sec-Fetch-Site": "same-origin"},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)
        self.assertIn(f"bookme_unlock_{self.host.id}=", res.headers["Set-Cookie"])

    def test_unlock_never_redirects_elsewhere(self):
        for target in (
            "https://evil.example.com/book/hanne",
            "//evil.example.com",
            "/web/login",
            "/book/otto",
            "/book/hanne/consultation/../../otto",
        ):
            self.opener.cookies.clear()
            page = self.lock_page()
            token = CSRF_RE.search(page.text).group(1)
            res = self.url_open(
                "/book/hanne/unlock",
                allow_redirects=False,
                data={"csrf_token": token, "code": CODE, "next": target},
            )
            self.assertEqual(res.status_code, 303)
            location = res.headers["Location"]
            self.assertTrue(location.endswith("/book/hanne"), (target, location))
            self.assertNotIn("evil", location)

    def test_embed_unlock_keeps_the_embed(self):
        res = self.unlock(CODE, path="/book/hanne/consultation", embed=True)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith("/book/hanne/consultation?embed=1"))
        page = self.url_open("/book/hanne/consultation?embed=1")
        self.assertIn("o_bookme_widget", page.text)

    def test_changing_or_removing_the_code_takes_effect_at_once(self):
        self.assertEqual(self.unlock(CODE).status_code, 303)
        self.assertIn("o_bookme_widget", self.url_open("/book/hanne").text)
        self.company.bookme_secret_code = "7777"
        self.assert_locked(self.lock_page())
        self.assertEqual(self.slots()[0], 403, "the old cookie no longer opens the API")
        self.assertEqual(self.unlock(CODE).status_code, 403, "the old code is wrong now")
        self.assertEqual(self.unlock("7777").status_code, 303)
        self.assertIn("o_bookme_widget", self.url_open("/book/hanne").text)
        self.company.bookme_secret_code = False
        self.opener.cookies.clear()
        self.assertIn("o_bookme_widget", self.url_open("/book/hanne").text, "no code, no lock")
        self.assertEqual(self.slots()[0], 200)

    def test_personal_code_locks_only_that_host(self):
        self.company.bookme_secret_code = False
        self.host.bookme_secret_code = "123456"
        self.assert_locked(self.lock_page())
        self.assertIn("o_bookme_widget", self.url_open("/book/otto").text)
        self.assertEqual(self.slots(host="otto", etype="free")[0], 200)
        self.assertEqual(self.slots()[0], 403)
        # With a company code too, the host with a personal code asks for theirs.
        self.company.bookme_secret_code = CODE
        self.assertEqual(self.slots(headers={"X-Bookme-Code": CODE})[1]["error"]["code"], "code_invalid")
        self.assertEqual(self.slots(headers={"X-Bookme-Code": "123456"})[0], 200)
        self.assertEqual(self.slots(host="otto", etype="free", headers={"X-Bookme-Code": CODE})[0], 200)
        # An unlock for Hanne opens Hanne's pages only.
        self.assertEqual(self.unlock("123456").status_code, 303)
        self.assertIn("o_bookme_widget", self.url_open("/book/hanne").text)
        self.assert_locked(self.lock_page("/book/otto"))

    def test_guest_token_pages_are_never_locked(self):
        booking = self.env["bookme.booking"]._bookme_create(
            self.etype, datetime(2030, 1, 7, 8, 0), "Gina Guest", "gina@example.com"
        )
        token = booking.access_token
        for path in (
            f"/book/booking/{token}",
            f"/book/booking/{token}/cancel",
            f"/book/booking/{token}/reschedule",
            f"/book/booking/{token}/ics",
        ):
            res = self.url_open(path)
            self.assertEqual(res.status_code, 200, path)
            self.assertNotIn("o_bookme_lock", res.text, path)
        # The reschedule page's widget reads the host's times with the booking's token.
        self.assertIn(f'data-booking="{token}"', self.url_open(f"/book/booking/{token}/reschedule").text)
        self.assertEqual(self.slots(booking=token)[0], 200)
        self.assertEqual(
            self.slots(booking=token, host="otto", etype="free")[0],
            403,
            "another host's booking token opens nothing",
        )
        self.assertEqual(self.slots(booking="x" * 40)[0], 403)

    def test_invite_counts_as_the_code(self):
        partner = self.env["res.partner"].create({"name": "Ivy Invited", "email": "ivy@example.com"})
        token = self.env["bookme.invite"]._bookme_token(self.host, partner)
        page = self.url_open(f"/book/hanne/consultation?invite={token}")
        self.assertIn("o_bookme_widget", page.text)
        self.assertEqual(self.slots(invite=token)[0], 200)
        status, data, _res = self.book(invite=token, email="ivy@example.com", name="Ivy Invited")
        self.assertEqual(status, 201, data)
        other = self.env["bookme.invite"]._bookme_token(self.other_host, partner)
        self.assert_locked(self.lock_page(f"/book/hanne/consultation?invite={other}"))
        self.assertEqual(self.slots(invite=other)[1]["error"]["code"], "code_required")

    # --- API -----------------------------------------------------------------------------

    def test_api_needs_the_code_for_slots_and_bookings(self):
        counts = (self.env["bookme.booking"].search_count([]), self.env["res.partner"].search_count([]))
        status, data, _res = self.slots()
        self.assertEqual((status, data["error"]["code"]), (403, "code_required"))
        self.assertNotIn("days", data)
        status, data, _res = self.book()
        self.assertEqual((status, data["error"]["code"]), (403, "code_required"))
        status, data, _res = self.slots(headers={"X-Bookme-Code": "0000"})
        self.assertEqual((status, data["error"]["code"]), (403, "code_invalid"))
        status, data, _res = self.book(headers={"X-Bookme-Code": "0000"})
        self.assertEqual((status, data["error"]["code"]), (403, "code_invalid"))
        status, data, _res = self.book(code="0000")
        self.assertEqual((status, data["error"]["code"]), (403, "code_invalid"))
        self.assertEqual(
            counts,
            (self.env["bookme.booking"].search_count([]), self.env["res.partner"].search_count([])),
            "nothing written",
        )
        self.assertNotIn(CODE, json.dumps(data))
        # The right code, in the header or the body.
        status, data, _res = self.slots(headers={"X-Bookme-Code": CODE})
        self.assertEqual(status, 200)
        self.assertTrue(data["days"][0]["slots"])
        status, data, _res = self.book(headers={"X-Bookme-Code": CODE})
        self.assertEqual(status, 201, data)
        status, data, _res = self.book(code=CODE, start="2030-01-07T10:00:00+01:00", email="gus@example.com")
        self.assertEqual(status, 201, data)
        # A code in the URL is not a code.
        self.assertEqual(self.slots(code=CODE)[1]["error"]["code"], "code_required")
        # The guest's own routes stay open.
        token = data["booking"]["token"]
        res = self.url_open(
            f"{API}/bookings/{token}/cancel", data="{}", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(res.status_code, 200)

    def test_unknown_host_is_still_404(self):
        status, data, _res = self.slots(host="nobody")
        self.assertEqual((status, data["error"]["code"]), (404, "not_found"))

    # --- brute force ---------------------------------------------------------------------

    def retry_after(self, res):
        value = int(res.headers["Retry-After"])
        return round(value / 60) * 60  # the clock ticks a little during the request

    def test_failures_lead_to_429_even_with_the_right_code(self):
        self.env["ir.config_parameter"].set_param("crm_bookme.code_attempt_limit", 5)
        self.env["ir.config_parameter"].set_param("crm_bookme.code_lockout", 300)
        partner = self.host.partner_id
        activity_domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", partner.id),
            ("user_id", "=", self.host.id),
        ]
        with freeze_time("2030-01-04 12:00:00", tick=True):
            for n in range(5):
                status, data, _res = self.slots(headers={"X-Bookme-Code": f"000{n}"})
                self.assertEqual((status, data["error"]["code"]), (403, "code_invalid"), n)
            status, data, res = self.slots(headers={"X-Bookme-Code": CODE})
            self.assertEqual((status, data["error"]["code"]), (429, "throttled"))
            self.assertEqual(self.retry_after(res), 300)
            self.assertEqual(self.book(headers={"X-Bookme-Code": CODE})[0], 429)
            res = self.unlock(CODE)
            self.assertEqual(res.status_code, 429, "the lock form waits too")
            self.assertIn("Too many wrong codes", res.text)
            self.assertNotIn("bookme_unlock_", res.headers.get("Set-Cookie", ""))
            # The host is told, once for the burst, and not of the code.
            activity = self.env["mail.activity"].search(activity_domain)
            self.assertEqual(len(activity), 1)
            self.assertNotIn(CODE, activity.note or "")
            self.assertIn("guessing", activity.summary)
        with freeze_time("2030-01-04 12:05:01", tick=True):
            self.assertEqual(self.slots(headers={"X-Bookme-Code": CODE})[0], 200, "the wait is over")
            # The next burst waits twice as long.
            for _n in range(5):
                self.assertEqual(self.slots(headers={"X-Bookme-Code": "9999"})[0], 403)
            status, _data, res = self.slots(headers={"X-Bookme-Code": CODE})
            self.assertEqual(status, 429)
            self.assertEqual(self.retry_after(res), 600)
        with freeze_time("2030-01-04 12:10:02", tick=True):
            self.assertEqual(self.slots(headers={"X-Bookme-Code": CODE})[0], 429, "still waiting")
        with freeze_time("2030-01-04 12:15:02", tick=True):
            self.assertEqual(self.unlock(CODE).status_code, 303)
            self.assertEqual(
                self.env["mail.activity"].search_count(activity_domain), 1, "one notice per burst"
            )

    def test_failures_within_the_window_only(self):
        with freeze_time("2030-01-04 12:00:00", tick=True):
            for _n in range(4):
                self.assertEqual(self.slots(headers={"X-Bookme-Code": "0000"})[0], 403)
        with freeze_time("2030-01-04 12:16:00", tick=True):
            for _n in range(4):
                self.assertEqual(self.slots(headers={"X-Bookme-Code": "0000"})[0], 403)
            self.assertEqual(
                self.slots(headers={"X-Bookme-Code": CODE})[0],
                200,
                "8 failures, but never 5 within 15 minutes",
            )

    def test_code_never_logged(self):
        with self.assertLogs("odoo.addons.crm_bookme", level="WARNING") as logs:
            for _n in range(5):
                self.slots(headers={"X-Bookme-Code": "0000"})
        self.assertTrue(logs.output)
        self.assertFalse([line for line in logs.output if CODE in line or "0000" in line])


@tagged("post_install", "-at_install")
class TestSecretCodeThrottleModel(SecretCodeCase):
    """The counters per host: many addresses together also have to wait."""

    def test_per_host_limit_across_addresses(self):
        Attempt = self.env["bookme.code.attempt"]
        self.env["ir.config_parameter"].set_param("crm_bookme.code_host_attempt_limit", 10)
        now = datetime(2030, 1, 4, 12, 0)
        for n in range(9):
            self.assertFalse(Attempt._fail(self.host, f"10.0.0.{n}", now=now))
        self.assertTrue(Attempt._fail(self.host, "10.0.0.99", now=now))
        self.assertTrue(
            Attempt._blocked_until(Attempt._keys(self.host, "192.168.1.1"), now=now),
            "a fresh address waits too: the host's pages are under attack",
        )
        self.assertFalse(
            Attempt._blocked_until(Attempt._keys(self.other_host, "192.168.1.1"), now=now),
            "other hosts are not affected",
        )

    def test_any_text_is_just_a_wrong_code(self):
        Code = self.env["bookme.code"]
        self.assertTrue(Code._bookme_matches(self.host, CODE))
        for text in ("٤٨٢١", "é", "4821\x00", "", None, 4821, "48 21"):
            self.assertFalse(Code._bookme_matches(self.host, text), repr(text))

    def test_burst_notice_to_host_and_administrators(self):
        """The company code is under attack: the host and the Book Me administrators get
        one to-do each, for the whole burst; nobody else, and never the code."""
        admin = new_test_user(
            self.env, login="bookme_burst_admin", groups="base.group_user,crm_bookme.group_bookme_manager"
        )
        Attempt = self.env["bookme.code.attempt"]
        now = datetime(2030, 1, 4, 12, 0)
        for minute in range(0, 60, 2):  # 30 failures, several waits: one burst
            Attempt._fail(self.host, "198.51.100.7", now=now + timedelta(minutes=minute))
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.host.partner_id.id)]
        )
        self.assertIn(self.host, activities.user_id)
        self.assertIn(admin, activities.user_id)
        self.assertNotIn(self.other_host, activities.user_id)
        self.assertEqual(len(activities), len(activities.user_id), "one to-do per person")
        self.assertFalse([a for a in activities if CODE in (a.note or "") + (a.summary or "")])
        # A personal code: the host only.
        activities.unlink()
        self.other_host.bookme_secret_code = "8642"
        for _n in range(5):
            Attempt._fail(self.other_host, "198.51.100.8", now=now)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.other_host.partner_id.id)]
        )
        self.assertEqual(activities.user_id, self.other_host)


@tagged("post_install", "-at_install")
class TestSecretCodeAccess(SecretCodeCase):
    """Only Book Me administrators, or the user for their own code, read codes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host.bookme_secret_code = "123456"
        cls.admin_user = new_test_user(
            cls.env, login="bookme_code_admin", groups="base.group_user,crm_bookme.group_bookme_manager"
        )

    @users("bookme_other_host")
    def test_book_me_user_cannot_read_others_codes(self):
        other = self.env.user
        self.assertTrue(other.has_group("crm_bookme.group_bookme_user"))
        host = self.env["res.users"].browse(self.host.id)
        with self.assertRaises(AccessError):
            host.read(["bookme_secret_code"])
        with self.assertRaises(AccessError):
            self.env["res.users"].search([("bookme_secret_code", "=", "123456")])
        with self.assertRaises(AccessError):
            self.env.company.read(["bookme_secret_code"])
        with self.assertRaises(AccessError):
            self.env["res.company"].search([("bookme_secret_code", "=", CODE)])
        # Their own code: read and write.
        other.write({"bookme_secret_code": "2468"})
        self.assertEqual(other.read(["bookme_secret_code"])[0]["bookme_secret_code"], "2468")

    @users("bookme_other_host")
    def test_own_code_in_preferences(self):
        with Form(self.env.user, view="base.view_users_form_simple_modif") as form:
            form.bookme_secret_code = "97531"
        self.assertEqual(self.env.user.bookme_secret_code, "97531")

    def test_code_on_the_user_form_for_administrators(self):
        with Form(self.host, view="base.view_users_form") as form:
            self.assertEqual(form.bookme_secret_code, "123456")
            form.bookme_secret_code = False
        self.assertFalse(self.host.bookme_secret_code)

    @users("bookme_code_admin")
    def test_book_me_administrator_reads_codes(self):
        host = self.env["res.users"].browse(self.host.id)
        self.assertEqual(host.bookme_secret_code, "123456")
        self.assertEqual(self.env.company.bookme_secret_code, CODE)

    def test_codes_are_validated(self):
        for bad in ("123", "1234567", "12a4", " 1234"):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.host.bookme_secret_code = bad
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.bookme_secret_code = bad

    def test_settings_switch_the_company_code(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.bookme_use_secret_code)
        self.assertEqual(settings.bookme_secret_code, CODE)
        with Form(self.env["res.config.settings"]) as form:
            form.bookme_secret_code = "55555"
        form.save().execute()
        self.assertEqual(self.company.bookme_secret_code, "55555")
        with Form(self.env["res.config.settings"]) as form:
            form.bookme_use_secret_code = False
        form.save().execute()
        self.assertFalse(self.company.bookme_secret_code)
        settings = self.env["res.config.settings"].create({"bookme_use_secret_code": True})
        with self.assertRaises(ValidationError):
            settings.execute()


@tagged("post_install", "-at_install")
class TestSecretCodeAccessRpc(HttpCase, SecretCodeCase):
    """The same through RPC, as the web client or an integrator would call it."""

    def test_rpc_cannot_read_others_codes(self):
        self.host.bookme_secret_code = "123456"
        self.authenticate("bookme_other_host", "bookme_other_host")
        for model, res_id in (("res.users", self.host.id), ("res.company", self.company.id)):
            with self.assertRaises(Exception) as caught, self.assertLogs("odoo.http", "WARNING"):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": model,
                        "method": "read",
                        "args": [[res_id], ["bookme_secret_code"]],
                        "kwargs": {},
                    },
                )
            self.assertIn("AccessError", str(caught.exception))
            self.assertNotIn("123456", str(caught.exception))
            self.assertNotIn(CODE, str(caught.exception))


@tagged("post_install", "-at_install")
class TestShareCode(SecretCodeCase):
    """Contacts -> Action -> Share booking code: one email per contact, with the code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": "Regular One", "email": "one@example.com"},
                {"name": "Regular Two", "email": "two@example.com"},
            ]
        )

    def share(self, user, partners):
        partners = partners.with_user(user)
        action = partners.action_bookme_share_code()
        composer = Form(self.env["mail.compose.message"].with_user(user).with_context(action["context"]))
        composer.save()._action_send_mail()
        return self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "in", partners.ids)])

    def test_share_personal_code_one_email_each(self):
        self.host.bookme_secret_code = "123456"
        mails = self.share(self.host, self.partners)
        self.assertEqual(len(mails), 2)
        self.assertEqual(sorted(mails.recipient_ids.mapped("email")), ["one@example.com", "two@example.com"])
        for mail in mails:
            self.assertEqual(len(mail.recipient_ids), 1)
            self.assertIn("123456", mail.body_html)
            self.assertNotIn(CODE, mail.body_html)
            self.assertIn("/book/hanne", mail.body_html)
            self.assertIn(mail.recipient_ids.name, mail.body_html)

    def test_share_company_code_by_administrator(self):
        admin = new_test_user(
            self.env,
            login="bookme_share_admin",
            email="boss@example.com",
            groups="base.group_user,crm_bookme.group_bookme_manager",
        )
        mails = self.share(admin, self.partners[0])
        self.assertEqual(len(mails), 1)
        self.assertIn(CODE, mails.body_html)

    def test_plain_user_cannot_share_the_company_code(self):
        with self.assertRaises(UserError):
            self.partners.with_user(self.other_host).action_bookme_share_code()
        self.company.bookme_secret_code = False
        with self.assertRaises(UserError):
            self.partners.with_user(self.other_host).action_bookme_share_code()
        portal = new_test_user(self.env, login="bookme_portal_share", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.partners.with_user(portal).action_bookme_share_code()

    def test_share_action_is_bound_to_contacts(self):
        action = self.env.ref("crm_bookme.action_bookme_share_code")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertIn("list", action.binding_view_types)
        self.assertIn("form", action.binding_view_types)


@tagged("post_install", "-at_install")
class TestCodeAttemptsAcrossWorkers(CommittedCase):
    """Two workers (two real, committed cursors) share the failure counts."""

    def setUp(self):
        super().setUp()
        suffix = self.new_suffix()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = env["res.users"].create(
                {
                    "name": "Code Host",
                    "login": f"bookme_code_{suffix}",
                    "tz": "UTC",
                    "group_ids": [(4, env.ref("crm_bookme.group_bookme_user").id)],
                }
            )
            self.host_id = host.id
        self.address = f"203.0.113.{int(suffix[:2], 16) % 250}"
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = env["res.users"].browse(self.host_id)
            Attempt = env["bookme.code.attempt"]
            Attempt.search([("key", "in", Attempt._keys(host, self.address))]).unlink()
            env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", host.partner_id.id),
                ]
            ).unlink()
            host.write({"active": False})

    def _fail_in_worker(self, times, results, now):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = env["res.users"].browse(self.host_id)
            for _n in range(times):
                results.append(env["bookme.code.attempt"]._fail(host, self.address, now=now))

    def test_two_cursors_share_the_counts(self):
        now = datetime(2030, 1, 4, 12, 0)
        results = []
        self._fail_in_worker(3, results, now)
        worker = threading.Thread(target=self._fail_in_worker, args=(2, results, now))
        worker.start()
        worker.join(30)
        self.assertFalse(worker.is_alive())
        self.assertEqual([bool(r) for r in results], [False, False, False, False, True])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            host = env["res.users"].browse(self.host_id)
            Attempt = env["bookme.code.attempt"]
            self.assertEqual(
                Attempt._blocked_until(Attempt._keys(host, self.address), now=now), now + timedelta(minutes=5)
            )


@tagged("post_install", "-at_install")
class TestSecretCodeTour(HttpCase, SecretCodeCase):
    """In headless Chromium: locked page -> wrong code -> right code -> book."""

    def test_secret_code_tour(self):
        today = datetime.now(timezone.utc).date()
        start = datetime.combine(today + timedelta(days=3), time(10, 0), timezone.utc)
        self.env["calendar.event"].create(
            {
                "name": "Free for appointment",
                "user_id": self.host.id,
                "bookme_free": True,
                "partner_ids": [(4, self.host.partner_id.id)],
                "start": naive(start),
                "stop": naive(start + timedelta(hours=1)),
            }
        )
        self.start_tour("/book/hanne", "crm_bookme_secret_code", login=None)
        booking = self.env["bookme.booking"].search([("guest_email", "=", "cora.code@example.com")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.start, naive(start))
        self.assertEqual(booking.state, "confirmed")
        attempts = self.env["bookme.code.attempt"].search([("key", "=", f"host:{self.host.id}")])
        self.assertEqual(attempts.failures, 1, "the wrong code was counted")
