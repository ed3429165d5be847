"""Secret booking codes on the public side: the lock view in front of a host's pages, the
form that unlocks them, and the same check on the JSON API.

Everything about codes lives here, on top of the plain pages and API (which know nothing
of codes): the page and API routes are extended below and call their originals once the
visitor may see the host's times.

A visitor may when the host's pages are not locked (``bookme.code``), or they hold the
signed unlock cookie of that host for the code in force, or a valid composer invite of
the host, or (slots only, for rescheduling) the token of one of the host's bookings; on
the API also with the right code in the ``X-Bookme-Code`` header or the body's ``code``.
Wrong codes are counted per visitor address and per host in ``bookme.code.attempt``;
over the limit every attempt waits (429), the right code included.
"""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import psycopg2

from odoo import fields, http
from odoo.http import request

from ..exceptions import BookmeError
from ..models.bookme_throttle import client_network
from . import common, validation
from .api import BookmeApi, error_response, read_json_body
from .pages import BookmePages

_logger = logging.getLogger(__name__)

CODE_HEADER = "X-Bookme-Code"
COOKIE_PREFIX = "bookme_unlock_"


# --- Who is asking -------------------------------------------------------------------------


def visitor_address():
    """The visitor's address as counted: IPv4 as is, IPv6 by its /64 network (one
    machine commonly holds a whole /64); see :func:`..models.bookme_throttle.client_network`."""
    return client_network(request.httprequest.remote_addr)


def cookie_name(host):
    return f"{COOKIE_PREFIX}{host.id}"


def is_locked(host):
    return request.env["bookme.code"]._bookme_is_locked(host)


def has_unlock_cookie(host):
    token = request.httprequest.cookies.get(cookie_name(host))
    return bool(token) and request.env["bookme.code"]._bookme_token_unlocks(host, token)


def has_invite(host, token):
    """A valid composer invitation of ``host`` counts as the code for its recipient
    (checked as the pages and the API check it: :func:`common.parse_invite`)."""
    try:
        return bool(common.parse_invite(token or None, host))
    except BookmeError:
        return False


def has_booking(host, token):
    """The guest of one of ``host``'s bookings may see the host's times (to reschedule)."""
    if not validation.matches(token, validation.TOKEN_RE, 128):
        return False
    return bool(
        request.env["bookme.booking"]
        .sudo()
        .search_count([("access_token", "=", token), ("user_id", "=", host.id)], limit=1)
    )


def may_see(host, invite=None, booking=None):
    return (
        not is_locked(host)
        or has_unlock_cookie(host)
        or has_invite(host, invite)
        or has_booking(host, booking)
    )


# --- Trying a code -------------------------------------------------------------------------


def _wait_message(until):
    minutes = max(1, int((until - fields.Datetime.now()).total_seconds() + 59) // 60)
    return request.env._(
        "Too many wrong codes. Please wait %(minutes)s minutes and try again.", minutes=minutes
    )


def try_code(host, code):
    """Check ``code`` for ``host``. Returns None when it is right; otherwise the
    :class:`BookmeError` to answer (403 ``code_invalid``, 429 ``throttled`` with
    ``retry_after`` seconds). A wrong code is counted, and committed with the request."""
    code = validation.secret_code(code)
    Attempt = request.env["bookme.code.attempt"].sudo()
    address = visitor_address()
    until = Attempt._blocked_until(Attempt._keys(host, address))
    if until:
        error = common.bad("throttled", _wait_message(until), status=429)
        error.retry_after = max(1, int((until - fields.Datetime.now()).total_seconds()))
        return error
    if request.env["bookme.code"]._bookme_matches(host, code):
        return None
    Attempt._fail(host, address)
    return common.bad(
        "code_invalid",
        request.env._("This code is not right. Please check it and try again."),
        field="code",
        status=403,
    )


def refusal_response(error):
    response = error_response(error)
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def api_refusal(host, code=None, invite=None, booking=None):
    """None when the API request may go on; otherwise the error response."""
    if may_see(host, invite=invite, booking=booking):
        return None
    if code in (None, ""):
        return refusal_response(
            common.bad(
                "code_required",
                request.env._("This booking page is private: enter the secret code you were given."),
                field="code",
                status=403,
            )
        )
    if not isinstance(code, str):
        code = ""
    error = try_code(host, code)
    return refusal_response(error) if error else None


def readonly_unless_code(_controller, _rule, _args):
    """The slots route reads only, unless a code comes with it (a wrong one is counted)."""
    return not request.httprequest.headers.get(CODE_HEADER)


def safe_target(host, path, embed):
    """Where to go after the right code: a page of this host only (never another site)."""
    base = f"/book/{host.bookme_slug}"
    parts = urlsplit(path or "")
    target = parts.path if not parts.scheme and not parts.netloc else ""
    if target != base and not (target.startswith(base + "/") and target.count("/") == 3):
        target = base
    query = [q for q in (parts.query or "").split("&") if q.startswith("invite=")]
    if embed:
        query.insert(0, "embed=1")
    return f"{target}?{'&'.join(query)}" if query else target


def form_is_genuine(token):
    """The lock form came from our own page: Odoo's CSRF token of the session, or (inside a
    cross-site iframe, where the session cookie is not sent) the browser's own statement
    that the form was posted by a page of this site."""
    return request.validate_csrf(token) or request.httprequest.headers.get("Sec-Fetch-Site") == "same-origin"


# --- Routes --------------------------------------------------------------------------------


class BookmeLockedPages(BookmePages):
    """A locked host's pages first show the lock view."""

    def _bookme_lock_view(self, host, embed, path, error=None, status=200):
        response = self._render(
            "crm_bookme.lock_page",
            {
                "host": host,
                "error": error,
                "next": path,
            },
            embed=embed,
            status=status,
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def _bookme_locked(self, host_slug, embed, invite):
        host = self._or_404(common.find_host, host_slug)
        if may_see(host, invite=invite):
            return None
        return self._host_lang_redirect(host) or self._bookme_lock_view(host, embed, request.httprequest.path)

    @http.route()
    def host_page(self, host_slug, embed=None, invite=None, **kw):
        return self._bookme_locked(host_slug, embed, invite) or super().host_page(
            host_slug, embed=embed, invite=invite, **kw
        )

    @http.route()
    def type_page(self, host_slug, type_slug, embed=None, invite=None, **kw):
        # Locked: the same lock view for any type slug, so that it tells nothing of which
        # types exist.
        return self._bookme_locked(host_slug, embed, invite) or super().type_page(
            host_slug, type_slug, embed=embed, invite=invite, **kw
        )

    @http.route(
        "/book/<string:host_slug>/unlock",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
        csrf=False,
    )
    def unlock(self, host_slug, code=None, next=None, embed=None, csrf_token=None, **_kw):
        """The lock form. CSRF is checked here (see :func:`form_is_genuine`) rather than by
        Odoo, so that the form also works inside an iframe on another site."""
        host = self._or_404(common.find_host, host_slug)
        embed = bool(embed)
        target = safe_target(host, next, embed)
        if not is_locked(host):
            return request.redirect(target, code=303)
        if not form_is_genuine(csrf_token):
            return self._bookme_lock_view(
                host,
                embed,
                target,
                status=400,
                error=request.env._("This form has expired. Please enter the code again."),
            )
        error = try_code(host, code if isinstance(code, str) else "")
        if error:
            response = self._bookme_lock_view(
                host, embed, target, error=str(error.args[0]), status=error.status
            )
            if getattr(error, "retry_after", None):
                response.headers["Retry-After"] = str(error.retry_after)
            return response
        response = request.redirect(target, code=303)
        secure = request.httprequest.scheme == "https"
        days = request.env["bookme.code"]._bookme_unlock_days()
        response.set_cookie(
            cookie_name(host),
            request.env["bookme.code"]._bookme_unlock_token(host),
            max_age=days * 86400,
            expires=datetime.now() + timedelta(days=days),
            path="/book",
            httponly=True,
            secure=secure,
            samesite="None" if embed and secure else "Lax",
        )
        return response


class BookmeLockedApi(BookmeApi):
    """The API asks a locked host's code too, for slots and bookings alike."""

    def _bookme_api_guard(self, host_slug, code, invite=None, booking=None):
        try:
            host = common.find_host(host_slug)
            return api_refusal(host, code=code, invite=invite, booking=booking)
        except BookmeError as exc:
            return error_response(exc)
        except psycopg2.Error:
            raise  # Odoo retries the request
        except Exception:
            _logger.exception("Book Me API: unexpected error in the code check")
            return error_response(
                common.bad(
                    "server_error",
                    request.env._("Something went wrong on our side. Please try again."),
                    status=500,
                )
            )

    @http.route(readonly=readonly_unless_code)
    def slots(self, host_slug, type_slug, **params):
        refused = self._bookme_api_guard(
            host_slug,
            request.httprequest.headers.get(CODE_HEADER),
            invite=params.get("invite"),
            booking=params.get("booking"),
        )
        return refused or super().slots(host_slug, type_slug, **params)

    @http.route()
    def book(self, host_slug, type_slug, **kw):
        try:
            data = read_json_body()
        except BookmeError:
            data = {}
        code = request.httprequest.headers.get(CODE_HEADER) or data.get("code")
        refused = self._bookme_api_guard(host_slug, code, invite=data.get("invite"))
        return refused or super().book(host_slug, type_slug, **kw)
