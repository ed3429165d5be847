import re

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from .common import BookmeCase


@tagged("post_install", "-at_install")
class TestRightToLeft(HttpCase, BookmeCase):
    """A Hebrew booking page is laid out right to left: the page says ``dir="rtl"`` and
    its CSS is the mirrored bundle. Odoo mirrors the CSS with the ``rtlcss`` command
    (tools/run and tools/test install it into .local/node); without it Odoo logs "You
    need rtlcss" and serves the left-to-right CSS, which fails here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        he = cls.env["res.lang"]._activate_lang("he_IL")
        cls.env["website"].get_current_website().language_ids |= he
        cls.he = he.url_code
        cls.etype.description = "<p>A short talk about your project.</p>"

    def frontend_css(self, path):
        """The page at ``path`` and the text of its web.assets_frontend stylesheet."""
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        doc = lxml_html.fromstring(page.text)
        hrefs = [
            link.get("href")
            for link in doc.xpath("//link[@rel='stylesheet']")
            if "web.assets_frontend" in (link.get("href") or "")
        ]
        self.assertEqual(len(hrefs), 1, hrefs)
        css = self.url_open(hrefs[0])
        self.assertEqual(css.status_code, 200)
        return doc, hrefs[0], css.text

    @staticmethod
    def rule(css, selector):
        """The declarations of the first rule of ``css`` whose selector ends with
        ``selector``."""
        match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
        return match.group(1) if match else None

    def test_hebrew_page_is_mirrored(self):
        doc, href, css = self.frontend_css(f"/{self.he}/book/hanne/consultation")
        self.assertEqual((doc.get("lang"), doc.get("dir")), ("he-IL", "rtl"))
        self.assertIn(".rtl.", href, "the right-to-left bundle")
        self.assertTrue(doc.xpath("//div[contains(@class, 'o_bookme_description')]"))
        rule = self.rule(css, ".o_bookme_page .o_bookme_description")
        self.assertIsNotNone(rule, "bookme.scss is in the bundle")
        self.assertIn("border-right:", rule.replace(" ", ""), "mirrored by rtlcss")
        self.assertIn("padding-right:", rule.replace(" ", ""))
        self.assertNotIn("border-left", rule)
        # Bootstrap's own utilities are mirrored the same way.
        self.assertIn("margin-left", self.rule(css, ".me-2") or "")

    def test_english_page_is_not_mirrored(self):
        doc, href, css = self.frontend_css("/book/hanne/consultation")
        self.assertNotEqual(doc.get("dir"), "rtl")
        self.assertNotIn(".rtl.", href)
        rule = self.rule(css, ".o_bookme_page .o_bookme_description")
        self.assertIn("border-left:", rule.replace(" ", ""))
