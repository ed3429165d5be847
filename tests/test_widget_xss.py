import re
from pathlib import Path

from odoo.tests import BaseCase, HttpCase, tagged

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


# Ways to turn a string into markup in the browser.
HTML_SINKS = re.compile(
    r"\.(?:inner|outer)HTML\s*[+]?=|insertAdjacentHTML\s*\(|document\.write(?:ln)?\s*\(|"
    r"createContextualFragment\s*\(|\bmarkup\s*\(|parseFromString\s*\(|\bt-raw\b"
)


@tagged("post_install", "-at_install")
class TestNoHtmlStrings(BaseCase):
    """Book Me's browser code renders with DOM nodes (``textContent``, ``createElement``)
    or OWL/QWeb templates (``t-out`` escapes), never by parsing an HTML string: no
    ``innerHTML`` (or a relative of it) anywhere under ``static/src``."""

    def test_no_html_string_sinks_in_the_sources(self):
        root = Path(__file__).resolve().parents[1] / "static" / "src"
        sources = [path for path in root.rglob("*") if path.suffix in (".js", ".xml")]
        self.assertIn(root / "interactions" / "booking_widget.js", sources)
        found = [
            f"{path.relative_to(root)}:{number}: {line.strip()}"
            for path in sources
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if HTML_SINKS.search(line)
        ]
        self.assertEqual(found, [], "HTML built from strings")
