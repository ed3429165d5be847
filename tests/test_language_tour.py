from datetime import datetime, timedelta, timezone

from odoo.tests import HttpCase, tagged

from .common import BookmeCase


@tagged("post_install", "-at_install")
class TestLanguageTours(HttpCase, BookmeCase):
    """A booking in Hebrew and one in Norwegian in headless Chromium, with Book Me's
    translations loaded as a site installing those languages gets them; then the emails
    each side got, in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = cls.env["res.lang"]
        for code in ("he_IL", "nb_NO"):
            langs |= cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["crm_bookme"], langs.mapped("code"), overwrite=True)
        cls.env["website"].get_current_website().language_ids |= langs
        day = datetime.now(timezone.utc).date() + timedelta(days=7)
        while day.weekday() > 3:
            day += timedelta(days=1)
        cls.etype.write({"date_range_mode": "range", "date_from": day, "date_to": day + timedelta(days=1)})

    def booking_of(self, email):
        booking = self.env["bookme.booking"].search([("guest_email", "=", email)])
        self.assertEqual(len(booking), 1)
        return booking

    def mails_of(self, booking):
        mails = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])
        guest = mails.filtered(lambda m: booking.partner_id in m.recipient_ids)
        host = mails.filtered(lambda m: self.host.partner_id in m.recipient_ids)
        self.assertEqual((len(guest), len(host)), (1, 1))
        return guest, host

    def subject_in(self, lang, booking):
        template = self.env.ref("crm_bookme.mail_template_booking_guest_confirmed")
        return template.with_context(lang=lang)._render_field("subject", booking.ids, set_lang=lang)[
            booking.id
        ]

    def assert_guest_mail(self, booking, lang, texts):
        guest, host = self.mails_of(booking)
        self.assertEqual(guest.subject, self.subject_in(lang, booking))
        self.assertNotEqual(guest.subject, self.subject_in("en_US", booking), "the subject is translated")
        for text in texts:
            self.assertIn(text, guest.body_html)
        self.assertIn(booking.start_display, guest.body_html)
        self.assertIn(f'href="{booking.manage_url}"', guest.body_html)
        # The host (English) reads the booking in English.
        self.assertIn("New booking", host.subject)
        self.assertIn(booking.host_start_display, host.body_html)
        return guest

    def test_booking_in_hebrew(self):
        self.start_tour("/book/hanne/consultation", "crm_bookme_book_in_hebrew", login=None)
        booking = self.booking_of("hila.hebrew@example.com")
        self.assertEqual(
            (booking.state, booking.lang, booking.partner_id.lang), ("confirmed", "he_IL", "he_IL")
        )
        self.assertIn("/he/book/booking/", booking.manage_url)
        guest = self.assert_guest_mail(booking, "he_IL", ["הפגישה שלך אושרה. קובץ היומן מצורף."])
        self.assertIn('dir="rtl"', guest.body_html)
        self.assertIn("יום", booking.start_display)

    def test_booking_in_norwegian(self):
        self.start_tour("/nb_NO/book/hanne/consultation", "crm_bookme_book_in_norwegian", login=None)
        booking = self.booking_of("nora.norsk@example.no")
        self.assertEqual(
            (booking.state, booking.lang, booking.partner_id.lang), ("confirmed", "nb_NO", "nb_NO")
        )
        self.assertIn("/nb_NO/book/booking/", booking.manage_url)
        guest = self.assert_guest_mail(
            booking, "nb_NO", ["Avtalen din er bekreftet. Kalenderfilen er vedlagt."]
        )
        self.assertIn('dir="ltr"', guest.body_html)
