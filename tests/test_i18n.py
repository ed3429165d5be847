"""Book Me in the guest's language: dates and times on the language's clock, links that
keep the language, the website's language selector on Book Me pages, the text direction
of emails."""

import json
import re
from datetime import timedelta

from lxml import html as lxml_html

from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged

from ..models.time_format import format_when, uses_12h_clock
from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo
LANGS = ("nb_NO", "it_IT", "he_IL", "et_EE")


def activate_languages(env, codes=LANGS, website=True):
    """Activate ``codes`` and, with ``website``, offer them on the current website."""
    langs = env["res.lang"]
    for code in codes:
        langs |= env["res.lang"]._activate_lang(code)
    if website:
        env["website"].get_current_website().language_ids |= langs
    return langs


@tagged("post_install", "-at_install")
class TestTimeFormat(TransactionCase):
    """One way of writing a booking's time per language, the clock from Odoo's language
    settings: 12-hour for English (US), 24-hour for Norwegian, Italian, Hebrew, Estonian."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_languages(cls.env, website=False)

    def when(self, lang, tz="Europe/Oslo"):
        return format_when(self.env, naive(MONDAY_9), tz, lang, stop=naive(MONDAY_9 + timedelta(minutes=30)))

    def test_each_language_reads_its_own_date_and_clock(self):
        self.assertEqual(self.when("en_US"), "Monday, January 7, 2030, 9:00 AM – 9:30 AM (Europe/Oslo)")
        self.assertEqual(self.when("nb_NO"), "mandag 7. januar 2030, 09:00 – 09:30 (Europe/Oslo)")
        self.assertEqual(self.when("it_IT"), "lunedì 7 gennaio 2030, 09:00 – 09:30 (Europe/Oslo)")
        self.assertEqual(self.when("he_IL"), "יום שני, 7 בינואר 2030, 09:00 – 09:30 (Europe/Oslo)")
        when_et = self.when("et_EE")
        self.assertIn("7. jaanuar 2030", when_et)
        self.assertIn("09:00 – 09:30", when_et)

    def test_clock_follows_the_language_settings(self):
        self.assertTrue(uses_12h_clock(self.env, "en_US"))
        for code in LANGS:
            self.assertFalse(uses_12h_clock(self.env, code), code)
        self.env["res.lang"]._lang_get("en_US").time_format = "%H:%M:%S"
        self.assertEqual(self.when("en_US"), "Monday, January 7, 2030, 09:00 – 09:30 (Europe/Oslo)")

    def test_zone_decides_the_day(self):
        # 08:00 UTC on Monday is still Sunday evening in Honolulu.
        self.assertTrue(
            self.when("en_US", "Pacific/Honolulu").startswith("Sunday, January 6, 2030, 10:00 PM")
        )

    def test_unknown_or_missing_language_falls_back(self):
        self.assertEqual(format_when(self.env, False, "UTC", "nb_NO"), "")
        self.assertIn("January 7, 2030", self.when("xx_XX"))


@tagged("post_install", "-at_install")
class TestMailLanguage(BookmeCase):
    """Each side reads its emails in its own language, zone and text direction: the guest
    in the language they booked in, the host in the host's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_languages(cls.env)

    def mails(self, booking):
        mails = self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])
        guest = mails.filtered(lambda m: booking.partner_id in m.recipient_ids)
        host = mails.filtered(lambda m: self.host.partner_id in m.recipient_ids)
        self.assertEqual((len(guest), len(host)), (1, 1))
        return guest, host

    def test_hebrew_guest_norwegian_host(self):
        self.host.lang = "nb_NO"
        booking = self.book(self.etype, MONDAY_9, lang="he_IL", guest_tz="Asia/Jerusalem")
        self.assertEqual(booking.partner_id.lang, "he_IL", "the new contact speaks the booking's language")
        guest, host = self.mails(booking)
        # 08:00 UTC is 10:00 in Jerusalem, 09:00 in Oslo.
        self.assertIn("יום שני, 7 בינואר 2030, 10:00 – 10:30 (Asia/Jerusalem)", guest.body_html)
        self.assertIn('dir="rtl"', guest.body_html)
        self.assertIn('lang="he-IL"', guest.body_html)
        self.assertIn("mandag 7. januar 2030, 09:00 – 09:30 (Europe/Oslo)", host.body_html)
        self.assertIn('dir="ltr"', host.body_html)
        self.assertNotIn("בינואר", host.body_html)

    def test_english_guest_reads_12_hour_times(self):
        booking = self.book(self.etype, MONDAY_9, lang="en_US", guest_tz="Europe/London")
        guest, _host = self.mails(booking)
        self.assertIn("Monday, January 7, 2030, 8:00 AM – 8:30 AM (Europe/London)", guest.body_html)
        self.assertIn('dir="ltr"', guest.body_html)

    def test_calendar_file_in_guest_language(self):
        booking = self.book(self.etype, MONDAY_9, lang="nb_NO", guest_tz="Europe/Oslo")
        ics = booking._bookme_ics().decode()
        unfolded = re.sub(r"\r?\n[ \t]", "", ics)
        self.assertIn("mandag 7. januar 2030\\, 09:00 – 09:30 (Europe/Oslo)", unfolded)
        self.assertIn(f"/{self.nb_url_code()}/book/booking/{booking.access_token}", unfolded)

    def nb_url_code(self):
        return self.env["res.lang"]._get_data(code="nb_NO").url_code


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestLanguageLinks(HttpCase, BookmeCase):
    """Links and redirects keep the visitor's language (``/nb/book/...``), and Book Me
    pages offer the website's languages, each keeping the page."""

    API = "/book/api/v1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_languages(cls.env)
        cls.nb = cls.env["res.lang"]._get_data(code="nb_NO").url_code
        cls.he = cls.env["res.lang"]._get_data(code="he_IL").url_code

    def api_book(self, lang):
        res = self.url_open(
            f"{self.API}/hanne/consultation/bookings",
            data=json.dumps(
                {
                    "start": "2030-01-07T09:00:00+01:00",
                    "name": "Nora Nordmann",
                    "email": "nora@example.no",
                    "tz": "Europe/Oslo",
                    "lang": lang,
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 201, res.text)
        return res.json()["booking"]

    def test_api_manage_url_and_email_links_keep_the_language(self):
        answer = self.api_book("nb-NO")
        booking = self.env["bookme.booking"].search([("access_token", "=", answer["token"])])
        self.assertEqual(booking.lang, "nb_NO")
        self.assertTrue(answer["manage_url"].endswith(f"/{self.nb}/book/booking/{answer['token']}"))
        guest_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
            ]
        )
        self.assertIn(f'href="{answer["manage_url"]}"', guest_mail.body_html)
        # The guest's page at that address speaks Norwegian.
        page = self.url_open(answer["manage_url"])
        self.assertEqual(page.status_code, 200)
        self.assertIn('lang="nb-NO"', page.text)
        self.assertIn("mandag 7. januar 2030, 09:00 – 09:30", page.text)

    def test_default_language_has_no_prefix(self):
        answer = self.api_book("en-US")
        self.assertTrue(answer["manage_url"].endswith(f"/book/booking/{answer['token']}"))
        self.assertNotIn(f"/{self.nb}/", answer["manage_url"])

    def test_language_not_on_the_website_has_no_prefix(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        booking = self.book(self.etype, MONDAY_9, lang="fr_FR")
        self.assertTrue(booking.manage_url.endswith(f"/book/booking/{booking.access_token}"))
        self.assertNotIn("/fr", booking.manage_url.split("/book/")[0])

    def test_guest_forms_and_redirects_keep_the_language(self):
        booking = self.book(self.etype, MONDAY_9, lang="nb_NO")
        token = booking.access_token
        # Reschedule: the widget posts to the localized address, and lands back in nb.
        page = self.url_open(f"/{self.nb}/book/booking/{token}/reschedule")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'data-reschedule-url="/{self.nb}/book/booking/{token}/reschedule"', page.text)
        form_token = re.search(r'data-csrf-token="([^"]+)"', page.text).group(1)
        res = self.url_open(
            f"/{self.nb}/book/booking/{token}/reschedule",
            data={"start": (MONDAY_9 + timedelta(hours=2)).isoformat(), "csrf_token": form_token},
            allow_redirects=False,
        )
        self.assertIn(res.status_code, (302, 303))
        self.assertRegex(res.headers["Location"], rf"/{self.nb}/book/booking/{token}\?moved=1$")
        self.assertEqual(booking.start, naive(MONDAY_9 + timedelta(hours=2)))
        # Cancel: the form posts to the localized address; the page after it is in nb.
        page = self.url_open(f"/{self.nb}/book/booking/{token}/cancel")
        doc = lxml_html.fromstring(page.text)
        [form] = doc.xpath("//form[.//button[contains(@class, 'o_bookme_cancel_confirm')]]")
        self.assertEqual(form.get("action"), f"/{self.nb}/book/booking/{token}/cancel")
        form_token = form.xpath(".//input[@name='csrf_token']")[0].get("value")
        res = self.url_open(form.get("action"), data={"csrf_token": form_token})
        self.assertEqual(res.status_code, 200)
        self.assertEqual(booking.state, "cancelled")
        doc = lxml_html.fromstring(res.text)
        self.assertEqual(doc.get("lang"), "nb-NO")
        [again] = doc.xpath("//a[contains(@class, 'o_bookme_book_again')]")
        self.assertEqual(again.get("href"), f"/{self.nb}/book/hanne/consultation", "book another time, in nb")

    def test_embed_redirect_keeps_the_language(self):
        res = self.url_open(f"/{self.nb}/book/embed/{self.etype.id}", allow_redirects=False)
        self.assertIn(res.status_code, (302, 303))
        self.assertRegex(res.headers["Location"], rf"/{self.nb}/book/hanne/consultation\?embed=1$")

    def language_links(self, text, container):
        doc = lxml_html.fromstring(text)
        return {
            a.get("data-url_code"): a.get("href")
            for a in doc.xpath(f"//*[contains(@class, '{container}')]//a[contains(@class, 'js_change_lang')]")
        }

    def test_pages_offer_the_website_languages(self):
        res = self.url_open(f"/{self.nb}/book/hanne/consultation")
        self.assertEqual(res.status_code, 200)
        links = self.language_links(res.text, "o_header_language_selector")
        codes = [self.env["res.lang"]._get_data(code=code).url_code for code in ("en_US", *LANGS)]
        expected = {code: f"/{code}/book/hanne/consultation" for code in codes}
        expected[codes[0]] = "/book/hanne/consultation"  # the website's default language
        self.assertEqual(links, expected)
        # Following one switches the Book Me page, at the same path.
        page = self.url_open(links[self.he])
        self.assertEqual(page.status_code, 200)
        doc = lxml_html.fromstring(page.text)
        self.assertEqual((doc.get("lang"), doc.get("dir")), ("he-IL", "rtl"))
        self.assertTrue(doc.xpath("//div[contains(@class, 'o_bookme_widget')][@data-lang='he-IL']"))

    def test_embedded_pages_offer_the_languages_too(self):
        res = self.url_open(f"/{self.nb}/book/hanne/consultation?embed=1")
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("o_header_language_selector", res.text, "no website header when embedded")
        links = self.language_links(res.text, "o_bookme_embed_lang")
        self.assertEqual(links[self.he], f"/{self.he}/book/hanne/consultation?embed=1")
        self.assertEqual(len(links), 5)
