"""Small rules and helpers shared by Book Me's models, wizards and controllers, each
defined once here (plain Python: no model, no record).

- times: Odoo stores naive UTC datetimes, the engine takes aware ones (:func:`as_utc`,
  the engine's, and :func:`as_naive`); which booking states hold a slot
  (:data:`ACTIVE_STATES`);
- link names: their shape (:data:`SLUG_RE`, :func:`slugify`), the names Book Me's own
  routes use (:data:`RESERVED_SLUGS`) and the first free one (:func:`free_slug`).
"""

import re
import unicodedata

# Naive datetimes are UTC for the engine as for Odoo: the engine's own conversion.
from ..engine.localtime import UTC, as_utc  # noqa: F401 (Book Me's models import it from here)

# The layout Book Me's emails are wrapped in (data/mail_templates.xml): it gives them the
# text direction of their language (dir="rtl" for Hebrew).
MAIL_LAYOUT = "crm_bookme.mail_layout"

# Bookings in these states may hold a slot ('requested' only while its type says so).
ACTIVE_STATES = ("requested", "confirmed")


def as_naive(value):
    """Aware datetime -> Odoo's naive UTC datetime."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# --- Link names (``/book/<host>/<type>``) -----------------------------------------------------

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words of Book Me's own routes (/book/booking/<token>, /book/embed/<id>, /book/api/v1,
# /book/<host>/avatar, /book/<host>/unlock, /book/<host>/free): no host and no event type
# may take them as link name.
RESERVED_SLUGS = frozenset({"api", "avatar", "booking", "embed", "free", "unlock"})

# Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)


def slugify(text):
    """ASCII, lower-case, dash-separated: 'Åse Ødegård' -> 'ase-odegard'."""
    text = (text or "").translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def free_slug(base, taken):
    """``base``, or ``base-2``, ``base-3``... : the first that is neither in ``taken`` nor
    reserved."""
    taken = set(taken) | RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
