import contextlib
from datetime import datetime, time, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import BookmeCase, naive

OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")


@contextlib.contextmanager
def browser_zone(zone):
    """Headless Chromium runs in ``zone`` (CDP ``Emulation.setTimezoneOverride``, sent
    before the first page is opened; it holds for the page's later navigations)."""
    navigate_to = ChromeBrowser.navigate_to

    def navigate_in_zone(browser, url, wait_stop=False):
        browser._websocket_request("Emulation.setTimezoneOverride", params={"timezoneId": zone})
        return navigate_to(browser, url, wait_stop=wait_stop)

    with patch.object(ChromeBrowser, "navigate_to", navigate_in_zone):
        yield


def first_monday(month_start):
    return month_start + timedelta(days=(7 - month_start.weekday()) % 7)


class PickerCase(HttpCase, BookmeCase):
    """The consultation type (Oslo, Mon–Fri 09:00–17:00, 30 min) bookable Monday to
    Thursday of the first week of next month: the page opens on this month, so the picker
    has to find the first bookable day in the next one and choose it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = datetime.now(OSLO).date()
        cls.first_day = first_monday(today.replace(day=1) + relativedelta(months=1))
        cls.etype.write(
            {
                "tz_display": "host",
                "date_range_mode": "range",
                "date_from": cls.first_day,
                "date_to": cls.first_day + timedelta(days=3),
            }
        )

    def booking_of(self, email):
        booking = self.env["bookme.booking"].search([("guest_email", "=", email)])
        self.assertEqual(len(booking), 1, f"one booking for {email}")
        return booking

    def oslo_day(self, booking):
        return booking.start.replace(tzinfo=ZoneInfo("UTC")).astimezone(OSLO).date()


@tagged("post_install", "-at_install")
class TestPickerPhone(PickerCase):
    browser_size = "360x740"

    def test_booking_at_360_px(self):
        """At 360 px: no sideways scrolling, 44 px tap targets, the times below the
        calendar, scrolled into view with the focus on the first one; the booking is made."""
        self.start_tour("/book/hanne/consultation", "crm_bookme_picker_phone", login=None)
        booking = self.booking_of("pia.phone@example.com")
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(self.oslo_day(booking), self.first_day + timedelta(days=1), "the day tapped")
        local = booking.start.replace(tzinfo=ZoneInfo("UTC")).astimezone(OSLO)
        self.assertEqual((local.hour, local.minute), (9, 0), "its first time")


@tagged("post_install", "-at_install")
class TestPickerTours(PickerCase):
    def test_keyboard_only_booking(self):
        """Tab, arrows and Enter only: the calendar is one tab stop, Enter on a day puts
        the focus on its first time (asserted in the tour), the booking is made."""
        self.start_tour("/book/hanne/consultation", "crm_bookme_picker_keyboard", login=None)
        booking = self.booking_of("kai.keys@example.com")
        self.assertEqual(booking.guest_name, "Kai Keys")
        self.assertEqual(
            self.oslo_day(booking), self.first_day + timedelta(days=1), "the day reached by arrows"
        )

    def test_guest_zone_type_in_new_york(self):
        """A guest-zone type opened by a browser in New York shows New York times and books
        the instant the visitor saw."""
        self.etype.tz_display = "guest"
        with browser_zone("America/New_York"):
            self.start_tour("/book/hanne/consultation", "crm_bookme_picker_new_york", login=None)
        booking = self.booking_of("nora.york@example.com")
        self.assertEqual(booking.guest_tz, "America/New_York")
        start = booking.start.replace(tzinfo=ZoneInfo("UTC"))
        # The first time offered: 09:00 in Oslo on the first bookable day ...
        self.assertEqual(start, datetime.combine(self.first_day, time(9, 0), OSLO))
        # ... which the page showed as New York's time, in the page's language (en_US).
        in_new_york = start.astimezone(NEW_YORK)
        hour, minute = in_new_york.hour, in_new_york.minute
        shown = f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"
        # (Chromium puts a narrow no-break space before AM.)
        self.assertEqual(booking.note.replace("\u202f", " "), f"shown {shown}")

    def test_zone_search(self):
        """The zone list: current names with offsets (no Asia/Calcutta), searchable."""
        self.start_tour("/book/hanne/consultation", "crm_bookme_picker_zone_search", login=None)

    def test_time_taken_keeps_the_form(self):
        """A time taken meanwhile (409): the message, the refreshed times, and the day,
        name, email, phone and note kept; the next time is booked without retyping."""
        self.start_tour("/book/hanne/consultation", "crm_bookme_picker_taken", login=None)
        other = self.booking_of("other.guest@example.com")
        mine = self.booking_of("tess.taken@example.com")
        self.assertEqual(
            other.start, naive(datetime.combine(self.first_day, time(9, 0), OSLO)), "the first time"
        )
        self.assertEqual(mine.start, other.start + timedelta(minutes=30), "the next time of the same day")
        self.assertEqual(mine.guest_name, "Tess Taken")
        self.assertEqual(mine.note, "Please call first")
        self.assertEqual(mine.guest_phone, "+47 555 01")

    def test_seats_left_of_a_group_type(self):
        self.group_type.write(
            {
                "tz_display": "host",
                "date_range_mode": "range",
                "date_from": self.first_day,
                "date_to": self.first_day,
            }
        )
        self.book(self.group_type, datetime.combine(self.first_day, time(9, 0), OSLO))
        self.start_tour("/book/hanne/workshop#first=2&others=3", "crm_bookme_picker_seats", login=None)

    def test_field_error_next_to_the_field(self):
        self.start_tour("/book/hanne/consultation", "crm_bookme_picker_field_error", login=None)
        self.assertFalse(self.env["bookme.booking"].search([("guest_name", "=", "Fay Field")]))


@tagged("post_install", "-at_install")
class TestPickerMonths(HttpCase, BookmeCase):
    def test_month_paging(self):
        """Bookable from two months ahead: the first bookable day is chosen on load; the
        month before says it is empty and offers that day; months page with the buttons
        and PageUp, each month fetched as one range."""
        today = datetime.now(OSLO).date()
        month = today.replace(day=1)
        first = first_monday(month + relativedelta(months=2))
        m3 = month + relativedelta(months=3)
        m4 = month + relativedelta(months=4)
        m4_end = m4 + relativedelta(months=1) - timedelta(days=1)
        self.etype.write(
            {"tz_display": "host", "date_range_mode": "range", "date_from": first, "date_to": m4_end}
        )
        m5 = m4 + relativedelta(months=1)
        m5_end = m5 + relativedelta(months=1) - timedelta(days=1)
        params = f"first={first}&m3={m3:%Y-%m}&m4={m4:%Y-%m}&m5_from={m5}&m5_to={m5_end}"
        self.start_tour(f"/book/hanne/consultation#{params}", "crm_bookme_picker_months", login=None)


@tagged("post_install", "-at_install")
class TestPickerLanguages(PickerCase):
    def test_one_clock_per_language(self):
        """Times in the page's language, one convention per language: 24 hours in
        Norwegian, Italian, Hebrew and Estonian, the locale's 12 hours in English."""
        website = self.env["website"].get_current_website()
        for code in ("nb_NO", "it_IT", "he_IL", "et_EE"):
            self.env["res.lang"]._activate_lang(code)
            website.language_ids |= self.env["res.lang"]._lang_get(code)
        for code, clock in (
            ("en_US", "12"),
            ("nb_NO", "24"),
            ("it_IT", "24"),
            ("he_IL", "24"),
            ("et_EE", "24"),
        ):
            with self.subTest(lang=code):
                url_code = self.env["res.lang"]._get_data(code=code).url_code
                prefix = "" if code == "en_US" else f"/{url_code}"
                self.start_tour(
                    f"{prefix}/book/hanne/consultation#clock={clock}&lang={code[:2]}",
                    "crm_bookme_picker_clock",
                    login=None,
                )
