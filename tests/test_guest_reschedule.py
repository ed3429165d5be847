import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo.tests import HttpCase, tagged

from .common import BookmeCase, naive


@tagged("post_install", "-at_install")
class TestGuestReschedule(HttpCase, BookmeCase):
    """The guest moves their own booking from /book/booking/<token> (POST with CSRF),
    within the cancellation deadline only."""

    def setUp(self):
        super().setUp()
        day = datetime.now(timezone.utc).date() + timedelta(days=7)
        while day.weekday() > 3:  # a Monday to Thursday, so the next day is a working day
            day += timedelta(days=1)
        self.start = datetime.combine(day, time(9, 0), timezone.utc)  # 10:00 or 11:00 in Oslo
        self.booking = self.book(self.etype, self.start)
        self.token = self.booking.access_token
        self.etype.write({"date_range_mode": "range", "date_from": day, "date_to": day + timedelta(days=1)})

    def csrf(self, html):
        match = re.search(r'csrf_token: "([^"]+)"', html) or re.search(r'data-csrf-token="([^"]+)"', html)
        self.assertTrue(match, "the page carries a CSRF token")
        return match.group(1)

    def mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "bookme.booking"), ("res_id", "=", self.booking.id)]
        )

    def test_reschedule_tour(self):
        before = self.mails()
        self.start_tour(f"/book/booking/{self.token}", "crm_bookme_guest_reschedule", login=None)
        next_day = self.start.date() + timedelta(days=1)
        self.assertEqual(self.booking.start.date(), next_day)
        first_time = datetime.combine(next_day, time(9, 0), ZoneInfo("Europe/Oslo"))
        self.assertEqual(self.booking.start, naive(first_time), "09:00 in Oslo, the first time")
        self.assertEqual(self.booking.calendar_event_id.start, self.booking.start)
        new = self.mails() - before
        self.assertEqual(len(new), 2, "guest and host are told")
        self.assertTrue(all("oved" in m.subject or "New time" in m.subject for m in new))

    def test_post_with_csrf_moves_the_booking(self):
        page = self.url_open(f"/book/booking/{self.token}/reschedule")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_bookme_widget", page.text)
        new_start = self.start + timedelta(hours=3)
        res = self.url_open(
            f"/book/booking/{self.token}/reschedule",
            data={
                "start": new_start.isoformat(),
                "csrf_token": self.csrf(page.text),
            },
            allow_redirects=False,
        )
        self.assertIn(res.status_code, (302, 303))
        self.assertTrue(res.headers["Location"].endswith(f"/book/booking/{self.token}?moved=1"))
        self.assertEqual(self.booking.start, naive(new_start))

    def test_post_without_csrf_changes_nothing(self):
        res = self.url_open(
            f"/book/booking/{self.token}/reschedule",
            data={"start": (self.start + timedelta(hours=3)).isoformat()},
        )
        self.assertEqual(res.status_code, 400)
        self.assertEqual(self.booking.start, naive(self.start))

    def test_past_deadline_is_refused_with_a_clear_message(self):
        self.etype.cancel_deadline = 30 * 24 * 60
        page = self.url_open(f"/book/booking/{self.token}")
        self.assertNotIn("o_bookme_reschedule_link", page.text)
        res = self.url_open(f"/book/booking/{self.token}/reschedule")
        self.assertIn("can no longer be changed online", res.text)
        res = self.url_open(
            f"/book/booking/{self.token}/reschedule",
            data={
                "start": (self.start + timedelta(hours=3)).isoformat(),
                "csrf_token": self.csrf(page.text),
            },
        )
        self.assertEqual(res.status_code, 409)
        self.assertIn("deadline has passed", res.text)
        self.assertEqual(self.booking.start, naive(self.start))

    def test_taken_or_bad_time_is_refused(self):
        taken = self.start + timedelta(hours=2)
        self.book(self.etype, taken, email="other@example.com")
        page = self.url_open(f"/book/booking/{self.token}")
        token = self.csrf(page.text)
        res = self.url_open(
            f"/book/booking/{self.token}/reschedule", data={"start": taken.isoformat(), "csrf_token": token}
        )
        self.assertEqual(res.status_code, 409)
        self.assertIn("not available", res.text)
        res = self.url_open(
            f"/book/booking/{self.token}/reschedule", data={"start": "tomorrow", "csrf_token": token}
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("ISO 8601", res.text)
        self.assertEqual(self.booking.start, naive(self.start))

    def test_guest_and_host_are_offered_the_same_times(self):
        """The guest's reschedule page (slots with ?booking=) and the host's Reschedule
        offer the same list: the booking being moved does not hide, with its own time or
        buffer, the times it may move to; for anyone else those stay taken."""
        self.etype.buffer_after = 30
        oslo = ZoneInfo("Europe/Oslo")
        day = self.start.astimezone(oslo).date()
        own = self.start.astimezone(oslo).strftime("%H:%M")
        after = (self.start + timedelta(minutes=30)).astimezone(oslo).strftime("%H:%M")

        def api_times(booking_token=None):
            url = f"/book/api/v1/hanne/consultation/slots?from={day}&to={day}&tz=Europe/Oslo"
            if booking_token:
                url += f"&booking={booking_token}"
            data = self.url_open(url).json()
            return [
                datetime.fromisoformat(slot["start"]).strftime("%H:%M")
                for found in data["days"]
                for slot in found["slots"]
            ]

        others = api_times()
        self.assertNotIn(own, others)
        self.assertNotIn(after, others, "the booking's buffer")
        guest = api_times(self.token)
        self.assertIn(own, guest)
        self.assertIn(after, guest)
        self.assertEqual(api_times("x" * 43), others, "an unknown token changes nothing")
        wizard = (
            self.env["bookme.booking.reschedule"].with_user(self.host).create({"booking_id": self.booking.id})
        )
        self.assertEqual(wizard.date, day)
        self.assertEqual([slot["label"] for slot in wizard.free_slots], guest)
