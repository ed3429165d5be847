from datetime import date, timedelta

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOnboardingTour(HttpCase):
    """A new salesperson switches Book Me on in their preferences: they see their page
    address and what to do next, and the page offers times without further setup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.newbie = new_test_user(
            cls.env,
            login="bookme_newbie",
            name="Nina Newbie",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )

    def test_enable_book_me_offers_times(self):
        self.assertFalse(self.newbie.bookme_enabled)
        self.start_tour("/odoo", "crm_bookme_enable_book_me", login="bookme_newbie")
        user = self.newbie
        self.assertTrue(user.bookme_enabled)
        self.assertEqual(user.bookme_slug, "nina-newbie")
        self.assertEqual(user.bookme_mode, "automatic", "the default: times from working hours")
        today = date.today()
        res = self.url_open(
            f"/book/api/v1/nina-newbie/free/slots?from={today}&to={today + timedelta(days=7)}&tz=Europe/Oslo"
        )
        self.assertEqual(res.status_code, 200)
        slots = [slot for day in res.json()["days"] for slot in day["slots"]]
        self.assertGreater(len(slots), 10, "the new page offers times at once")
        page = self.url_open("/book/nina-newbie")
        self.assertEqual(page.status_code, 200)
