"""A booking page a visitor can trust: typos in the email refused before anything is
made, one accurate sentence about the confirmation email, cancelled and declined bookings
in their own page state, the host's name once and a real status badge. Every request here
is a visitor's (no login) unless a test says otherwise."""

import json
import re

from lxml import html

from odoo.tests import HttpCase, freeze_time, tagged

from .common import BookmeCase, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 Oslo
API = "/book/api/v1"


def css(doc, selector):
    """The elements of ``doc`` matching a simple CSS ``selector`` (no cssselect here):
    comma-separated alternatives of space-separated steps ``tag.class[attr=value]``."""
    found = []
    for alternative in selector.split(","):
        path = "."
        for step in alternative.split():
            match = re.fullmatch(r"([a-z0-9]*)((?:\.[\w-]+)*)(?:\[([\w-]+)(\$?=)'?([^'\]]*)'?\])?", step)
            tag, classes, attr, op, value = match.groups()
            conditions = [
                f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
                for name in classes.split(".")
                if name
            ]
            if attr and op == "=":
                conditions.append(f"@{attr}='{value}'")
            elif attr:
                conditions.append(f"substring(@{attr}, string-length(@{attr}) - {len(value) - 1})='{value}'")
            path += f"//{tag or '*'}" + "".join(f"[{c}]" for c in conditions)
        found += [el for el in doc.xpath(path) if el not in found]
    return found


class TrustCase(HttpCase, BookmeCase):
    def post_json(self, path, body):
        res = self.url_open(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        return res.status_code, res.json()

    def book_body(self, **kw):
        return {
            "start": MONDAY_9.isoformat(),
            "name": "Gina Guest",
            "email": "gina@example.com",
            "tz": "Europe/Oslo",
            **kw,
        }

    def counts(self):
        return (
            self.env["bookme.booking"].search_count([]),
            self.env["calendar.event"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["mail.mail"].search_count([]),
        )

    def page(self, path):
        res = self.url_open(path)
        self.assertEqual(res.status_code, 200, res.text[:300])
        return res.text, html.fromstring(res.text)

    @staticmethod
    def main(doc):
        """The page's own content (not the website's header and footer)."""
        return doc.get_element_by_id("wrap")

    @staticmethod
    def text_of(doc):
        return " ".join(doc.text_content().split())


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestGuestEmailValidation(TrustCase):
    def test_api_refuses_typos_with_400_on_email(self):
        """Acceptance: the API refuses jane@@example, x@y and name@gmail with 400 on
        `email`; nothing is created."""
        before = self.counts()
        for typo in (
            "jane@@example",
            "x@y",
            "name@gmail",
            "jane doe@example.com",
            ".jane@example.com",
            "jane..doe@example.com",
            "@example.com",
            "jane@example.com.",
        ):
            status, data = self.post_json(f"{API}/hanne/consultation/bookings", self.book_body(email=typo))
            self.assertEqual(status, 400, (typo, data))
            self.assertEqual(data["error"]["field"], "email", typo)
            self.assertEqual(data["error"]["code"], "invalid_email", typo)
            self.assertIn("is not a valid email address", data["error"]["message"])
            self.assertEqual(self.counts(), before, f"nothing is created for {typo!r}")

    def test_missing_email_is_its_own_message(self):
        status, data = self.post_json(f"{API}/hanne/consultation/bookings", self.book_body(email="  "))
        self.assertEqual(status, 400)
        self.assertEqual(data["error"]["field"], "email")
        self.assertEqual(data["error"]["code"], "missing_email")

    def test_real_addresses_book(self):
        for hour, email in enumerate(["first.last+tag@sub.example.co.uk", "ola@bøker.no"]):
            start = MONDAY_9.replace(hour=8 + hour)
            status, data = self.post_json(
                f"{API}/hanne/consultation/bookings", self.book_body(email=email, start=start.isoformat())
            )
            self.assertEqual(status, 201, (email, data))
            booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
            self.assertEqual(booking.guest_email, email)

    def test_book_for_a_customer_refuses_the_same_typos(self):
        """The back office books through the same definition (as the host, a Book Me user)."""
        from odoo.exceptions import UserError

        wizard = (
            self.env["bookme.book.customer"]
            .with_user(self.host)
            .create({"event_type_id": self.etype.id, "name": "Carla", "email": "carla@@example"})
        )
        wizard.start = MONDAY_9.replace(tzinfo=None)
        with self.assertRaisesRegex(UserError, "not a valid email address"):
            wizard.action_book()
        self.assertFalse(self.env["bookme.booking"].search([("guest_name", "=", "Carla")]))


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestGuestPageStates(TrustCase):
    def book(self, etype=None, **kw):
        etype = etype or self.etype
        status, data = self.post_json(f"{API}/hanne/{etype.slug}/bookings", self.book_body(**kw))
        self.assertEqual(status, 201, data)
        return self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])]), data

    def test_one_message_when_the_email_is_queued(self):
        """tools/run has no mail server: the page says the email is queued and will
        follow, and nothing claims it was sent."""
        booking, data = self.book()
        self.assertEqual(booking._bookme_guest_mail_state(), "queued")
        text, doc = self.page(f"/book/booking/{booking.access_token}?new=1")
        self.assertTrue(css(doc, ".o_bookme_success .o_bookme_mail_queued"))
        self.assertIn("queued and will follow", self.text_of(doc))
        self.assertNotIn("A confirmation was sent", text)
        self.assertFalse(css(doc, ".o_bookme_mail_sent, .o_bookme_mail_failed, .alert-warning"))
        self.assertEqual(len(css(self.main(doc), ".alert")), 1, "one message about the booking and its email")

    def assert_closed_page(self, doc, heading, button):
        text = self.text_of(doc)
        self.assertIn(heading, text)
        (link,) = css(doc, "a.o_bookme_book_again")
        self.assertEqual(link.get("href"), "/book/hanne/consultation")
        self.assertEqual(" ".join(link.text_content().split()), button)
        self.assertFalse(css(doc, "a[href$='/ics'], .o_bookme_add_to_calendar"), "no add-to-calendar")
        self.assertNotIn("Add to calendar", text)
        self.assertNotIn("booking is saved", text)
        self.assertNotIn("can no longer be changed online", text)
        self.assertFalse(css(self.main(doc), ".o_bookme_cancel_link, .o_bookme_reschedule_link, form"))

    def test_cancelled_booking_has_its_own_state_on_every_link(self):
        booking, _data = self.book()
        token = booking.access_token
        page = self.url_open(f"/book/booking/{token}/cancel")
        form_token = css(html.fromstring(page.text), "input[name=csrf_token]")[0].get("value")
        res = self.url_open(f"/book/booking/{token}/cancel", data={"csrf_token": form_token})
        self.assertEqual(res.status_code, 200)
        self.assertEqual(booking.state, "cancelled")
        done = html.fromstring(res.text)
        self.assertIn("Your appointment is cancelled", self.text_of(done))
        self.assertEqual(css(done, "a.o_bookme_book_again")[0].get("href"), "/book/hanne/consultation")
        for path in (
            f"/book/booking/{token}",
            f"/book/booking/{token}?new=1",
            f"/book/booking/{token}/cancel",
            f"/book/booking/{token}/reschedule",
        ):
            _text, doc = self.page(path)
            self.assert_closed_page(doc, "This appointment was cancelled", "Book another time")
        # posting the cancel form again shows the same state and changes nothing
        res = self.url_open(f"/book/booking/{token}/cancel", data={"csrf_token": form_token})
        self.assert_closed_page(
            html.fromstring(res.text), "This appointment was cancelled", "Book another time"
        )

    def test_declined_request_has_its_own_wording(self):
        self.etype.requires_approval = True
        booking, _data = self.book()
        _text, doc = self.page(f"/book/booking/{booking.access_token}?new=1")
        self.assertIn("Your request was received", self.text_of(doc))
        self.assertIn("Requested · awaiting approval", self.text_of(css(doc, ".o_bookme_state")[0]))
        self.assertFalse(css(doc, "a[href$='/ics']"), "no calendar file for a request")
        _text, doc = self.page(f"/book/booking/{booking.access_token}")
        self.assertIn("Your request is pending: it is not confirmed yet", self.text_of(doc))
        booking.with_user(self.host).action_bookme_decline(message="Fully booked, sorry.")
        for path in (
            f"/book/booking/{booking.access_token}",
            f"/book/booking/{booking.access_token}/cancel",
            f"/book/booking/{booking.access_token}/reschedule",
        ):
            _text, doc = self.page(path)
            self.assert_closed_page(doc, "Your request was declined", "Request another time")
            self.assertIn("Fully booked, sorry.", self.text_of(doc))
            self.assertNotIn("This appointment was cancelled", self.text_of(doc))

    def test_book_again_falls_back_to_the_host_page(self):
        booking, _data = self.book()
        booking._bookme_cancel()
        self.etype.is_published = False
        _text, doc = self.page(f"/book/booking/{booking.access_token}")
        self.assertEqual(css(doc, "a.o_bookme_book_again")[0].get("href"), "/book/hanne")

    def test_confirmed_page_offers_the_calendar_file_and_a_solid_badge(self):
        booking, _data = self.book()
        _text, doc = self.page(f"/book/booking/{booking.access_token}")
        self.assertTrue(
            css(doc, f"a.o_bookme_add_to_calendar[href='/book/booking/{booking.access_token}/ics']")
        )
        (badge,) = css(doc, ".o_bookme_state")
        classes = badge.get("class").split()
        self.assertIn("badge", classes)
        self.assertIn("bg-success", classes)
        self.assertFalse(
            [c for c in classes if c.startswith("text-bg-")], "text-bg-* reads as highlighted text"
        )
        self.assertEqual(self.text_of(badge), "Confirmed")

    def test_host_name_once_on_the_host_page(self):
        _text, doc = self.page("/book/hanne")
        main = self.main(doc)
        self.assertEqual(self.text_of(main).count("Hanne Host"), 1, self.text_of(main)[:300])
        _text, doc = self.page("/book/hanne/consultation")
        self.assertIn("Hanne Host", self.text_of(css(doc, ".o_bookme_host_name")[0]))

    def test_page_email_and_notice_read_one_time_format(self):
        """The page's When, the guest's email and the host's inbox notice show the time
        range from one helper (_bookme_display_for)."""
        booking, _data = self.book()
        display = booking._bookme_display_for(booking.lang, booking.guest_tz)
        self.assertIn("January", display)
        self.assertIn(" – ", display)  # one range, in the guest's language's clock
        _text, doc = self.page(f"/book/booking/{booking.access_token}")
        self.assertEqual(self.text_of(css(doc, ".o_bookme_when")[0]), display)
        guest_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
            ]
        )
        self.assertIn(display, " ".join(html.fromstring(guest_mail[0].body_html).text_content().split()))
        host_display = booking._bookme_display_for(self.host.lang, self.host.tz)
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "calendar.event"),
                ("res_id", "=", booking.calendar_event_id.id),
                ("subject", "like", "New booking"),
            ]
        )
        self.assertIn(host_display, notice.body)
