from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestBackendActions(BookmeCase):
    """Cancel and reschedule from the booking form email both sides and free or move the
    slot."""

    def mails_of(self, booking):
        return self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])

    def test_cancel_wizard(self):
        booking = self.book(self.etype, MONDAY_9)
        before = self.mails_of(booking)
        action = booking.action_cancel_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(action["context"]))
        wizard.reason = "The host is ill"
        wizard.save().action_confirm()
        self.assertEqual(booking.state, "cancelled")
        self.assertEqual(booking.cancel_reason, "The host is ill")
        new = self.mails_of(booking) - before
        self.assertEqual(len(new), 2, "guest and host")
        guest = new.filtered(lambda m: booking.partner_id in m.recipient_ids)
        self.assertIn("The host is ill", guest.body_html)
        self.assertTrue(new.filtered(lambda m: self.host.partner_id in m.recipient_ids))
        self.assertIn(MONDAY_9, self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=1)))

    def test_reschedule_wizard(self):
        booking = self.book(self.etype, MONDAY_9)
        before = self.mails_of(booking)
        action = booking.action_reschedule_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(action["context"]))
        self.assertEqual(wizard.date, date(2030, 1, 7), "starts on the booking's day")
        self.assertEqual(wizard.tz, "Europe/Oslo", "names the host's zone")
        wizard.date = date(2030, 1, 8)
        labels = [slot["label"] for slot in wizard.free_slots]
        self.assertIn("09:00", labels)
        self.assertIn("16:30", labels)
        self.assertNotIn("17:00", labels)
        wizard.new_start = next(slot["value"] for slot in wizard.free_slots if slot["label"] == "14:30")
        wizard.client_message = "Sorry, Monday is full."
        wizard.save().action_apply()
        new_start = utc(2030, 1, 8, 13, 30)
        self.assertEqual(booking.start, naive(new_start))
        self.assertEqual(booking.calendar_event_id.start, naive(new_start))
        new = self.mails_of(booking) - before
        self.assertEqual(len(new), 2)
        guest = new.filtered(lambda m: booking.partner_id in m.recipient_ids)
        self.assertIn("Sorry, Monday is full.", guest.body_html)
        self.assertIn("New time", guest.subject)
        self.assertIn(MONDAY_9, self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=1)))
        self.assertNotIn(new_start, self.starts(self.etype, new_start, new_start + timedelta(hours=1)))

    def test_reschedule_wizard_refuses_bad_time(self):
        booking = self.book(self.etype, MONDAY_9)
        wizard = self.env["bookme.booking.reschedule"].create(
            {
                "booking_id": booking.id,
                "date": date(2030, 1, 8),
            }
        )
        with self.assertRaises(UserError):
            wizard.action_apply()  # no time chosen
        wizard.new_start = naive(utc(2030, 1, 8, 19, 0))  # 20:00 in Oslo: outside working hours
        with self.assertRaisesRegex(UserError, "not available") as caught:
            wizard.action_apply()
        self.assertIs(type(caught.exception), UserError, "a plain UserError: the warning dialog")
        self.assertEqual(booking.start, naive(MONDAY_9))

    def test_host_may_cancel_after_deadline(self):
        self.etype.cancel_deadline = 10 * 24 * 60
        booking = self.book(self.etype, MONDAY_9)
        self.assertFalse(booking._bookme_can_change())
        booking.action_bookme_cancel(reason="Host decision")
        self.assertEqual(booking.state, "cancelled")

    def test_partner_smart_button(self):
        booking = self.book(self.etype, MONDAY_9)
        partner = booking.partner_id
        self.assertEqual(partner.bookme_booking_count, 1)
        action = partner.action_view_bookme_bookings()
        self.assertEqual(self.env["bookme.booking"].search(action["domain"]), booking)
