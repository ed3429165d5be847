from datetime import datetime, time, timedelta, timezone

from odoo.tests import HttpCase, tagged

from .common import BookmeCase, naive


@tagged("post_install", "-at_install")
class TestBookingTour(HttpCase, BookmeCase):
    """A guest books and cancels through the real pages, in headless Chromium."""

    def test_book_and_cancel_tour(self):
        self.host.write({"bookme_mode": "semi_automatic", "bookme_slot_duration": 30})
        today = datetime.now(timezone.utc).date()
        days = [today + timedelta(days=n) for n in (3, 4)]
        for day in days:
            start = datetime.combine(day, time(10, 0), timezone.utc)
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
        personal = self.host.bookme_personal_type_id
        first = datetime.combine(days[0], time(10, 0), timezone.utc)
        window = (first - timedelta(hours=1), first + timedelta(days=2))

        self.start_tour("/book/hanne", "crm_bookme_book_and_cancel", login=None)

        booking = self.env["bookme.booking"].search([("guest_email", "=", "tina.tour@example.com")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.start, naive(first))
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.partner_id.name, "Tina Tour")
        self.assertFalse(booking.calendar_event_id.active)
        self.assertIn(first, self.starts(personal, *window), "the slot is offered again")
