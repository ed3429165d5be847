"""Parsing and lookups shared by Book Me's public pages and JSON API.

Every public input goes through here: a bad one raises :class:`BookmeError` with a
stable code, a clear message and the field at fault, and nothing has been written yet.
"""

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from odoo.http import request
from odoo.tools import email_normalize

from ..exceptions import BookmeError

MAX_WINDOW_DAYS = 92
DEFAULT_WINDOW_DAYS = 31
_ZONES = None
IDEMPOTENCY_RE = re.compile(r"^[\w.:-]{1,128}$")


def valid_zones():
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def bad(code, message, field=None, status=400):
    return BookmeError(code, message, field=field, status=status)


def parse_tz(value, default):
    tz = (value or default or "UTC").strip()
    if tz not in valid_zones():
        raise bad("invalid_tz", request.env._("Unknown time zone '%(tz)s'.", tz=tz[:64]), "tz")
    return tz


def parse_date(value, field):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise bad(
            "invalid_date", request.env._("'%(field)s' must be a date like 2026-05-31.", field=field), field
        ) from None


def parse_window(params, tz):
    """The ``from``/``to`` days of the slots API (days in ``tz``), checked."""
    today = datetime.now(ZoneInfo(tz)).date()
    date_from = parse_date(params["from"], "from") if params.get("from") else today
    date_to = (
        parse_date(params["to"], "to")
        if params.get("to")
        else date_from + timedelta(days=DEFAULT_WINDOW_DAYS - 1)
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


def parse_start(value):
    if not isinstance(value, str):
        raise bad("invalid_start", request.env._("Choose a time for your appointment."), "start")
    try:
        start = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        start = None
    if start is None or start.tzinfo is None:
        raise bad(
            "invalid_start",
            request.env._(
                "'start' must be an ISO 8601 time with its offset, e.g. 2026-05-31T09:00:00+02:00."
            ),
            "start",
        )
    return start.astimezone(timezone.utc)


def parse_text(data, field, max_len, required=False, label=None):
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise bad(
                "missing_" + field, request.env._("Please enter your %(label)s.", label=label or field), field
            )
        return None
    if not isinstance(value, str):
        raise bad("invalid_" + field, request.env._("'%(field)s' must be text.", field=field), field)
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


def parse_booking_input(data, etype):
    """Validate the guest's booking form / JSON body. Returns keyword arguments for
    ``bookme.booking._bookme_create``."""
    if not isinstance(data, dict):
        raise bad("invalid_json", request.env._("The request body must be a JSON object."))
    start = parse_start(data.get("start"))
    name = parse_text(data, "name", 128, required=True, label=request.env._("name"))
    email = parse_text(data, "email", 254, required=True, label=request.env._("email address"))
    if not email_normalize(email or "", strict=True):
        raise bad(
            "invalid_email",
            request.env._("'%(email)s' is not a valid email address.", email=email[:80]),
            "email",
        )
    phone = parse_text(data, "phone", 64)
    if phone and not re.match(r"^[0-9+()./\s-]{3,64}$", phone):
        raise bad("invalid_phone", request.env._("Please enter a valid phone number."), "phone")
    note = parse_text(data, "note", 4000)
    tz = parse_tz(data.get("tz"), etype.user_id.tz)
    lang = parse_text(data, "lang", 16)
    if lang and lang not in dict(request.env["res.lang"].get_installed()):
        lang = None
    key = data.get("idempotency_key")
    if key is not None and (not isinstance(key, str) or not IDEMPOTENCY_RE.match(key)):
        raise bad("invalid_idempotency_key", request.env._("Invalid idempotency key."), "idempotency_key")
    location = parse_location(data.get("location_id"), etype)
    return {
        "start": start,
        "name": name,
        "email": email,
        "phone": phone,
        "note": note,
        "guest_tz": tz,
        "lang": lang,
        "idempotency_key": key,
        "location": location,
    }


def parse_location(value, etype):
    locations = etype.sudo().location_ids
    if value in (None, "", False):
        if len(locations) > 1:
            raise bad("missing_location", request.env._("Please choose where to meet."), "location_id")
        return locations[:1]
    try:
        loc_id = int(value)
    except (TypeError, ValueError):
        loc_id = 0
    location = locations.filtered(lambda loc: loc.id == loc_id)
    if not location:
        raise bad(
            "invalid_location", request.env._("Please choose one of the offered locations."), "location_id"
        )
    return location


def parse_invite(token, host):
    """The verified personal invitation of a booking request (``None`` without one). A
    token that is not genuine, has expired or belongs to another host is refused."""
    if token is None or token == "":
        return None
    invite = request.env["bookme.invite"]._bookme_read(token, host)
    if not invite:
        raise bad(
            "invalid_invite",
            request.env._(
                "This invitation link is not valid: it may have been altered or have expired. "
                "You can still book without it from the booking page."
            ),
            "invite",
        )
    return invite


def invite_page_values(token, host):
    """Render values of a booking page opened with ``?invite=``: the pre-filled name and
    email and the token for the widget, or a warning when the link is not valid."""
    try:
        invite = parse_invite(token or None, host)
    except BookmeError as exc:
        return {"invite_error": str(exc.args[0])}
    if not invite:
        return {}
    name, email = request.env["bookme.invite"]._bookme_prefill(invite)
    return {"invite": invite.token, "prefill_name": name, "prefill_email": email}


def find_host(host_slug):
    host = (
        request.env["res.users"]
        .sudo()
        .search([("bookme_slug", "=", host_slug), ("bookme_enabled", "=", True)], limit=1)
    )
    if not host:
        raise bad("not_found", request.env._("This booking page does not exist."), status=404)
    return host


def find_type(host, type_slug):
    if type_slug == "free":
        etype = host.bookme_personal_type_id
    else:
        etype = (
            request.env["bookme.event.type"]
            .sudo()
            .search(
                [
                    ("user_id", "=", host.id),
                    ("slug", "=", type_slug),
                    ("is_personal", "=", False),
                    ("is_published", "=", True),
                ],
                limit=1,
            )
        )
    if not etype or not etype.active:
        raise bad("not_found", request.env._("This booking page does not exist."), status=404)
    return etype


def find_booking(token):
    booking = (
        request.env["bookme.booking"].sudo().search([("access_token", "=", token or "")], limit=1)
        if token and len(token) <= 128
        else None
    )
    if not booking:
        raise bad("not_found", request.env._("This booking does not exist."), status=404)
    return booking


def slots_payload(etype, date_from, date_to, tz):
    """The slots API answer: days (in ``tz``) that have slots, each with its slots."""
    scheduler = request.env["bookme.scheduler"]
    start, end = scheduler._window_from_dates(date_from, date_to, tz)
    zone = ZoneInfo(tz)
    days = {}
    for slot in scheduler._slots(etype, start, end):
        local = slot.start.astimezone(zone)
        days.setdefault(local.date().isoformat(), []).append(
            {
                "start": local.isoformat(),
                "end": slot.end.astimezone(zone).isoformat(),
                "seats_left": slot.seats_left,
            }
        )
    return {
        "timezone": tz,
        "days": [{"date": day, "slots": slots} for day, slots in sorted(days.items())],
    }
