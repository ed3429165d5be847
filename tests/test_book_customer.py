from datetime import date, datetime, time, timedelta, timezone
from unittest.mock import patch
from zoneinfo import ZoneInfo

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged

from ..wizards.bookme_booking_reschedule import BookmeBookingReschedule
from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo
OSLO = ZoneInfo("Europe/Oslo")


def customer_mails(env, booking):
    return (
        env["mail.mail"]
        .sudo()
        .search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
            ]
        )
    )


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestBookForCustomer(BookmeCase):
    """A salesperson books a caller: the wizard offers the engine's free times, the
    booking goes through the booking path (lock, check, emails), as that salesperson."""

    def wizard(self, user=None, **ctx):
        Wizard = self.env["bookme.book.customer"].with_user(user or self.host)
        form = Form(Wizard.with_context(**ctx))
        form.event_type_id = self.etype
        return form

    def test_book_new_contact(self):
        form = self.wizard()
        self.assertEqual(
            Form(self.env["bookme.book.customer"].with_user(self.host)).event_type_id.user_id,
            self.host,
            "the salesperson's own type",
        )
        self.assertEqual(form.date, date(2030, 1, 4), "the first day with a free time: today")
        self.assertEqual(form.free_slots[0]["label"], "13:00", "the afternoon left today")
        form.date = date(2030, 1, 7)
        self.assertEqual(form.tz, "Europe/Oslo")
        labels = [slot["label"] for slot in form.free_slots]
        self.assertEqual(labels[0], "09:00")
        self.assertNotIn("17:00", labels)
        form.name = "Carla Caller"
        form.email = "carla@example.com"
        form.phone = "+47 555 01"
        form.start = next(s["value"] for s in form.free_slots if s["label"] == "10:00")
        action = form.save().action_book()
        booking = self.env["bookme.booking"].browse(action["res_id"])
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(utc(2030, 1, 7, 9, 0)))
        self.assertEqual(booking.partner_id.name, "Carla Caller")
        self.assertEqual(booking.guest_phone, "+47 555 01")
        self.assertTrue(booking.calendar_event_id)
        self.assertTrue(booking.lead_id, "the booking path links a lead")
        mails = customer_mails(self.env, booking)
        self.assertEqual(len(mails), 1)
        self.assertIn("Confirmed", mails.subject)
        self.assertNotIn(
            utc(2030, 1, 7, 9, 0),
            self.starts(self.etype, MONDAY_9, MONDAY_9 + timedelta(hours=3)),
            "the slot is taken",
        )

    def test_book_from_lead_links_it(self):
        partner = self.env["res.partner"].create({"name": "Lena Lead", "email": "lena@example.com"})
        lead = self.env["crm.lead"].create(
            {"name": "Big deal", "partner_id": partner.id, "user_id": self.host.id}
        )
        action = lead.with_user(self.host).action_bookme_book_customer()
        form = self.wizard(**action["context"])
        self.assertEqual(form.partner_id, partner)
        self.assertEqual(form.email, "lena@example.com")
        form.start = form.free_slots[0]["value"]
        booking = self.env["bookme.booking"].browse(form.save().action_book()["res_id"])
        self.assertEqual(booking.lead_id, lead)
        self.assertEqual(booking.partner_id, partner)
        self.assertEqual(len(customer_mails(self.env, booking)), 1)

    def test_book_from_contact(self):
        partner = self.env["res.partner"].create({"name": "Conny Contact", "email": "conny@example.com"})
        action = partner.with_user(self.host).action_bookme_book_customer()
        self.assertEqual(action["res_model"], "bookme.book.customer")
        form = self.wizard(**action["context"])
        self.assertEqual(form.name, "Conny Contact")
        form.start = form.free_slots[0]["value"]
        booking = self.env["bookme.booking"].browse(form.save().action_book()["res_id"])
        self.assertEqual(booking.partner_id, partner)

    def test_taken_time_is_a_plain_user_error(self):
        form = self.wizard()
        form.date = date(2030, 1, 7)
        form.name = "Late Larry"
        form.email = "larry@example.com"
        form.start = form.free_slots[0]["value"]
        wizard = form.save()
        self.book(self.etype, MONDAY_9, email="first@example.com")  # somebody was quicker
        with self.assertRaisesRegex(UserError, "no longer available") as caught:
            wizard.action_book()
        self.assertIs(type(caught.exception), UserError)
        self.assertFalse(self.env["bookme.booking"].search([("guest_email", "=", "larry@example.com")]))

    def test_only_own_types(self):
        colleague = new_test_user(
            self.env,
            login="bookme_coll2",
            name="Colin",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )
        colleague.write({"bookme_enabled": True, "bookme_slug": "colin"})
        theirs = self.env["bookme.event.type"].create(
            {
                "name": "Colin's call",
                "slug": "call",
                "user_id": colleague.id,
                "duration": 30,
            }
        )
        wizard = (
            self.env["bookme.book.customer"]
            .with_user(self.host)
            .create(
                {
                    "event_type_id": theirs.id,
                    "name": "X",
                    "email": "x@example.com",
                    "date": "2030-01-07",
                    "start": "2030-01-07 08:00:00",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_book()
        employee = new_test_user(self.env, login="bookme_emp2", groups="base.group_user")
        partner = self.env["res.partner"].create({"name": "Someone"})
        with self.assertRaises(AccessError):
            partner.with_user(employee).action_bookme_book_customer()

    def test_typed_name_kept_and_shown_to_host(self):
        known = self.env["res.partner"].create({"name": "Robert Smith", "email": "bob@example.com"})
        booking = self.book(self.etype, MONDAY_9, name="Bobby Smith", email="bob@example.com")
        self.assertEqual(booking.partner_id, known)
        self.assertEqual(known.name, "Robert Smith", "the contact is not renamed")
        self.assertEqual(booking.guest_name, "Bobby Smith", "the typed name is kept")
        host_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", self.host.partner_id.ids),
            ]
        )
        self.assertIn("Name given", host_mail.body_html)
        self.assertIn("Bobby Smith (the email matched the contact Robert Smith)", host_mail.body_html)
        guest_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", known.ids),
            ]
        )
        self.assertNotIn("Name given", guest_mail.body_html, "for the host only")

    def test_bookings_views_name_the_customer_first(self):
        booking = self.book(self.etype, MONDAY_9)
        self.assertEqual(booking.display_name, "Consultation – Gina Guest")
        self.assertEqual(
            booking.with_context(bookme_customer_first=1).display_name, "Gina Guest – Consultation"
        )

    def test_cancelled_booking_marks_its_lead(self):
        booking = self.book(self.etype, MONDAY_9)
        lead = booking.lead_id
        self.assertTrue(lead)
        booking.with_user(self.host).action_bookme_cancel(reason="Ill")
        todo = lead.activity_ids.filtered(lambda a: "Booking cancelled" in (a.summary or ""))
        self.assertEqual(len(todo), 1, "a follow-up to-do on the lead")
        self.env["ir.config_parameter"].set_param("crm_bookme.cancel_lead_mode", "lost")
        other = self.book(self.etype, MONDAY_9 + timedelta(hours=1), email="o@example.com", name="Olga Other")
        other.with_user(self.host).action_bookme_cancel()
        self.assertFalse(other.lead_id.active, "marked lost")
        self.assertEqual(other.lead_id.won_status, "lost")

    def test_direct_create_refused(self):
        with self.assertRaises(UserError):
            self.env["bookme.booking"].with_user(self.host).create(
                {
                    "event_type_id": self.etype.id,
                    "partner_id": self.host.partner_id.id,
                    "start": "2030-01-07 08:00:00",
                    "stop": "2030-01-07 08:30:00",
                }
            )


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestHostLanguage(BookmeCase):
    """The host's email and notice use the host's language and zone; the guest's the
    guest's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nb_NO")
        cls.host.write({"lang": "en_US", "tz": "Europe/Brussels"})

    def test_norwegian_guest_english_host(self):
        booking = self.book(
            self.etype,
            MONDAY_9,
            name="Nora Nordmann",
            email="nora@example.no",
            lang="nb_NO",
            guest_tz="Atlantic/Reykjavik",
        )
        mails = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])
        host_mail = mails.filtered(lambda m: self.host.partner_id in m.recipient_ids)
        guest_mail = mails.filtered(lambda m: booking.partner_id in m.recipient_ids)
        self.assertEqual((len(host_mail), len(guest_mail)), (1, 1))
        # 08:00 UTC is 09:00 in Brussels, 08:00 in Reykjavik.
        self.assertIn("Monday, January 7, 2030, 9:00 AM", host_mail.body_html)
        self.assertIn("(Europe/Brussels)", host_mail.body_html)
        self.assertNotIn("mandag", host_mail.body_html)
        self.assertNotIn("Reykjavik", host_mail.body_html)
        self.assertIn("New booking", host_mail.subject)
        self.assertIn("mandag 7. januar 2030, 08:00", guest_mail.body_html)
        self.assertIn("(Atlantic/Reykjavik)", guest_mail.body_html)
        self.assertEqual(
            booking.host_start_display, "Monday, January 7, 2030, 9:00 AM – 9:30 AM (Europe/Brussels)"
        )
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "calendar.event"),
                ("res_id", "=", booking.calendar_event_id.id),
                ("partner_ids", "in", self.host.partner_id.ids),
            ],
            limit=1,
        )
        self.assertIn("New booking", notice.subject)

    def test_moved_booking_host_reads_old_time_in_own_zone(self):
        booking = self.book(
            self.etype,
            MONDAY_9,
            name="Nora Nordmann",
            email="nora@example.no",
            lang="nb_NO",
            guest_tz="Atlantic/Reykjavik",
        )
        booking.with_user(self.host).action_bookme_reschedule(MONDAY_9 + timedelta(hours=1))
        host_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", self.host.partner_id.ids),
                ("subject", "ilike", "Moved"),
            ]
        )
        self.assertEqual(len(host_mail), 1)
        self.assertIn("it was Monday, January 7, 2030, 9:00", host_mail.body_html)
        self.assertIn("Monday, January 7, 2030, 10:00", host_mail.body_html)


@tagged("post_install", "-at_install")
class TestSalesTours(HttpCase, BookmeCase):
    """In headless Chromium, as the salesperson (not an administrator)."""

    def public_starts(self, day):
        res = self.url_open(f"/book/api/v1/hanne/consultation/slots?from={day}&to={day}&tz=Europe/Oslo")
        self.assertEqual(res.status_code, 200)
        return [datetime.fromisoformat(slot["start"]) for d in res.json()["days"] for slot in d["slots"]]

    def test_book_a_phoning_customer(self):
        now = datetime.now(timezone.utc)
        first = self.slots(self.etype, now, now + timedelta(days=30))[0].start
        self.assertIn(first, self.public_starts(first.astimezone(OSLO).date()))
        self.start_tour(
            "/odoo/action-crm_bookme.action_bookme_booking",
            "crm_bookme_book_phoning_customer",
            login="bookme_host",
        )
        booking = self.env["bookme.booking"].search([("guest_email", "=", "phil@example.com")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.partner_id.name, "Phil Phoner")
        self.assertEqual(booking.event_type_id, self.etype)
        mails = customer_mails(self.env, booking)
        self.assertEqual(len(mails), 1, "the customer gets the confirmation")
        self.assertIn("Confirmed", mails.subject)
        self.assertIn(booking.partner_id.email, mails.email_to or mails.recipient_ids.email)
        self.assertEqual(booking.start, naive(first), "the first free time, as offered")
        self.assertNotIn(
            first,
            self.public_starts(first.astimezone(OSLO).date()),
            "the public API no longer offers the time",
        )

    def test_book_from_the_calendar(self):
        self.start_tour(
            "/odoo/action-crm_bookme.action_bookme_booking",
            "crm_bookme_book_from_calendar",
            login="bookme_host",
        )
        booking = self.env["bookme.booking"].search([("guest_email", "=", "cal@example.com")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.state, "confirmed")
        day = booking.start.replace(tzinfo=timezone.utc).astimezone(OSLO).date()
        # "Next week" is the browser's: its today is the day in its own zone (Odoo runs the
        # test browser in UTC), which after 23:00 UTC is already tomorrow in Oslo.
        today = datetime.now(timezone.utc).date()
        self.assertGreater(day, today, "the clicked day of next week")
        self.assertLess(day, today + timedelta(days=14))
        self.assertEqual(len(customer_mails(self.env, booking)), 1)

    def test_notice_entered_in_days(self):
        self.etype.min_notice = 120
        self.start_tour(
            f"/odoo/action-crm_bookme.action_bookme_event_type/{self.etype.id}",
            "crm_bookme_notice_in_days",
            login="bookme_host",
        )
        self.assertEqual(self.etype.min_notice, 24 * 60, "stored in minutes")

    def test_reschedule_to_a_taken_time(self):
        day = datetime.now(timezone.utc).date() + timedelta(days=2)
        while day.weekday() > 4:
            day += timedelta(days=1)
        first = datetime.combine(day, time(9, 0)).replace(tzinfo=OSLO)
        booking = self.book(self.etype, first.astimezone(timezone.utc))
        original = BookmeBookingReschedule.action_apply
        taken = []

        def racing_apply(wizard):
            # Between opening the wizard and confirming, a visitor books the chosen time.
            wizard.env["bookme.booking"]._bookme_create(
                wizard.booking_id.event_type_id,
                wizard.new_start.replace(tzinfo=timezone.utc),
                "Quick Quentin",
                "quentin@example.com",
            )
            taken.append(wizard.new_start)
            return original(wizard)

        with patch.object(BookmeBookingReschedule, "action_apply", racing_apply):
            self.start_tour(
                f"/odoo/action-crm_bookme.action_bookme_booking/{booking.id}",
                "crm_bookme_reschedule_taken",
                login="bookme_host",
            )
        self.assertEqual(len(taken), 1)
        self.assertEqual(booking.start, naive(first), "the booking did not move")
