"""Property-based fuzzing of every public Book Me route, on a real Odoo server.

Thousands of malformed requests (wrong JSON types, huge and unicode strings, NUL, lone
surrogates, bad dates and zones, years 0001/9999, HTML/JS, SQL-ish text, wrong content
types, missing or foreign form tokens, replayed idempotency keys, foreign and tampered
tokens and invitations) go through HTTP to the test server. Each one must answer without
a 5xx, and a request that is refused (4xx) or only reads (GET) must leave bookings,
partners, leads, calendar events and queued emails exactly as they were.

Replay a run: ``BOOKME_FUZZ_SEED=<seed printed in the log>``; size it with
``BOOKME_FUZZ_EXAMPLES=<requests in total>`` (default 2,400).
"""

import json
import logging
import os
import random
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from zoneinfo import available_timezones

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.misc import hash_sign

from ..controllers.common import form_token
from ..exceptions import BookmeError
from ..models.bookme_invite import INVITE_SCOPE
from .common import BookmeCase

_logger = logging.getLogger(__name__)

FUZZ_SEED = int(os.environ.get("BOOKME_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
FUZZ_TOTAL = int(os.environ.get("BOOKME_FUZZ_EXAMPLES") or 2400)
# Share of the requests per kind (pages render the whole website layout: fewer of them).
SHARES = {
    "slots": 0.13,
    "book": 0.24,
    "guest_api": 0.11,
    "pages": 0.08,
    "urls": 0.12,
    "forms": 0.12,
    "replay": 0.10,
    "codes": 0.10,
}
API = "/book/api/v1"
SECRET_CODE = "4821"  # locks the "other" host's pages
# What a request can create or change: (table, columns that say what a row holds).
WATCHED = {
    "bookme_booking": "id, state, start, stop, partner_id, user_id, event_type_id, lead_id, "
    "calendar_event_id, guest_name, guest_email, note, cancel_reason",
    "res_partner": "id, name, email, active",
    "crm_lead": "id, name, partner_id, active",
    "calendar_event": "id, name, start, stop, active",
    "mail_mail": "id, state",
}


def fuzz_settings(kind):
    return settings(
        max_examples=max(1, int(FUZZ_TOTAL * SHARES[kind])),
        deadline=None,
        database=None,
        derandomize=False,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


class Ref:
    """A value known only at run time (a booking's token, a valid start...)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Ref({self.name!r})"


# --- Strategies ------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x07",
    "\x1b[31mred",
    "\t",
    "\n",
    "\r\n",
    "\u0085",
    "\u2028",
    "\u202egnirts",
    "\ufeff",
    "\ud800",
    "\udfff",
    "x\ud83d",
    "😀",
    "𝕏" * 40,
    "ß" * 200,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1",
    "'; DROP TABLE bookme_booking; --",
    "1; SELECT pg_sleep(5)",
    "%00",
    "%s%n",
    "{{7*7}}",
    "${7*7}",
    '<t t-out="1/0"/>',
    "../../../etc/passwd",
    "null",
    "true",
    "NaN",
    "-1",
    "0",
    "99999999999999999999",
    "\\",
    '"',
    "'",
    "free",
    "booking",
    "api",
    "embed",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(st.characters(categories=("Cc", "Cs", "Lo", "So", "Zs", "Mn", "Nd", "P")), max_size=30),
)
HUGE = st.sampled_from([300, 5000, 70_000]).map(lambda n: "x" * n)
# In URLs at most a few kB: past 64 kB Odoo's HTTP server drops the connection (414)
# before any route runs.
URL_HUGE = st.sampled_from([300, 5000]).map(lambda n: "x" * n)
ANY_TEXT = st.one_of(TEXT, TEXT, TEXT, HUGE)
URL_TEXT = st.one_of(TEXT, TEXT, TEXT, URL_HUGE)
JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_ANY = st.recursive(
    JSON_SCALAR,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=6,
)
YEARS = st.sampled_from([1, 999, 1899, 1900, 1901, 1970, 2025, 2026, 2027, 2030, 2199, 2200, 9999])
DATES = st.one_of(
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", YEARS, st.integers(0, 13), st.integers(0, 32)),
    st.dates().map(str),
    st.just(Ref("today")),
    TEXT,
)
OFFSETS = st.sampled_from(
    [
        "",
        "Z",
        "+00:00",
        "+01:00",
        "-05:00",
        "+05:00",
        "+14:00",
        "-12:00",
        "+24:00",
        "+23:59",
        "+01:00:30",
        "+0100",
        "+1",
    ]
)
STARTS = st.one_of(
    st.integers(0, 11).map(lambda i: Ref(f"start:{i}")),
    st.builds(
        lambda d, h, m, off: f"{d}T{h:02d}:{m:02d}:00{off}",
        st.dates().map(str) | YEARS.map(lambda y: f"{y:04d}-01-07"),
        st.integers(0, 25),
        st.sampled_from([0, 30, 59, 60]),
        OFFSETS,
    ),
    st.datetimes(timezones=st.timezones()).map(lambda dt: dt.isoformat()),
    TEXT,
    JSON_ANY,
)
ZONES = st.one_of(
    st.sampled_from(sorted(available_timezones())),
    st.sampled_from(
        [
            "",
            "Mars/Olympus",
            "Europe/Oslo\x00",
            "UTC",
            "utc",
            "localtime",
            "Factory",
            "../etc/passwd",
            "Etc/GMT+14",
            " Europe/Oslo ",
        ]
    ),
    TEXT,
)
EMAILS = st.one_of(
    st.sampled_from(
        [
            "gina@example.com",
            "GINA@Example.COM",
            " gina@example.com ",
            "mallory@example.com",
            "a@b",
            "@example.com",
            "a@@example.com",
            "gina@example.com\x00",
            '"quoted"@example.com',
            "ünï@exämple.com",
            "a" * 250 + "@example.com",
            "gina@example.com, eve@example.com",
            "<script>@example.com",
        ]
    ),
    st.emails().map(str),
    TEXT,
)


def routable(segment):
    """Whether a path segment can reach a Book Me route (werkzeug's ``string``
    converter: not empty, no slash); other paths get Odoo's own 404 or redirect."""
    return isinstance(segment, str) and segment not in ("", ".", "..") and "/" not in segment


def segments(strategy):
    """Path segments that reach a Book Me route (see :func:`routable`)."""
    return strategy.filter(lambda v: isinstance(v, Ref) or routable(v))


def mostly(good, bad, weight=4):
    """``good`` about ``weight`` times in ``weight + 1``: most requests get past the URL
    and reach the deeper checks; the rest fuzz the URL itself."""
    return st.one_of(*([good] * weight), bad)


SLUGS = segments(
    st.one_of(
        st.sampled_from(
            ["hanne", "other", "nobody", "Hanne", "hanne-", "-", "consultation", "workshop", "free"]
        ),
        TEXT,
        URL_HUGE,
    )
)
TOKENS = segments(
    st.one_of(
        st.sampled_from(
            [
                Ref("token:A"),
                Ref("token:B"),
                Ref("token:A-trunc"),
                Ref("token:A-upper"),
                Ref("token:A-long"),
                Ref("token:cancelled"),
            ]
        ),
        TEXT,
        URL_HUGE,
    )
)
INVITES = st.one_of(
    st.sampled_from(
        [
            Ref("invite:valid"),
            Ref("invite:other-host"),
            Ref("invite:tampered"),
            Ref("invite:truncated"),
            Ref("invite:expired"),
        ]
    ),
    TEXT,
    JSON_ANY,
)
CODES = st.one_of(
    st.sampled_from([SECRET_CODE, f" {SECRET_CODE} ", "0000", "48210", "", "é", "٤٨٢١", "4821\x00"]),
    TEXT,
    JSON_ANY,
)


FIELDS = {
    "start": STARTS,
    "name": ANY_TEXT,
    "email": EMAILS,
    "phone": st.one_of(st.sampled_from(["+47 22 33 44 55", "(0) 12-34", "call me"]), ANY_TEXT),
    "note": ANY_TEXT,
    "location_id": st.one_of(st.integers(-5, 2**40), st.sampled_from(["1", "01", "1.0", "x"])),
    "tz": ZONES,
    "lang": st.one_of(st.sampled_from(["en_US", "en-US", "fr_FR", "sr@latin", "xx_XX"]), TEXT),
    "idempotency_key": st.one_of(st.sampled_from(["k", "key-1", "a" * 129, "ключ"]), TEXT),
    "invite": INVITES,
}
CONTENT_TYPES = st.sampled_from(
    ["application/json"] * 16
    + [
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/json-patch+json",
        "text/html",
        None,
    ]
)
RAW_BODIES = st.one_of(
    st.binary(max_size=100),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[]",
            b"null",
            b"1",
            b'"x"',
            b"[" * 50_000,
            b'{"a":' * 20_000,
            b'{"start": NaN}',
            b'{"start": Infinity}',
            b'{"name": "\xff"}',
            b"\xef\xbb\xbf{}",
            '{"name": "x"}'.encode("utf-16"),
            b'{"name": "' + b"x" * 100_000 + b'"}',
            b'{"location_id": 1' + b"0" * 5000 + b"}",
            b'{"a": 1, "a": 2}',
        ]
    ),
)


GOOD = ("start", "name", "email", "tz", "reason")  # fields of the valid base body (setUp)


@st.composite
def json_bodies(draw, fields):
    """A valid body with one to three fields changed (a good value, a bad one, another
    JSON type, or left out), sometimes with an unknown key; or a raw body."""
    if draw(st.integers(0, 9)) == 0:
        return draw(RAW_BODIES)
    body = {field: Ref(f"good:{field}") for field in fields if field in GOOD}
    for field in draw(st.lists(st.sampled_from([*fields, "?"]), min_size=1, max_size=3, unique=True)):
        choice = draw(st.integers(0, 5))
        if field == "?":
            body[draw(TEXT)] = draw(JSON_ANY)
        elif choice == 0:
            body.pop(field, None)
        elif choice == 1:
            body[field] = draw(JSON_ANY)
        else:
            body[field] = draw(FIELDS.get(field, ANY_TEXT))
    return body


QUERY = st.dictionaries(
    st.sampled_from(["from", "to", "tz", "embed", "invite", "new", "moved", "debug", "x"]) | TEXT,
    st.one_of(
        DATES,
        ZONES,
        st.sampled_from(
            [Ref("invite:valid"), Ref("invite:other-host"), Ref("invite:tampered"), Ref("invite:expired")]
        ),
        TEXT,
        URL_HUGE,
    ),
    max_size=4,
)


def is_header_safe(value):
    """What ``requests`` lets through as a header value (printable ASCII, no padding)."""
    return value == value.strip() and all(32 <= ord(c) < 127 for c in value)


def _quote(value):
    if not isinstance(value, str):
        value = json.dumps(value)
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _form(data):
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in data.items()).encode()


@tagged("post_install", "-at_install")
class TestFuzzRoutes(HttpCase, BookmeCase):
    """Every public route, thousands of malformed requests: never a 5xx, and a refused
    request changes nothing."""

    requests_done = 0
    statuses = Counter()  # (test, status) -> requests: shows how deep the fuzz got

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _logger.info(
            "Book Me fuzz: seed %s (replay with BOOKME_FUZZ_SEED=%s), %s requests "
            "planned (BOOKME_FUZZ_EXAMPLES)",
            FUZZ_SEED,
            FUZZ_SEED,
            FUZZ_TOTAL,
        )
        cls.env["ir.config_parameter"].sudo().set_param("crm_bookme.booking_rate_limit", "0")
        cls.other_host = new_test_user(
            cls.env,
            login="bookme_other",
            name="Otto Other",
            email="otto@example.com",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )
        cls.other_host.write(
            {"bookme_enabled": True, "bookme_slug": "other", "bookme_secret_code": SECRET_CODE}
        )
        cls.other_host.resource_calendar_id = cls.calendar
        cls.env["bookme.event.type"].create(
            {
                "name": "Call",
                "slug": "call",
                "user_id": cls.other_host.id,
                "duration": 30,
                "increment": 30,
                "min_notice": 0,
            }
        )

    @classmethod
    def tearDownClass(cls):
        _logger.info(
            "Book Me fuzz: %s requests sent in total, seed %s; answers: %s",
            TestFuzzRoutes.requests_done,
            FUZZ_SEED,
            ", ".join(
                f"{test} {status}: {n}" for (test, status), n in sorted(TestFuzzRoutes.statuses.items())
            ),
        )
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        now = datetime.now(timezone.utc)
        free = self.starts(self.etype, now + timedelta(days=1), now + timedelta(days=21))
        self.assertGreater(len(free), 30, "the fuzz needs free slots")
        self.free = free
        self.refs = {"today": now.date().isoformat()}
        for i, start in enumerate(free[:12]):
            self.refs[f"start:{i}"] = start.isoformat()
        self.booking_a = self.book(
            self.etype, free[-1], email="gina@example.com", idempotency_key="replay-key"
        )
        self.booking_b = self.book(self.etype, free[-2], email="bob@example.com", name="Bob")
        cancelled = self.book(self.etype, free[-3], email="carl@example.com", name="Carl")
        cancelled.action_bookme_cancel()
        self.refs.update(
            {
                "token:B": self.booking_b.access_token,
                "token:cancelled": cancelled.access_token,
                "good:name": "Gina Guest",
                "good:tz": "Europe/Oslo",
                "good:reason": "Something came up",
                "invite:valid": self.env["bookme.invite"]._bookme_token(self.host),
                "invite:other-host": self.env["bookme.invite"]._bookme_token(self.other_host),
                "invite:expired": hash_sign(
                    self.env,
                    INVITE_SCOPE,
                    {"h": self.host.id, "p": 0, "m": "", "r": 0},
                    expiration=timedelta(days=-1),
                ),
            }
        )
        valid_invite = self.refs["invite:valid"]
        self.refs["invite:tampered"] = valid_invite[:-3] + ("AAA" if valid_invite[-3:] != "AAA" else "BBB")
        self.refs["invite:truncated"] = valid_invite[: len(valid_invite) // 2]
        self.set_target(self.booking_a)
        self.used = 0
        self.rotation = 0

    def set_target(self, booking):
        self.booking_a = booking
        token = booking.access_token
        self.refs.update(
            {
                "token:A": token,
                "token:A-trunc": token[:-1],
                "token:A-upper": token.upper(),
                "token:A-long": token + "x" * 100,
            }
        )

    def rearm_if_cancelled(self):
        """An accepted request cancelled a target booking: take new targets, so that the
        next requests still aim at live bookings."""
        if self.booking_b.state == "cancelled":
            self.booking_b = self.new_booking("bob@example.com")
            self.refs["token:B"] = self.booking_b.access_token
        if self.booking_a.state == "cancelled":
            self.set_target(self.new_booking("ann@example.com"))

    def new_booking(self, email):
        for start in reversed(self.free[12:-3]):
            try:
                with self.env.cr.savepoint():
                    return self.book(self.etype, start, email=email)
            except BookmeError:
                continue
        self.fail("the fuzz ran out of free slots")

    def resolve(self, value):
        if isinstance(value, Ref) and value.name == "good:start":
            # A new free time each time, so that valid-looking bookings get through to the
            # booking path (partner, lead, event, emails) with the fuzzed optional fields.
            self.rotation += 1
            return self.free[12 + self.rotation % (len(self.free) - 20)].isoformat()
        if isinstance(value, Ref) and value.name == "good:email":
            self.rotation += 1  # a new guest (a new partner) each time
            return f"guest{self.rotation}@example.com"
        if isinstance(value, Ref):
            return self.refs.get(value.name, value.name)
        if isinstance(value, dict):
            return {self.resolve(k) if isinstance(k, Ref) else k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def snapshot(self):
        self.env.flush_all()
        state = {}
        for table, columns in WATCHED.items():
            self.env.cr.execute(SQL("SELECT %s FROM %s ORDER BY id", SQL(columns), SQL.identifier(table)))
            state[table] = self.env.cr.fetchall()
        return state

    def send(self, method, path, query=None, body=None, content_type=None, encode="json", headers=None):
        """One request; returns the response after checking it is not a 5xx. A dict body
        is sent as JSON (whatever the content type: a cross-site ``text/plain`` post
        carries JSON text too), or form-encoded with ``encode="form"``."""
        url = path
        if query:
            url += "?" + "&".join(f"{_quote(k)}={_quote(self.resolve(v))}" for k, v in query.items())
        headers = dict(headers or {})
        if content_type:
            headers["Content-Type"] = content_type
        if isinstance(body, dict):
            body = self.resolve(body)
            body = json.dumps(body).encode() if encode == "json" else _form(body)
        started = time.monotonic()
        res = self.url_open(url, data=body, headers=headers, method=method, timeout=60, allow_redirects=False)
        TestFuzzRoutes.requests_done += 1
        TestFuzzRoutes.statuses[self._testMethodName.removeprefix("test_fuzz_"), res.status_code] += 1
        self.used += 1
        self.assertLess(
            res.status_code, 500, f"{method} {url[:300]} {body!r:.300}: {res.status_code} {res.text[:500]}"
        )
        if time.monotonic() - started > 10:
            _logger.warning(
                "Book Me fuzz: slow request (%.1fs) %s %s", time.monotonic() - started, method, url[:200]
            )
        return res

    def check(self, before, res, may_change):
        after = self.snapshot()
        if not may_change:
            for table in WATCHED:
                self.assertEqual(
                    after[table],
                    before[table],
                    f"{res.request.method} {res.request.url[:300]} answered "
                    f"{res.status_code} but changed {table}",
                )

    def path(self, *segments):
        """The URL path of ``segments``; ``self.routed`` says whether it can reach a Book
        Me route at all."""
        resolved = [self.resolve(s) for s in segments]
        self.routed = all(routable(s) for s in resolved)
        return "/" + "/".join(_quote(s) for s in resolved)

    def check_outside(self, before, res):
        """A path no Book Me route matches: Odoo's own answer, still no 5xx and no change."""
        self.assertIn(res.status_code, (301, 302, 303, 307, 308, 400, 404, 405))
        self.check(before, res, may_change=False)

    # --- The routes -----------------------------------------------------------------------
    # Each test keeps its URL valid and fuzzes one thing (query, body, form); test_fuzz_urls
    # fuzzes the URLs themselves.

    @seed(FUZZ_SEED)
    @fuzz_settings("slots")
    @given(
        host=st.sampled_from(["hanne"] * 4 + ["other"]),
        etype=st.sampled_from(["consultation", "workshop", "free"]),
        query=QUERY,
    )
    def test_fuzz_slots(self, host, etype, query):
        before = self.snapshot()
        res = self.send("GET", self.path("book", "api", "v1", host, etype, "slots"), query)
        # "other" is locked by a secret code: 403 code_required, unless the query carries a
        # valid invitation of that host (it counts as the code: README, "Secret booking codes")
        invited = getattr(query.get("invite"), "name", None) == "invite:other-host"
        open_ = host == "hanne" or invited
        self.assertIn(res.status_code, (200, 400, 404) if open_ else (403,), res.text[:300])
        self.assertIn("error" if res.status_code >= 400 else "days", res.json())
        self.check(before, res, may_change=False)

    @seed(FUZZ_SEED)
    @fuzz_settings("book")
    @given(
        etype=st.sampled_from(["consultation", "consultation", "workshop", "free"]),
        body=json_bodies(list(FIELDS)),
        content_type=CONTENT_TYPES,
    )
    def test_fuzz_book(self, etype, body, content_type):
        before = self.snapshot()
        res = self.send(
            "POST",
            self.path("book", "api", "v1", "hanne", etype, "bookings"),
            body=body,
            content_type=content_type,
        )
        self.assertIn(res.status_code, (201, 400, 409, 413, 415), res.text[:300])
        data = res.json()
        if res.status_code == 201:
            self.assertEqual(
                set(data["booking"]), {"token", "state", "start", "end", "manage_url", "email_sent"}
            )
            self.assertNotIn(
                data["booking"]["token"], (self.booking_a.access_token, self.booking_b.access_token)
            )
        else:
            self.assertEqual(set(data["error"]), {"code", "message", "field"})
        self.check(before, res, may_change=res.status_code == 201)

    @seed(FUZZ_SEED)
    @fuzz_settings("guest_api")
    @given(
        token=st.sampled_from([Ref("token:A"), Ref("token:B"), Ref("token:cancelled")]),
        action=st.sampled_from(["cancel", "reschedule"]),
        body=st.one_of(json_bodies(["reason"]), json_bodies(["start"])),
        content_type=CONTENT_TYPES,
    )
    def test_fuzz_guest_api(self, token, action, body, content_type):
        before = self.snapshot()
        res = self.send(
            "POST",
            self.path("book", "api", "v1", "bookings", token, action),
            body=body,
            content_type=content_type,
        )
        self.assertIn(res.status_code, (200, 400, 409, 413, 415), res.text[:300])
        self.assertIn("booking" if res.status_code == 200 else "error", res.json())
        self.check(before, res, may_change=res.status_code == 200)
        self.rearm_if_cancelled()

    @seed(FUZZ_SEED)
    @fuzz_settings("pages")
    @given(
        kind=st.sampled_from(["host", "type", "booking", "ics", "cancel", "reschedule", "embed", "avatar"]),
        token=st.sampled_from([Ref("token:A"), Ref("token:B"), Ref("token:cancelled")]),
        query=QUERY,
    )
    def test_fuzz_pages(self, kind, token, query):
        path = {
            "host": ("book", "hanne"),
            "type": ("book", "hanne", "consultation"),
            "booking": ("book", "booking", token),
            "ics": ("book", "booking", token, "ics"),
            "cancel": ("book", "booking", token, "cancel"),
            "reschedule": ("book", "booking", token, "reschedule"),
            "embed": ("book", "embed", str(self.etype.id)),
            "avatar": ("book", "hanne", "avatar"),
        }[kind]
        before = self.snapshot()
        res = self.send("GET", self.path(*path), query)
        self.assertIn(res.status_code, (200, 303), res.text[:300])
        self.assertNotIn("Traceback", res.text)
        self.check(before, res, may_change=False)

    @seed(FUZZ_SEED)
    @fuzz_settings("urls")
    @given(
        route=st.sampled_from(
            [
                "slots",
                "bookings",
                "cancel",
                "reschedule",
                "host",
                "type",
                "booking",
                "ics",
                "cancel_page",
                "reschedule_page",
                "cancel_form",
                "reschedule_form",
                "avatar",
                "embed",
            ]
        ),
        host=SLUGS,
        etype=SLUGS,
        token=TOKENS,
        type_id=st.one_of(st.integers(-1, 2**64), st.sampled_from(["0", "00", "1e3", "-0"])),
    )
    def test_fuzz_urls(self, route, host, etype, token, type_id):
        """Foreign, tampered and absurd slugs, tokens and ids in every route's URL, with an
        otherwise valid request: never found, never a change."""
        api = ("book", "api", "v1")
        method, path, body = {
            "slots": ("GET", (*api, host, etype, "slots"), None),
            "bookings": (
                "POST",
                (*api, host, etype, "bookings"),
                {"start": Ref("start:0"), "name": "Gina", "email": "gina@example.com"},
            ),
            "cancel": ("POST", (*api, "bookings", token, "cancel"), {}),
            "reschedule": ("POST", (*api, "bookings", token, "reschedule"), {"start": Ref("start:1")}),
            "host": ("GET", ("book", host), None),
            "type": ("GET", ("book", host, etype), None),
            "booking": ("GET", ("book", "booking", token), None),
            "ics": ("GET", ("book", "booking", token, "ics"), None),
            "cancel_page": ("GET", ("book", "booking", token, "cancel"), None),
            "reschedule_page": ("GET", ("book", "booking", token, "reschedule"), None),
            "cancel_form": ("POST", ("book", "booking", token, "cancel"), {"csrf_token": Ref("form:A")}),
            "reschedule_form": (
                "POST",
                ("book", "booking", token, "reschedule"),
                {"csrf_token": Ref("form:A"), "start": Ref("start:1")},
            ),
            "avatar": ("GET", ("book", host, "avatar"), None),
            "embed": ("GET", ("book", "embed", str(type_id)), None),
        }[route]
        self.refs["form:A"] = form_token_of(self.booking_a)
        host, etype, token = self.resolve(host), self.resolve(etype), self.resolve(token)
        hosts, types = ("hanne", "other"), ("consultation", "workshop", "free")
        tokens = (self.booking_a.access_token, self.booking_b.access_token, self.refs["token:cancelled"])
        found = {
            "slots": host in hosts and etype in types,
            "bookings": host in hosts and etype in types,
            "host": host in hosts,
            "avatar": host in hosts,
            "type": host in hosts and etype in types,
        }.get(route, token in tokens)
        form = route.endswith("_form")
        before = self.snapshot()
        res = self.send(
            method,
            self.path(*path),
            body=body,
            content_type=None
            if body is None
            else "application/x-www-form-urlencoded"
            if form
            else "application/json",
            encode="form" if form else "json",
        )
        if route == "embed":  # Odoo redirects ids that are not canonical (00, -0) itself
            self.assertIn(res.status_code, (301, 303, 404))
        elif not found and host == "other" and route in ("slots", "bookings", "type"):
            # A locked host's pages tell nothing of which types exist: the code comes first
            # (on the website's page, its canonical-URL redirect below may come before).
            self.assertIn(res.status_code, (200, 301, 403, 404), res.text[:300])
        elif (
            not found
            and method == "GET"
            and any("%" in str(v) or "+" in str(v) for v in (host, etype, token))
        ):
            # Odoo's website checks a page's canonical URL by unquoting its path once more:
            # "%00" or "+" in a slug gets a 301 before any Book Me code runs.
            self.assertIn(res.status_code, (301, 404), res.text[:300])
        elif not found:
            self.assertEqual(res.status_code, 404, res.text[:300])
        self.assertNotIn("Traceback", res.text)
        self.check(before, res, may_change=found and method == "POST" and res.status_code < 400)
        self.rearm_if_cancelled()

    @seed(FUZZ_SEED)
    @fuzz_settings("forms")
    @given(
        token=st.sampled_from([Ref("token:A"), Ref("token:B"), Ref("token:cancelled")]),
        action=st.sampled_from(["cancel", "reschedule"]),
        form_token=st.one_of(
            st.sampled_from([Ref("form:A"), Ref("form:B"), Ref("form:session"), None, ""]), TEXT, HUGE
        ),
        fields=st.dictionaries(
            st.sampled_from(["reason", "start", "embed"]) | TEXT,
            st.one_of(STARTS.filter(lambda v: isinstance(v, str | Ref)), ANY_TEXT),
            max_size=3,
        ),
        content_type=st.sampled_from(
            ["application/x-www-form-urlencoded"] * 4 + ["application/json", "text/plain", None]
        ),
    )
    def test_fuzz_guest_forms(self, token, action, form_token, fields, content_type):
        """The guest's own forms: missing, foreign (another booking's), stale-session and
        garbage form tokens, and bad fields; only the booking's own token is accepted."""
        self.refs["form:A"] = form_token_of(self.booking_a)
        self.refs["form:B"] = form_token_of(self.booking_b)
        self.refs["form:session"] = self.session_csrf()
        data = dict(fields)
        if form_token is not None:
            data["csrf_token"] = form_token
        before = self.snapshot()
        res = self.send(
            "POST",
            self.path("book", "booking", token, action),
            body=data,
            content_type=content_type,
            encode="json" if content_type == "application/json" else "form",
        )
        self.assertIn(res.status_code, (200, 303, 400, 409), res.text[:300])
        self.assertNotIn("Traceback", res.text)
        resolved_token = self.resolve(token)
        own = {self.booking_a.access_token: "form:A", self.booking_b.access_token: "form:B"}
        if res.status_code in (200, 303):
            self.assertEqual(
                own.get(resolved_token),
                getattr(form_token, "name", None),
                "only the booking's own form token is accepted",
            )
        self.check(before, res, may_change=res.status_code in (200, 303))
        self.rearm_if_cancelled()

    @seed(FUZZ_SEED)
    @fuzz_settings("codes")
    @given(
        route=st.sampled_from(["slots", "bookings", "unlock", "page"]),
        code=CODES,
        in_header=st.booleans(),
        nxt=st.one_of(
            st.sampled_from(
                [
                    "/book/other",
                    "/book/other/call",
                    "//evil.example.com",
                    "https://evil.example.com",
                    "/book/other/../../web",
                    "/book/hanne",
                    "javascript:alert(1)",
                ]
            ),
            URL_TEXT,
        ),
        csrf=st.sampled_from([None, "", "session", "garbage"]),
        embed=st.booleans(),
    )
    def test_fuzz_secret_codes(self, route, code, in_header, nxt, csrf, embed):
        """A host locked by a secret code: wrong, odd and well-formed codes in the header,
        the body and the lock form, hostile 'next' targets, missing form tokens."""
        header_ok = isinstance(code, str) and code.isascii() and is_header_safe(code)
        headers = {"X-Bookme-Code": code} if in_header and header_ok else {}
        # Each example starts with no wrong codes counted (past the limit all are 429).
        self.env["bookme.code.attempt"].sudo().search([]).unlink()
        before = self.snapshot()
        if route == "slots":
            res = self.send("GET", f"{API}/other/call/slots", headers=headers)
            self.assertIn(res.status_code, (200, 400, 403, 429), res.text[:300])
            self.assertIn("days" if res.status_code == 200 else "error", res.json())
        elif route == "bookings":
            body = {"start": Ref("good:start"), "name": "Gina", "email": Ref("good:email")}
            if not headers:
                body["code"] = code
            res = self.send(
                "POST",
                f"{API}/other/call/bookings",
                body=body,
                content_type="application/json",
                headers=headers,
            )
            self.assertIn(res.status_code, (201, 400, 403, 409, 429), res.text[:300])
            self.assertIn("booking" if res.status_code == 201 else "error", res.json())
        elif route == "unlock":
            data = {"code": code if isinstance(code, str) else json.dumps(code), "next": nxt}
            if csrf is not None:
                data["csrf_token"] = self.lock_form_csrf() if csrf == "session" else csrf
            if embed:
                data["embed"] = "1"
            res = self.send(
                "POST",
                "/book/other/unlock",
                body=data,
                content_type="application/x-www-form-urlencoded",
                encode="form",
            )
            self.assertIn(res.status_code, (200, 303, 400, 403, 429), res.text[:300])
            if res.status_code == 303:
                location = res.headers["Location"]
                self.assertTrue(
                    location.startswith(("/book/other", self.base_url() + "/book/other")), location
                )
        else:
            res = self.send("GET", "/book/other/call", {"embed": "1"} if embed else None)
            self.assertIn(res.status_code, (200, 303), res.text[:300])
        self.assertNotIn("Traceback", res.text)
        self.check(before, res, may_change=res.status_code == 201)
        self.opener.cookies.clear()  # an unlock cookie would open the pages for good

    def lock_form_csrf(self):
        """The CSRF token of the lock form, as this visitor's session renders it."""
        page = self.url_open("/book/other")
        marker = 'name="csrf_token" value="'
        self.assertIn(marker, page.text)
        return page.text.split(marker, 1)[1].split('"', 1)[0]

    def session_csrf(self):
        """A session CSRF token of another visitor's session (not the test's)."""
        if "session_csrf" not in self.refs:
            page = self.url_open(f"/book/booking/{self.booking_b.access_token}")
            marker = 'csrf_token: "'
            self.refs["session_csrf"] = page.text.split(marker, 1)[1].split('"', 1)[0]
            self.opener.cookies.pop("session_id", None)
        return self.refs["session_csrf"]

    @seed(FUZZ_SEED)
    @fuzz_settings("replay")
    @given(
        key=st.sampled_from(["replay-key"] * 4 + ["REPLAY-KEY", "replay-key ", "other-key"]),
        email=st.sampled_from(
            [
                "gina@example.com",
                "GINA@Example.COM",
                " gina@example.com ",
                "mallory@example.com",
                "gina@example.org",
                "gina@example.com\x00",
                "not an email",
            ]
        ),
        start=st.sampled_from(
            [
                Ref("a:start"),
                Ref("a:start-utc"),
                Ref("start:0"),
                Ref("start:1"),
                Ref("a:start+1s"),
                "0001-01-01T00:00:00+05:00",
            ]
        ),
        name=st.sampled_from(["Gina Guest", "Mallory", "<script>alert(1)</script>", "", "\x00"]),
        etype=st.sampled_from(["consultation"] * 3 + ["workshop"]),
    )
    def test_fuzz_idempotency_replay(self, key, email, start, name, etype):
        """A replayed key answers the first booking only to the same request; nobody else
        ever gets its token."""
        first = self.booking_a
        first_start = first.start.replace(tzinfo=timezone.utc)
        self.refs["a:start"] = first_start.astimezone(timezone(timedelta(hours=1))).isoformat()
        self.refs["a:start-utc"] = first_start.isoformat()
        self.refs["a:start+1s"] = (first_start + timedelta(seconds=1)).isoformat()
        body = {"start": start, "name": name, "email": email, "idempotency_key": key}
        before = self.snapshot()
        res = self.send("POST", f"{API}/hanne/{etype}/bookings", body=body, content_type="application/json")
        data = res.json()
        same_request = (
            key == "replay-key"
            and etype == "consultation"
            and getattr(start, "name", None) in ("a:start", "a:start-utc")
            and email.strip().lower() == "gina@example.com"
            and name in ("Gina Guest", "Mallory", "<script>alert(1)</script>")
        )
        if same_request:
            self.assertEqual(res.status_code, 201, data)
            self.assertEqual(data["booking"]["token"], first.access_token)
        else:
            self.assertNotIn(first.access_token, res.text)
            if key == "replay-key" and etype == "consultation":
                self.assertIn(res.status_code, (400, 409), data)
                if res.status_code == 409:
                    self.assertEqual(data["error"]["code"], "idempotency_conflict")
        self.check(before, res, may_change=res.status_code == 201 and not same_request)


def form_token_of(booking):
    """The booking's guest form token, as its pages render it."""
    return form_token(booking)
