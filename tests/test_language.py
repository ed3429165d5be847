from odoo.tests import HttpCase, tagged

from .common import BookmeCase


@tagged("post_install", "-at_install")
class TestPageLanguage(HttpCase, BookmeCase):
    """The booking page speaks the host's language by default and offers the website's
    languages; a visitor's own choice wins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nb_NO")
        cls.website = cls.env["website"].get_current_website()
        cls.website.language_ids |= cls.env["res.lang"]._lang_get("nb_NO")
        cls.host.lang = "nb_NO"
        cls.url_code = cls.env["res.lang"]._get_data(code="nb_NO").url_code

    def test_first_visit_gets_host_language(self):
        res = self.url_open("/book/hanne/consultation", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith(f"/{self.url_code}/book/hanne/consultation"))
        self.opener.cookies.clear()
        page = self.url_open("/book/hanne/consultation")  # a browser follows the redirect
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-lang="nb-NO"', page.text)
        self.assertIn('lang="nb-NO"', page.text)

    def test_query_string_kept(self):
        res = self.url_open("/book/hanne?embed=1", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith(f"/{self.url_code}/book/hanne?embed=1"))

    def test_visitor_choice_wins(self):
        self.opener.cookies.set("frontend_lang", "en_US")
        res = self.url_open("/book/hanne/consultation", allow_redirects=False)
        self.assertEqual(res.status_code, 200)
        self.assertIn('data-lang="en-US"', res.text)

    def test_host_language_not_on_website(self):
        self.host.lang = "en_US"
        self.website.language_ids -= self.env["res.lang"]._lang_get("nb_NO")
        res = self.url_open("/book/hanne/consultation", allow_redirects=False)
        self.assertEqual(res.status_code, 200)
