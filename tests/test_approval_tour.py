from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo.tests import HttpCase, tagged

from .common import BookmeCase, naive

OSLO = ZoneInfo("Europe/Oslo")


@tagged("post_install", "-at_install")
class TestApprovalTour(HttpCase, BookmeCase):
    """In headless Chromium: a client requests, the host (a salesperson, not an
    administrator) approves in the back office, the client's page shows it confirmed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A day of notice: the request is still ahead when the host approves it.
        cls.etype.write({"requires_approval": True, "min_notice": 24 * 60})

    def test_request_approve_confirmed(self):
        self.start_tour("/book/hanne/consultation", "crm_bookme_request_to_book", login=None)
        booking = self.env["bookme.booking"].search([("guest_email", "=", "tina.tour@example.com")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.state, "requested")
        self.assertFalse(booking.calendar_event_id)
        self.assertTrue(booking.activity_ids.filtered(lambda a: a.user_id == self.host))

        self.start_tour(
            "/odoo/action-crm_bookme.action_bookme_booking_to_approve",
            "crm_bookme_host_approves",
            login="bookme_host",
        )
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.decided_by_id, self.host)
        self.assertEqual(booking.calendar_event_id.start, booking.start)

        self.start_tour(
            f"/book/booking/{booking.access_token}", "crm_bookme_guest_sees_confirmed", login=None
        )

    def test_approve_with_reschedule_picks_a_free_time(self):
        day = datetime.now(timezone.utc).date() + timedelta(days=2)
        while day.weekday() > 3:  # Monday to Thursday: 16:30 Oslo is a free time that day
            day += timedelta(days=1)
        zone_start = datetime.combine(day, time(9, 0)).replace(tzinfo=OSLO)
        booking = self.book(self.etype, zone_start.astimezone(timezone.utc))
        self.assertEqual(booking.state, "requested")
        self.start_tour(
            f"/odoo/action-crm_bookme.action_bookme_booking_to_approve/{booking.id}",
            "crm_bookme_host_approves_other_time",
            login="bookme_host",
        )
        expected = datetime.combine(day, time(16, 30)).replace(tzinfo=OSLO)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(expected))
        self.assertEqual(booking.calendar_event_id.start, naive(expected))
        self.assertEqual(booking.internal_note, "Moved to the end of the day")
        guest = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
                ("subject", "ilike", "new time"),
            ]
        )
        self.assertEqual(len(guest), 1)
        self.assertIn("See you later that day", guest.body_html)
        self.assertNotIn("end of the day", guest.body_html)
