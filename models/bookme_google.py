"""Google Calendar for Book Me: the HTTP client and the configuration.

Book Me writes the bookings of an event type to the Google calendar its host chose (any of
the host's calendars, in any of the host's connected Google accounts), which Odoo's own
``google_calendar`` sync cannot: that one writes to the user's primary calendar only. The
credentials are the OAuth client the administrator configured for Odoo's Google Calendar
(``google_calendar_client_id`` / ``google_calendar_client_secret``); ``google_calendar``
itself is not needed.
"""

import logging
from datetime import timedelta
from urllib.parse import quote, urlencode

from odoo import api, fields, models

from .http_client import HttpClient, OutsideCallError

_logger = logging.getLogger(__name__)

GOOGLE_API_URL = "https://www.googleapis.com/calendar/v3"
GOOGLE_OAUTH_URL = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GOOGLE_SCOPE = "https://www.googleapis.com/auth/calendar"
GOOGLE_TIMEOUT = 10  # seconds, for each HTTP call

PARAM_CLIENT = "google_calendar_client_id"
PARAM_SECRET = "google_calendar_client_secret"
PARAM_API_URL = "crm_bookme.google_api_url"
PARAM_OAUTH_URL = "crm_bookme.google_oauth_url"
PARAM_TOKEN_URL = "crm_bookme.google_token_url"


class GoogleError(OutsideCallError):
    """A Google call failed. ``kind``: ``config``, ``auth`` (token refused or revoked),
    ``connect``, ``timeout``, ``http``, ``answer``. ``detail`` never contains a secret."""


class GoogleClient(HttpClient):
    """Google's Calendar API (v3) and OAuth token endpoint. Plain Python, no database:
    the caller stores the tokens it hands back."""

    error_class = GoogleError
    timeout = GOOGLE_TIMEOUT

    def __init__(self, client_id, client_secret, api_url=GOOGLE_API_URL, token_url=GOOGLE_TOKEN_URL):
        if not (client_id and client_secret):
            raise GoogleError("config")
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_url = (api_url or GOOGLE_API_URL).rstrip("/")
        self.token_url = token_url or GOOGLE_TOKEN_URL

    def _call(self, method, url, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return super()._call(method, url, token=token, headers=headers, **kwargs)

    def _error_message(self, body):
        error = body.get("error")
        return (
            error.get("message") if isinstance(error, dict) else body.get("error_description") or error
        ) or ""

    def _error_kind(self, status):
        return "auth" if status == 401 else "http"

    # --- OAuth ---------------------------------------------------------------------------

    def _token_call(self, data):
        try:
            response = self._call(
                "POST",
                self.token_url,
                data={
                    **data,
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
        except GoogleError as exc:
            if exc.status in (400, 401):  # invalid_grant: revoked or expired refresh token
                raise GoogleError("auth", exc.detail, status=exc.status) from exc
            raise
        return self._json(response, "access_token")

    def exchange_code(self, code, redirect_uri):
        """The consent's ``code`` -> ``{access_token, refresh_token, expires_in}``."""
        return self._token_call(
            {"code": code, "redirect_uri": redirect_uri, "grant_type": "authorization_code"}
        )

    def refresh(self, refresh_token):
        """A new ``{access_token, expires_in}`` for ``refresh_token``."""
        if not refresh_token:
            raise GoogleError("auth", "no refresh token")
        return self._token_call({"refresh_token": refresh_token, "grant_type": "refresh_token"})

    # --- Calendar API ----------------------------------------------------------------------

    def _calendar_url(self, calendar_id, *rest):
        return "/".join([self.api_url, "calendars", quote(calendar_id, safe=""), *rest])

    def calendar_list(self, token):
        """Every calendar of the account (``items`` of ``calendarList``, all pages)."""
        items, page = [], None
        while True:
            params = {"minAccessRole": "writer", **({"pageToken": page} if page else {})}
            data = self._json(
                self._call("GET", f"{self.api_url}/users/me/calendarList", token=token, params=params)
            )
            items.extend(data.get("items") or [])
            page = data.get("nextPageToken")
            if not page:
                return items

    def insert_event(self, token, calendar_id, payload):
        response = self._call(
            "POST",
            self._calendar_url(calendar_id, "events"),
            token=token,
            params={"sendUpdates": "none"},
            json=payload,
        )
        return self._json(response, "id")

    def patch_event(self, token, calendar_id, event_id, payload):
        response = self._call(
            "PATCH",
            self._calendar_url(calendar_id, "events", quote(event_id)),
            token=token,
            params={"sendUpdates": "none"},
            json=payload,
        )
        return self._json(response, "id")

    def delete_event(self, token, calendar_id, event_id):
        """Delete an event; one Google no longer has (404, 410) counts as deleted."""
        try:
            self._call(
                "DELETE",
                self._calendar_url(calendar_id, "events", quote(event_id)),
                token=token,
                params={"sendUpdates": "none"},
            )
        except GoogleError as exc:
            if exc.status not in (404, 410):
                raise

    def free_busy(self, token, calendar_ids, time_min, time_max):
        """``{calendar id: [(start, end) ISO strings]}`` of busy time in the window."""
        data = self._json(
            self._call(
                "POST",
                f"{self.api_url}/freeBusy",
                token=token,
                json={
                    "timeMin": time_min,
                    "timeMax": time_max,
                    "items": [{"id": cid} for cid in calendar_ids],
                },
            )
        )
        result = {}
        for cid, entry in (data.get("calendars") or {}).items():
            if entry.get("errors"):
                raise GoogleError(
                    "answer", f"freeBusy errors for a calendar: {entry['errors'][0].get('reason', '')}"
                )
            result[cid] = [(b["start"], b["end"]) for b in entry.get("busy") or []]
        return result


class BookmeGoogle(models.AbstractModel):
    """The configured Google client, and sentences about Google failures for the host."""

    _name = "bookme.google"
    _description = "Book Me: Google Calendar"

    @api.model
    def _google_params(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return {
            "client_id": get(PARAM_CLIENT),
            "client_secret": get(PARAM_SECRET),
            "api_url": get(PARAM_API_URL) or GOOGLE_API_URL,
            "oauth_url": get(PARAM_OAUTH_URL) or GOOGLE_OAUTH_URL,
            "token_url": get(PARAM_TOKEN_URL) or GOOGLE_TOKEN_URL,
        }

    @api.model
    def _google_client(self):
        params = self._google_params()
        return GoogleClient(
            params["client_id"],
            params["client_secret"],
            api_url=params["api_url"],
            token_url=params["token_url"],
        )

    @api.model
    def _google_redirect_uri(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return f"{base.rstrip('/')}/bookme/google/callback"

    @api.model
    def _google_authorize_url(self, state):
        params = self._google_params()
        if not params["client_id"]:
            raise GoogleError("config")
        query = urlencode(
            {
                "response_type": "code",
                "client_id": params["client_id"],
                "scope": GOOGLE_SCOPE,
                "redirect_uri": self._google_redirect_uri(),
                "access_type": "offline",
                "prompt": "consent select_account",
                "state": state,
            }
        )
        return f"{params['oauth_url']}?{query}"

    @api.model
    def _google_expiry(self, expires_in):
        return fields.Datetime.now() + timedelta(seconds=int(expires_in or 3600))

    @api.model
    def _google_reason(self, error):
        """A sentence for the host about what went wrong (never a secret)."""
        if not isinstance(error, GoogleError):
            return self.env._("Unexpected error (%(error)s).", error=type(error).__name__)
        if error.kind == "config":
            return self.env._(
                "Google Calendar is not configured: an administrator must enter the Google "
                "Client ID and Client Secret (Settings > General Settings > Integrations > "
                "Google Calendar)."
            )
        if error.kind == "auth":
            return self.env._(
                "Google refused the connection (it was revoked or has expired). Connect the "
                "Google account again in Book Me > Google Accounts."
            )
        if error.kind == "timeout":
            return self.env._(
                "Google (%(host)s) did not answer within %(seconds)s seconds.",
                host=error.detail,
                seconds=GOOGLE_TIMEOUT,
            )
        if error.kind == "connect":
            return self.env._("Google could not be reached (%(host)s).", host=error.detail)
        if error.kind == "http":
            return self.env._(
                "Google answered with an error (HTTP %(status)s%(message)s).",
                status=error.status,
                message=f": {error.detail}" if error.detail else "",
            )
        return self.env._("Google sent an unexpected answer (%(detail)s).", detail=error.detail)
