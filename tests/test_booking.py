import base64
from datetime import timedelta

import icalendar

from odoo.tests import freeze_time, tagged

from odoo.addons.crm_bookme.exceptions import BookmeError

from .common import BookmeCase, naive, utc

# Friday 2030-01-04 12:00 UTC; the host works Mon-Fri 09:00-17:00 Oslo (08:00-16:00 UTC).
NOW = "2030-01-04 12:00:00"
MONDAY_9 = utc(2030, 1, 7, 8, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestBooking(BookmeCase):
    def test_booking_lives_in_a_calendar_event(self):
        booking = self.book(self.etype, MONDAY_9, phone="+47 22 00 00 00", note="About the offer")
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))
        self.assertEqual(booking.stop, naive(MONDAY_9 + timedelta(minutes=30)))
        self.assertEqual(booking.partner_id.email, "guest@example.com")
        event = booking.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.user_id, self.host)
        self.assertEqual(event.partner_ids, self.host.partner_id | booking.partner_id)
        self.assertEqual((event.start, event.stop), (booking.start, booking.stop))
        self.assertGreaterEqual(len(booking.access_token), 43, "at least 256 bits, url-safe")

    def test_partner_matched_by_email_else_created(self):
        known = self.env["res.partner"].create({"name": "Known", "email": "Known@Example.com"})
        first = self.book(self.etype, MONDAY_9, email="known@example.com", name="Someone")
        self.assertEqual(first.partner_id, known)
        second = self.book(
            self.etype, MONDAY_9 + timedelta(hours=1), email="new@example.com", name="New Person"
        )
        self.assertEqual(second.partner_id.name, "New Person")
        self.assertNotEqual(second.partner_id, known)

    def test_slot_taken_is_refused_and_freed_by_cancel(self):
        booking = self.book(self.etype, MONDAY_9)
        self.assertNotIn(MONDAY_9, self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=2)))
        with self.assertRaises(BookmeError) as err:
            self.book(self.etype, MONDAY_9, email="other@example.com")
        self.assertEqual(err.exception.code, "slot_unavailable")
        self.assertEqual(err.exception.status, 409)
        booking._bookme_guest_cancel()
        self.assertEqual(booking.state, "cancelled")
        self.assertFalse(booking.calendar_event_id.active, "the host's event is cancelled")
        self.assertIn(MONDAY_9, self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=2)))

    def test_busy_calendar_event_blocks_slot(self):
        self.env["calendar.event"].create(
            {
                "name": "Dentist",
                "user_id": self.host.id,
                "partner_ids": [(4, self.host.partner_id.id)],
                "start": naive(MONDAY_9),
                "stop": naive(MONDAY_9 + timedelta(hours=1)),
            }
        )
        starts = self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=2))
        self.assertEqual(starts, [MONDAY_9 + timedelta(hours=1), MONDAY_9 + timedelta(hours=1.5)])

    def test_idempotency_key_returns_first_booking(self):
        first = self.book(self.etype, MONDAY_9, idempotency_key="abc-123")
        again = self.book(self.etype, MONDAY_9, idempotency_key="abc-123")
        self.assertEqual(first, again)
        self.assertEqual(self.Booking.search_count([("event_type_id", "=", self.etype.id)]), 1)

    def test_cancel_deadline_enforced_for_guest(self):
        self.etype.cancel_deadline = 4 * 24 * 60  # four days: Monday is too close
        booking = self.book(self.etype, MONDAY_9)
        with self.assertRaises(BookmeError) as err:
            booking._bookme_guest_cancel()
        self.assertEqual(err.exception.code, "deadline_passed")
        self.assertEqual(booking.state, "confirmed")
        booking.action_bookme_cancel()  # the host may always cancel
        self.assertEqual(booking.state, "cancelled")

    def test_group_capacity_and_shared_event(self):
        start = MONDAY_9
        bookings = [
            self.book(self.group_type, start, email=f"g{i}@example.com", name=f"Guest {i}") for i in range(3)
        ]
        self.assertEqual(len(bookings[0].calendar_event_id), 1)
        self.assertTrue(all(b.calendar_event_id == bookings[0].calendar_event_id for b in bookings))
        self.assertEqual(len(bookings[0].calendar_event_id.partner_ids), 4, "host + 3 guests")
        with self.assertRaises(BookmeError):
            self.book(self.group_type, start, email="g4@example.com", name="Guest 4")
        bookings[1].action_bookme_cancel()
        self.assertTrue(bookings[0].calendar_event_id.active, "the session goes on")
        self.assertNotIn(bookings[1].partner_id, bookings[0].calendar_event_id.partner_ids)
        slot = self.env["bookme.scheduler"]._check_slot(self.group_type, start)
        self.assertEqual(slot.seats_left, 1)

    def test_lead_modes(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("crm_bookme.lead_mode", "link")
        lead = self.env["crm.lead"].create(
            {
                "name": "Open deal",
                "partner_id": self.env["res.partner"]
                .create({"name": "Lena", "email": "lena@example.com"})
                .id,
            }
        )
        linked = self.book(self.etype, MONDAY_9, email="lena@example.com", name="Lena")
        self.assertEqual(linked.lead_id, lead)
        self.assertEqual(linked.calendar_event_id.opportunity_id, lead)
        ICP.set_param("crm_bookme.lead_mode", "create")
        created = self.book(self.etype, MONDAY_9 + timedelta(hours=1), email="lena@example.com", name="Lena")
        self.assertTrue(created.lead_id)
        self.assertNotEqual(created.lead_id, lead)
        self.assertEqual(created.lead_id.user_id, self.host)
        ICP.set_param("crm_bookme.lead_mode", "off")
        none = self.book(self.etype, MONDAY_9 + timedelta(hours=2), email="lena@example.com", name="Lena")
        self.assertFalse(none.lead_id)

    def test_emails_ics_and_host_inbox(self):
        booking = self.book(self.etype, MONDAY_9)
        mails = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])
        guest_mail = mails.filtered(lambda m: booking.partner_id in m.recipient_ids)
        host_mail = mails.filtered(lambda m: self.host.partner_id in m.recipient_ids)
        self.assertEqual(len(guest_mail), 1)
        self.assertEqual(len(host_mail), 1)
        self.assertEqual(guest_mail.state, "outgoing", "emails go through Odoo's mail queue")
        self.assertIn(booking.manage_url, guest_mail.body_html)
        self.assertIn(f"/book/booking/{booking.access_token}", guest_mail.body_html)
        ics_att = guest_mail.attachment_ids.filtered(lambda a: a.mimetype == "text/calendar")
        self.assertEqual(len(ics_att), 1)
        cal = icalendar.Calendar.from_ical(base64.b64decode(ics_att.datas))
        (vevent,) = cal.walk("VEVENT")
        self.assertEqual(vevent.decoded("dtstart"), MONDAY_9)
        self.assertEqual(vevent.decoded("dtend"), MONDAY_9 + timedelta(minutes=30))
        self.assertEqual(str(vevent.get("status")), "CONFIRMED")
        self.assertIn(booking.manage_url, str(vevent.get("url")))
        self.assertIn("hanne@example.com", str(vevent.get("organizer")))
        # The host's inbox notification, on the event (so it opens the event).
        notif = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.host.partner_id.id),
                ("notification_type", "=", "inbox"),
                ("mail_message_id.model", "=", "calendar.event"),
                ("mail_message_id.res_id", "=", booking.calendar_event_id.id),
            ]
        )
        self.assertEqual(len(notif), 1)
        self.assertIn("New booking", notif.mail_message_id.subject)

    def test_cancel_emails_both_sides_and_notifies_host(self):
        booking = self.book(self.etype, MONDAY_9)
        before = self.env["mail.mail"].search_count(
            [("res_id", "=", booking.id), ("model", "=", "bookme.booking")]
        )
        booking._bookme_guest_cancel(reason="Ill")
        mails = self.env["mail.mail"].search([("res_id", "=", booking.id), ("model", "=", "bookme.booking")])
        self.assertEqual(len(mails) - before, 2)
        subjects = mails.mapped("subject")
        self.assertTrue(any(s.startswith("Cancelled:") for s in subjects))
        ics = self.Booking.browse(booking.id)._bookme_ics()
        self.assertIn(b"STATUS:CANCELLED", ics)
        notif = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.host.partner_id.id),
                ("mail_message_id.subject", "ilike", "Booking cancelled"),
                ("mail_message_id.model", "=", "calendar.event"),
                ("mail_message_id.res_id", "=", booking.calendar_event_id.id),
            ]
        )
        self.assertEqual(len(notif), 1, "one inbox notice of the cancellation, on the event")
        self.assertEqual(notif.notification_type, "inbox")

    def test_reschedule_moves_booking_and_event(self):
        booking = self.book(self.etype, MONDAY_9)
        new_start = MONDAY_9 + timedelta(hours=3)
        booking._bookme_guest_reschedule(new_start)
        self.assertEqual(booking.start, naive(new_start))
        self.assertEqual(booking.calendar_event_id.start, naive(new_start))
        self.assertIn(MONDAY_9, self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=1)))
        other = self.book(self.etype, MONDAY_9, email="x@example.com")
        self.assertEqual(other.start, naive(MONDAY_9), "the freed time was booked by someone else")
        with self.assertRaises(BookmeError) as err:
            booking._bookme_guest_reschedule(MONDAY_9)
        self.assertEqual(err.exception.code, "slot_unavailable")
        self.assertEqual(booking.start, naive(new_start), "a refused move leaves the booking where it was")
        self.assertEqual(booking.calendar_event_id.start, naive(new_start))
        self.assertEqual(other.calendar_event_id.start, naive(MONDAY_9))

    def test_ics_parses_with_icalendar(self):
        booking = self.book(self.etype, MONDAY_9, note="About the offer")
        cal = icalendar.Calendar.from_ical(booking._bookme_ics())
        (event,) = cal.walk("VEVENT")
        self.assertEqual(event.decoded("dtstart"), MONDAY_9)
        self.assertEqual(event.decoded("dtend"), MONDAY_9 + timedelta(minutes=30))
        self.assertEqual(str(event["summary"]), "Consultation – Gina Guest")
        self.assertEqual(str(event["status"]), "CONFIRMED")
        self.assertEqual(str(event["url"]), booking.manage_url)
        self.assertIn("About the offer", str(event["description"]))
        self.assertEqual(str(event["organizer"]), "MAILTO:hanne@example.com")
        self.assertEqual(str(event["attendee"]), "MAILTO:guest@example.com")
        booking._bookme_guest_cancel()
        cal = icalendar.Calendar.from_ical(booking._bookme_ics())
        self.assertEqual(str(cal["method"]), "CANCEL")
        self.assertEqual(str(cal.walk("VEVENT")[0]["status"]), "CANCELLED")

    def test_google_meet_location_leaves_room_for_meet(self):
        self.etype.location_ids = [(0, 0, {"location_type": "online", "online_provider": "google_meet"})]
        booking = self.book(self.etype, MONDAY_9, location=self.etype.location_ids)
        self.assertEqual(booking.location_text, "Google Meet")
        event = booking.calendar_event_id
        self.assertFalse(event.location, "google_calendar requests a Meet only without location")
        self.assertFalse(event.videocall_location)
