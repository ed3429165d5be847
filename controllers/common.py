"""Parsing and lookups shared by Book Me's public pages and JSON API.

Every public input goes through here and :mod:`.validation` (which checks each raw
value): a bad one raises :class:`BookmeError` with a stable code, a clear message and the
field at fault, and nothing has been written yet.
"""

import re
from zoneinfo import ZoneInfo

from odoo.fields import Domain
from odoo.http import request
from odoo.tools import consteq, email_normalize
from odoo.tools.misc import hmac

from .. import engine
from ..exceptions import BookmeError
from ..models.utils import ACTIVE_STATES
from . import validation
from .validation import (  # noqa: F401 (the names other controllers use)
    DEFAULT_WINDOW_DAYS,
    IDEMPOTENCY_RE,
    MAX_WINDOW_DAYS,
    bad,
    parse_date,
    parse_start,
    parse_text,
    parse_tz,
    parse_window,
    valid_zones,
)

PHONE_RE = re.compile(r"^[0-9+()./\s-]{3,64}$")
FORM_SCOPE = "crm_bookme.guest_form"


def parse_booking_input(data, etype):
    """Validate the guest's booking form / JSON body. Returns keyword arguments for
    ``bookme.booking._bookme_create``."""
    if not isinstance(data, dict):
        raise bad("invalid_json", request.env._("The request body must be a JSON object."))
    start = parse_start(data.get("start"))
    name = parse_text(data, "name", 128, required=True, label=request.env._("name"))
    email = validation.email(data.get("email"))
    if not email_normalize(email, strict=True):
        raise bad(
            "invalid_email",
            request.env._("'%(email)s' is not a valid email address.", email=email[:80]),
            "email",
        )
    phone = parse_text(data, "phone", 64)
    if phone and not PHONE_RE.match(phone):
        raise bad("invalid_phone", request.env._("Please enter a valid phone number."), "phone")
    note = parse_text(data, "note", 4000, multiline=True)
    tz = parse_tz(data.get("tz"), etype.user_id.tz)
    lang = validation.lang(data.get("lang"))
    key = validation.idempotency_key(data.get("idempotency_key"))
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
    locations = etype.location_ids  # etype: from find_type, in sudo
    if value is None or value == "":
        if len(locations) > 1:
            raise bad("missing_location", request.env._("Please choose where to meet."), "location_id")
        return locations[:1]
    try:
        loc_id = validation.record_id(value, "location_id")
    except BookmeError:
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
    token = validation.invite_token(token)
    if token is None:
        return None
    invite = request.env["bookme.invite"]._bookme_read(token, host)
    if not invite:
        raise validation.invalid_invite()
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


# What a public route reads of the host, fetched with the search (one query): the code
# that may lock its pages, its company (the company's code), its personal type and
# whether its pages are on (a type's _bookme_is_public).
HOST_FIELDS = ["bookme_secret_code", "company_id", "bookme_personal_type_id", "bookme_enabled"]


def find_host(host_slug):
    validation.slug(host_slug)
    # The secret-code check and the route itself both look the host up: once per request.
    found = request.httprequest.environ.setdefault("bookme.hosts", {})
    Users = request.env["res.users"].sudo()
    if host_slug not in found:
        found[host_slug] = Users.search_fetch(
            [("bookme_slug", "=", host_slug), ("bookme_enabled", "=", True)], HOST_FIELDS, limit=1
        ).id
    host = Users.browse(found[host_slug])
    if not host:
        raise bad("not_found", request.env._("This booking page does not exist."), status=404)
    return host


def find_type(host, type_slug):
    validation.slug(type_slug)
    Type = request.env["bookme.event.type"].sudo()
    if type_slug == "free":
        etype = host.bookme_personal_type_id
    else:
        # With what _bookme_is_public reads, in the same query.
        etype = Type.search_fetch(
            Type._bookme_public_domain()
            & Domain([("user_id", "=", host.id), ("slug", "=", type_slug), ("is_personal", "=", False)]),
            ["active", "is_published", "user_id"],
            limit=1,
        )
    if not etype or not etype._bookme_is_public():
        raise bad("not_found", request.env._("This booking page does not exist."), status=404)
    return etype


def find_booking(token):
    validation.booking_token(token)
    booking = request.env["bookme.booking"].sudo().search([("access_token", "=", token)], limit=1)
    if not booking:
        raise bad("not_found", request.env._("This booking does not exist."), status=404)
    return booking


def form_token(booking):
    """The token of the guest's cancel and reschedule forms of ``booking``: an HMAC (the
    database secret, scope :data:`FORM_SCOPE`) of the booking's access token. A form
    posted with it needs no session, so it works in a cross-site iframe, where browsers
    send no session cookie (SameSite=Lax); a page of another site cannot read it."""
    return hmac(booking.env, FORM_SCOPE, f"{booking.id}:{booking.access_token}")


def check_form_token(booking, token):
    """Whether a guest's form post carries ``booking``'s form token (or, for pages
    rendered before, the visitor's session CSRF token)."""
    if not validation.matches(token, validation.FORM_TOKEN_RE, 128):
        return False
    return consteq(token, form_token(booking)) or request.validate_csrf(token)


def booking_to_move(token, etype):
    """The guest's booking of ``etype`` that a reschedule page moves (``?booking=<token>``
    on slots), or ``None``. Its own time and buffers must not hide the times it may move
    to: the move is checked without it (``_bookme_reschedule``), and the host's Reschedule
    offers the same list."""
    if not validation.matches(token, validation.TOKEN_RE, 128):
        return None
    booking = (
        request.env["bookme.booking"]
        .sudo()
        .search(
            [("access_token", "=", token), ("event_type_id", "=", etype.id), ("state", "in", ACTIVE_STATES)],
            limit=1,
        )
    )
    return booking or None


def slots_payload(etype, date_from, date_to, tz, exclude_booking=None):
    """The slots API answer: days (in ``tz``) that have slots, each with its slots
    (``exclude_booking``: the booking being moved, see :func:`booking_to_move`)."""
    scheduler = request.env["bookme.scheduler"]
    start, end = scheduler._window_from_dates(date_from, date_to, tz)
    zone = ZoneInfo(tz)
    days = []
    for day, slots in engine.group_by_day(
        scheduler._slots(etype, start, end, exclude_booking=exclude_booking), tz
    ):
        days.append(
            {
                "date": day.isoformat(),
                "slots": [
                    {
                        "start": slot.start.astimezone(zone).isoformat(),
                        "end": slot.end.astimezone(zone).isoformat(),
                        "seats_left": slot.seats_left,
                    }
                    for slot in slots
                ],
            }
        )
    return {"timezone": tz, "days": days}
