import logging

from odoo import api, models
from odoo.tools import html2plaintext

from .http_client import HttpClient, OutsideCallError

_logger = logging.getLogger(__name__)

ZOOM_API_URL = "https://api.zoom.us/v2"
ZOOM_OAUTH_URL = "https://zoom.us/oauth/token"
ZOOM_TIMEOUT = 10  # seconds, for each HTTP call
ORPHANS_KEY = "crm_bookme.zoom_orphans"

PARAM_ACCOUNT = "crm_bookme.zoom_account_id"
PARAM_CLIENT = "crm_bookme.zoom_client_id"
PARAM_SECRET = "crm_bookme.zoom_client_secret"
PARAM_API_URL = "crm_bookme.zoom_api_url"
PARAM_OAUTH_URL = "crm_bookme.zoom_oauth_url"


class ZoomError(OutsideCallError):
    """A Zoom call failed. ``kind`` says how (``config``, ``connect``, ``timeout``, ``http``,
    ``answer``); ``detail`` is technical, in English, and never contains a secret."""


class ZoomClient(HttpClient):
    """Zoom's REST API with Server-to-Server OAuth credentials. Plain Python (no database),
    so it can also run after a rollback."""

    error_class = ZoomError
    timeout = ZOOM_TIMEOUT

    def __init__(self, account_id, client_id, client_secret, api_url=ZOOM_API_URL, oauth_url=ZOOM_OAUTH_URL):
        if not (account_id and client_id and client_secret):
            raise ZoomError("config")
        self.account_id = account_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_url = (api_url or ZOOM_API_URL).rstrip("/")
        self.oauth_url = oauth_url or ZOOM_OAUTH_URL

    def _error_message(self, body):
        return body.get("message") or body.get("reason") or body.get("error") or ""

    def token(self):
        """A fresh access token (account credentials grant)."""
        response = self._call(
            "POST",
            self.oauth_url,
            params={"grant_type": "account_credentials", "account_id": self.account_id},
            auth=(self.client_id, self.client_secret),
        )
        return self._json(response, "access_token")["access_token"]

    def create_meeting(self, payload):
        """Create a meeting for the credentials' user; returns Zoom's answer (``id``,
        ``join_url``, ...)."""
        token = self.token()
        response = self._call(
            "POST",
            f"{self.api_url}/users/me/meetings",
            token=token,
            json=payload,
            headers={"Authorization": f"Bearer {token}"},
        )
        return self._json(response, "id", "join_url")

    def delete_meeting(self, meeting_id):
        """Delete a meeting. One that Zoom no longer knows counts as deleted."""
        token = self.token()
        try:
            self._call(
                "DELETE",
                f"{self.api_url}/meetings/{meeting_id}",
                token=token,
                headers={"Authorization": f"Bearer {token}"},
            )
        except ZoomError as exc:
            if exc.status != 404:
                raise
            _logger.info("Book Me: Zoom meeting %s was already gone", meeting_id)


def delete_orphans(orphans):
    """Delete the meetings created by a transaction that was rolled back (runs after the
    rollback, without the database). Never raises."""
    while orphans:
        client, meeting_id = orphans.pop()
        try:
            client.delete_meeting(meeting_id)
        except Exception as exc:  # a rollback hook must not raise
            _logger.warning(
                "Book Me: Zoom meeting %s of a rolled back booking not deleted: %s", meeting_id, exc
            )


class BookmeZoom(models.AbstractModel):
    """Zoom meetings for Book Me's Zoom locations, with the credentials of the Settings."""

    _name = "bookme.zoom"
    _description = "Book Me: Zoom meetings"

    @api.model
    def _zoom_client(self):
        """The client configured in Settings, or :class:`ZoomError` (``config``)."""
        get = self.env["ir.config_parameter"].sudo().get_param
        return ZoomClient(
            get(PARAM_ACCOUNT),
            get(PARAM_CLIENT),
            get(PARAM_SECRET),
            api_url=get(PARAM_API_URL, ZOOM_API_URL),
            oauth_url=get(PARAM_OAUTH_URL, ZOOM_OAUTH_URL),
        )

    @api.model
    def _zoom_meeting_payload(self, event, agenda=None):
        duration = int((event.stop - event.start).total_seconds() // 60)
        payload = {
            "topic": (event.name or "")[:200],
            "type": 2,  # scheduled
            "start_time": event.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration": duration,
            "timezone": "UTC",
        }
        agenda = html2plaintext(agenda or "").strip()
        if agenda:
            payload["agenda"] = agenda[:2000]
        return payload

    @api.model
    def _zoom_create_meeting(self, event, agenda=None):
        """Create the Zoom meeting of ``event`` (a calendar.event); returns ``(id, join_url)``.

        If the current transaction is rolled back afterwards, the meeting is deleted again,
        so that Zoom keeps no meeting of a booking that does not exist.
        """
        client = self._zoom_client()
        meeting = client.create_meeting(self._zoom_meeting_payload(event, agenda))
        meeting_id = str(meeting["id"])
        callbacks = self.env.cr.postrollback
        if ORPHANS_KEY not in callbacks.data:
            callbacks.data[ORPHANS_KEY] = []
            callbacks.add(lambda: delete_orphans(callbacks.data.get(ORPHANS_KEY, [])))
        callbacks.data[ORPHANS_KEY].append((client, meeting_id))
        return meeting_id, meeting["join_url"]

    @api.model
    def _zoom_delete_meeting(self, meeting_id):
        self._zoom_client().delete_meeting(meeting_id)
        orphans = self.env.cr.postrollback.data.get(ORPHANS_KEY)
        if orphans:
            orphans[:] = [(c, m) for c, m in orphans if m != str(meeting_id)]

    @api.model
    def _zoom_reason(self, error):
        """A sentence for the host about what went wrong (never a secret)."""
        if not isinstance(error, ZoomError):
            return self.env._("Unexpected error (%(error)s).", error=type(error).__name__)
        if error.kind == "config":
            return self.env._(
                "Zoom is not configured: an administrator must enter the Zoom Account ID, "
                "Client ID and Client Secret in Settings > CRM > Book Me."
            )
        if error.kind == "timeout":
            return self.env._(
                "Zoom (%(host)s) did not answer within %(seconds)s seconds.",
                host=error.detail,
                seconds=ZOOM_TIMEOUT,
            )
        if error.kind == "connect":
            return self.env._("Zoom could not be reached (%(host)s).", host=error.detail)
        if error.kind == "http" and error.status in (400, 401, 403):
            return self.env._(
                "Zoom refused the request (HTTP %(status)s%(message)s). Check the Zoom "
                "credentials in Settings > CRM > Book Me.",
                status=error.status,
                message=f": {error.detail}" if error.detail else "",
            )
        if error.kind == "http":
            return self.env._(
                "Zoom answered with an error (HTTP %(status)s%(message)s).",
                status=error.status,
                message=f": {error.detail}" if error.detail else "",
            )
        return self.env._("Zoom sent an unexpected answer (%(detail)s).", detail=error.detail)
