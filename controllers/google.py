"""Connecting a host's Google accounts for Book Me (OAuth consent, offline access).

``/bookme/google/connect`` sends the logged-in host to Google's consent screen with a
``state`` signed by :func:`odoo.tools.hash_sign` (it names the user and expires in an hour);
``/bookme/google/callback`` checks that signature against the session's user, exchanges
the code for tokens and stores the account with its calendar list. Bad or forged answers
get a short page saying what went wrong, and change nothing.
"""

import logging

from odoo import http
from odoo.http import request
from odoo.tools import hash_sign, verify_hash_signed

from ..models.bookme_google import GoogleError

_logger = logging.getLogger(__name__)

STATE_SCOPE = "crm_bookme.google_connect"
ACCOUNTS_URL = "/odoo/action-crm_bookme.action_bookme_google_account"


class BookmeGoogleController(http.Controller):
    def _message(self, text, status=400):
        return request.render(
            "crm_bookme.google_connect_message",
            {
                "message": text,
                "back_url": ACCOUNTS_URL,
            },
            status=status,
        )

    @http.route("/bookme/google/connect", type="http", auth="user", methods=["GET"])
    def connect(self, **_kw):
        env = request.env
        if not env.user.has_group("crm_bookme.group_bookme_user"):
            return self._message(env._("Only Book Me users can connect a Google account."), 403)
        state = hash_sign(env(su=True), STATE_SCOPE, {"uid": env.uid}, expiration_hours=1)
        try:
            url = env["bookme.google"].sudo()._google_authorize_url(state)
        except GoogleError as exc:
            return self._message(env["bookme.google"]._google_reason(exc), 409)
        return request.redirect(url, local=False)

    @http.route("/bookme/google/callback", type="http", auth="user", methods=["GET"])
    def callback(self, code=None, state=None, error=None, **_kw):
        env = request.env
        if error:
            return self._message(
                env._("Google did not connect the account (%(error)s).", error=str(error)[:100])
            )
        try:
            signed = verify_hash_signed(env(su=True), STATE_SCOPE, state or "")
        except (ValueError, TypeError, UnicodeDecodeError):
            signed = None
        if not code or not isinstance(signed, dict) or signed.get("uid") != env.uid:
            return self._message(
                env._(
                    "This Google answer is not for you or has expired. Start again from Book Me "
                    "> Google Accounts."
                )
            )
        if not env.user.has_group("crm_bookme.group_bookme_user"):
            return self._message(env._("Only Book Me users can connect a Google account."), 403)
        Google = env["bookme.google"].sudo()
        try:
            tokens = Google._google_client().exchange_code(code, Google._google_redirect_uri())
            env["bookme.google.account"].sudo()._google_connect(env.user, tokens)
        except GoogleError as exc:
            _logger.warning("Book Me: connecting a Google account for user %s failed: %s", env.uid, exc)
            return self._message(Google._google_reason(exc), 502)
        return request.redirect(ACCOUNTS_URL)
