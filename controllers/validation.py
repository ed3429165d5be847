"""Input validation of every public Book Me route, in one place.

Each function takes a raw value from the URL, the query string, a form or a JSON body
and returns it checked and typed, or raises :class:`BookmeError` (a stable code, a clear
message, the field at fault) before anything touches the database:

- slugs and tokens have a character set and a length: anything else is "not found";
- text is ``str``, bounded, without control characters (NUL...) or lone surrogates
  (line breaks and tabs only where the field is multi-line);
- dates and times are ISO 8601 with years between :data:`MIN_YEAR` and
  :data:`MAX_YEAR`, times with their offset;
- ids are integers (not booleans, not floats) in PostgreSQL's range;
- the JSON API's POST bodies are ``application/json``, UTF-8, an object, at most
  :data:`MAX_BODY` bytes.
"""

import json
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytz

from odoo.http import request

from ..engine import email_address as email_rules
from ..exceptions import BookmeError
from ..models.utils import SLUG_RE

MIN_YEAR = 1901  # years outside 1900 < year < 2200 are refused: no booking lives there,
MAX_YEAR = 2199  # and Python's datetime overflows near year 1 and 9999
MAX_WINDOW_DAYS = 92
DEFAULT_WINDOW_DAYS = 31
MAX_BODY = 64 * 1024  # bytes of a JSON request body
MAX_ID = 2**31 - 1  # PostgreSQL integer
MAX_REASON = 2000  # characters of a cancellation reason

MAX_SLUG = 64
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")  # secrets.token_urlsafe
FORM_TOKEN_RE = re.compile(r"^[0-9a-z]{16,128}$")  # HMAC hex digest / Odoo's session CSRF token
INVITE_RE = re.compile(r"^[A-Za-z0-9_=-]{1,512}$")  # odoo.tools.misc.hash_sign, urlsafe base64
IDEMPOTENCY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[_@-][A-Za-z0-9@]{1,12})?$")
# Control characters (C0, DEL, C1): none in one-line text; multi-line text keeps \t \n \r.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ZONES = None


def bad(code, message, field=None, status=400):
    return BookmeError(code, message, field=field, status=status)


def _not_found(message=None):
    return bad("not_found", message or request.env._("This page does not exist."), status=404)


def valid_zones():
    """Zone names both Python's zoneinfo (the engine) and Odoo's time zone fields (pytz)
    know: zoneinfo alone also lists the system's ``localtime``, ``Factory`` and zones
    newer than pytz, which Odoo refuses when it stores the guest's zone."""
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) & frozenset(pytz.all_timezones)
    return _ZONES


# --- Text ------------------------------------------------------------------------------------


def is_clean(value, multiline=False):
    """Whether ``value`` is text PostgreSQL and every reader can take: no control
    character (but line breaks and tabs when ``multiline``) and no lone surrogate."""
    if not isinstance(value, str):
        return False
    if (_CONTROL_MULTILINE if multiline else _CONTROL).search(value):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. JSON "\ud800"
        return False
    return True


def text(value, field, max_len, required=False, label=None, multiline=False):
    """Free text of the guest (stripped; ``None`` when empty and not required)."""
    if value is None or value == "":
        if required:
            raise bad(
                "missing_" + field, request.env._("Please enter your %(label)s.", label=label or field), field
            )
        return None
    if not isinstance(value, str):
        raise bad("invalid_" + field, request.env._("'%(field)s' must be text.", field=field), field)
    if not is_clean(value, multiline=multiline):
        raise bad(
            "invalid_" + field,
            request.env._("'%(field)s' contains characters that are not allowed.", field=field),
            field,
        )
    value = value.strip()
    if required and not value:
        raise bad(
            "missing_" + field, request.env._("Please enter your %(label)s.", label=label or field), field
        )
    if len(value) > max_len:
        raise bad(
            "invalid_" + field,
            request.env._("'%(field)s' is too long (at most %(max)s characters).", field=field, max=max_len),
            field,
        )
    return value or None


def parse_text(data, field, max_len, required=False, label=None, multiline=False):
    """``text()`` of ``data[field]``."""
    return text(data.get(field), field, max_len, required=required, label=label, multiline=multiline)


def cancel_reason(value):
    """The reason a guest gives for cancelling (the page's form field and the API's
    ``reason``: one limit, one refusal for both)."""
    return text(value, "reason", MAX_REASON, multiline=True)


def matches(value, pattern, max_len):
    return isinstance(value, str) and len(value) <= max_len and bool(pattern.match(value))


def email(value, field="email"):
    """The guest's email address, stripped: required, and refused with a message saying
    what is wrong when it cannot be real (``jane@@example``, ``x@y``, ``name@gmail``...).
    The rules are :mod:`..engine.email_address`, the one definition of them."""
    value = text(value, field, email_rules.MAX_LENGTH, required=True, label=request.env._("email address"))
    problem = email_rules.email_problem(value)
    if problem is None:
        return value
    hints = {
        email_rules.SPACE: request.env._("an email address has no spaces"),
        email_rules.AT_SIGN: request.env._("an email address has exactly one @"),
        email_rules.NO_LOCAL: request.env._("the part before the @ is missing"),
        email_rules.BAD_LOCAL: request.env._(
            "the part before the @ contains characters that are not allowed"
        ),
        email_rules.DOTS: request.env._("it cannot start or end with a dot or have two dots in a row"),
        email_rules.NO_DOMAIN: request.env._("the domain is missing after the @"),
        email_rules.NO_DOT_IN_DOMAIN: request.env._(
            "the domain after the @ is incomplete (like example.com)"
        ),
        email_rules.BAD_DOMAIN: request.env._(
            "the domain after the @ contains characters that are not allowed"
        ),
        email_rules.BAD_TLD: request.env._("the domain must end like .com or .no"),
        email_rules.TOO_LONG: request.env._("it is too long"),
    }
    raise bad(
        "invalid_email",
        request.env._(
            "'%(email)s' is not a valid email address: %(hint)s. Please check it.",
            email=value[:80],
            hint=hints[problem],
        ),
        field,
    )


# --- Names in URLs: slugs and tokens ------------------------------------------------------


def slug(value):
    """A host's or a type's link name from the URL; anything else is not found."""
    if not matches(value, SLUG_RE, MAX_SLUG):
        raise _not_found(request.env._("This booking page does not exist."))
    return value


def booking_token(value):
    """A booking's access token from the URL; anything else is not found."""
    if not matches(value, TOKEN_RE, 128):
        raise _not_found(request.env._("This booking does not exist."))
    return value


def record_id(value, field):
    """A database id: an integer (or its decimal digits), not a boolean, within range."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise bad("invalid_" + field, request.env._("'%(field)s' must be an id.", field=field), field)
    return value


def idempotency_key(value):
    if value is None:
        return None
    if not matches(value, IDEMPOTENCY_RE, 128):
        raise bad(
            "invalid_idempotency_key",
            request.env._("Invalid idempotency key: use 1 to 128 letters, digits and '_.:-'."),
            "idempotency_key",
        )
    return value


def invite_token(value):
    """A composer link's token as sent (its signature is checked by bookme.invite);
    ``None`` without one."""
    if value is None or value == "":
        return None
    if not matches(value, INVITE_RE, 512):
        raise invalid_invite()
    return value


def secret_code(value):
    """A secret code as typed: ASCII text of at most 32 characters without control
    characters; anything else becomes "" (a wrong code, still counted as one)."""
    if isinstance(value, str) and len(value) <= 32 and value.isascii() and is_clean(value):
        return value
    return ""


def invalid_invite():
    return bad(
        "invalid_invite",
        request.env._(
            "This invitation link is not valid: it may have been altered or have expired. "
            "You can still book without it from the booking page."
        ),
        "invite",
    )


def lang(value):
    """A language code as sent by the page (``None`` when absent or not installed)."""
    value = text(value, "lang", 16)
    if value is None:
        return None
    if not LANG_RE.match(value):
        raise bad("invalid_lang", request.env._("'lang' must be a language code like en_US."), "lang")
    value = value.replace("-", "_")
    return value if value in dict(request.env["res.lang"].get_installed()) else None


# --- Time --------------------------------------------------------------------------------------


def _year_ok(year):
    return MIN_YEAR <= year <= MAX_YEAR


def parse_tz(value, default, field="tz"):
    """An IANA zone name (``default``, then UTC, when absent)."""
    if value is None or value == "":
        value = default or "UTC"
    if not isinstance(value, str) or not is_clean(value):
        raise bad(
            "invalid_tz",
            request.env._("'%(field)s' must be a time zone name like Europe/Oslo.", field=field),
            field,
        )
    tz = value.strip()
    if tz not in valid_zones():
        raise bad("invalid_tz", request.env._("Unknown time zone '%(tz)s'.", tz=tz[:64]), field)
    return tz


def parse_date(value, field):
    """A day ``YYYY-MM-DD`` within the years Book Me handles."""
    day = None
    if isinstance(value, str) and len(value) <= 10 and is_clean(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        raise bad(
            "invalid_date", request.env._("'%(field)s' must be a date like 2026-05-31.", field=field), field
        )
    if not _year_ok(day.year):
        raise bad(
            "invalid_date",
            request.env._(
                "'%(field)s' must be a year between %(min)s and %(max)s.",
                field=field,
                min=MIN_YEAR,
                max=MAX_YEAR,
            ),
            field,
        )
    return day


def parse_window(params, tz):
    """The ``from``/``to`` days of the slots API (days in ``tz``), checked."""
    today = datetime.now(ZoneInfo(tz)).date()
    date_from = parse_date(params["from"], "from") if params.get("from") else today
    date_to = (
        parse_date(params["to"], "to")
        if params.get("to")
        else min(date_from + timedelta(days=DEFAULT_WINDOW_DAYS - 1), date(MAX_YEAR, 12, 31))
    )
    if date_to < date_from:
        raise bad("invalid_window", request.env._("'to' must not be before 'from'."), "to")
    if (date_to - date_from).days + 1 > MAX_WINDOW_DAYS:
        raise bad(
            "window_too_long",
            request.env._("Ask for at most %(days)s days at once.", days=MAX_WINDOW_DAYS),
            "to",
        )
    return date_from, date_to


def parse_start(value, field="start"):
    """An aware ISO 8601 time (returned in UTC) within the years Book Me handles."""
    if value is None or value == "":
        raise bad("invalid_" + field, request.env._("Choose a time for your appointment."), field)
    start = None
    if isinstance(value, str) and len(value) <= 64 and is_clean(value):
        try:
            start = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            start = None
    if start is None or start.tzinfo is None or start.utcoffset() is None:
        raise bad(
            "invalid_" + field,
            request.env._(
                "'start' must be an ISO 8601 time with its offset, e.g. 2026-05-31T09:00:00+02:00."
            ),
            field,
        )
    if not _year_ok(start.year):  # before converting: year 1 or 9999 would overflow
        raise bad(
            "invalid_" + field,
            request.env._(
                "'start' must be in a year between %(min)s and %(max)s.", min=MIN_YEAR, max=MAX_YEAR
            ),
            field,
        )
    return start.astimezone(timezone.utc)


# --- Request bodies -----------------------------------------------------------------------------


def _reject_constant(name):
    raise ValueError(name)


def json_body():
    """The JSON object of an API POST, or the error object's reason: a body that is not
    ``application/json`` (so a cross-site form or ``text/plain`` request cannot act from a
    visitor's browser), too large, not UTF-8, not JSON or not an object."""
    httprequest = request.httprequest
    if httprequest.mimetype != "application/json":
        raise bad(
            "unsupported_media_type",
            request.env._("Send the request body as JSON, with the header 'Content-Type: application/json'."),
            status=415,
        )
    if (httprequest.content_length or 0) > MAX_BODY:
        raise bad("too_large", request.env._("The request body is too large."), status=413)
    raw = httprequest.get_data(cache=True)
    if len(raw) > MAX_BODY:
        raise bad("too_large", request.env._("The request body is too large."), status=413)
    try:
        data = json.loads(raw.decode("utf-8") or "{}", parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, NaN, absurd nesting
        raise bad("invalid_json", request.env._("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise bad("invalid_json", request.env._("The request body must be a JSON object."))
    return data
