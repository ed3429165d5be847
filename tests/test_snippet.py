from odoo.tests import HttpCase, tagged

from .common import BookmeCase


@tagged("post_install", "-at_install")
class TestEmbedding(HttpCase, BookmeCase):
    """The website block and ?embed=1 pages: chrome-less, framable where configured."""

    def test_snippet_page_renders_widget(self):
        self.etype.min_notice = 24 * 60
        website = self.env["website"].get_current_website()
        arch = f"""<t t-name="crm_bookme.snippet_test_page"><t t-call="website.layout">
            <div id="wrap"><section class="s_bookme" data-snippet="s_bookme" data-id="{self.etype.id}">
                <div class="container"><div class="s_bookme_frame o_not_editable"/></div>
            </section></div></t></t>"""
        self.env["website.page"].create(
            {
                "name": "Book with us",
                "url": "/book-with-us",
                "type": "qweb",
                "arch": arch,
                "key": "crm_bookme.snippet_test_page",
                "website_id": website.id,
                "is_published": True,
            }
        )
        self.start_tour("/book-with-us", "crm_bookme_booking_snippet", login=None)

    def test_embed_route_and_frame_ancestors(self):
        res = self.url_open(f"/book/embed/{self.etype.id}", allow_redirects=False)
        self.assertIn(res.status_code, (302, 303))
        self.assertTrue(res.headers["Location"].endswith("/book/hanne/consultation?embed=1"))
        self.assertEqual(self.url_open("/book/embed/999999").status_code, 404)
        self.etype.is_published = False
        self.assertEqual(self.url_open(f"/book/embed/{self.etype.id}").status_code, 404)
        self.etype.is_published = True

        embed = self.url_open("/book/hanne/consultation?embed=1")
        self.assertEqual(embed.status_code, 200)
        self.assertIn("o_bookme_embed", embed.text)
        self.assertNotIn('id="top"', embed.text, "no website header")
        self.assertNotIn('id="footer"', embed.text, "no website footer")
        self.assertEqual(embed.headers.get("Content-Security-Policy"), "frame-ancestors *")
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_bookme.frame_ancestors", "https://partner.example.com"
        )
        embed = self.url_open("/book/hanne/consultation?embed=1")
        self.assertEqual(
            embed.headers.get("Content-Security-Policy"), "frame-ancestors 'self' https://partner.example.com"
        )
        page = self.url_open("/book/hanne/consultation")
        self.assertEqual(page.headers.get("Content-Security-Policy"), "frame-ancestors 'self'")
        self.assertIn('id="top"', page.text)
        self.assertIn('id="footer"', page.text)

    def test_builder_option_bundle(self):
        """The Booking block's option plugin is part of the website builder's assets, and
        that bundle still builds (a syntax error would break the whole editor)."""
        res = self.url_open("/web/assets/debug/website.website_builder_assets.js")
        self.assertEqual(res.status_code, 200)
        self.assertIn("bookmeEventTypeAction", res.text)
        self.assertIn("crm_bookme.BookmeOption", res.text)
        self.assertNotIn("Could not get content", res.text)
