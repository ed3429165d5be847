from odoo.tests import HttpCase, tagged

from .common import BookmeCase

# Quotes to break out of value="…", a script and an image with an onerror handler.
NAME = """O'Brien "<script>window.__bookme_xss=1</script>" <img src=x onerror="window.__bookme_xss=2">"""


@tagged("post_install", "-at_install")
class TestWidgetXss(HttpCase, BookmeCase):
    """A composer link pre-fills the booking form with a partner's name. A name full of
    quotes and HTML is shown as text, in the form and on the success page, and no script
    runs (the widget builds DOM nodes, never HTML strings)."""

    def test_prefilled_name_with_html_stays_text(self):
        partner = self.env["res.partner"].create({"name": NAME, "email": "obrien@example.com"})
        url = self.env["bookme.invite"]._bookme_url("/book/hanne/consultation", self.host, partner)

        self.start_tour(url, "crm_bookme_prefill_xss", login=None)

        booking = self.env["bookme.booking"].search([("guest_email", "=", "obrien@example.com")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.guest_name, NAME)
        self.assertEqual(booking.partner_id, partner, "the invited partner books as themselves")
