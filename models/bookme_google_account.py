import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .bookme_google import GoogleError

_logger = logging.getLogger(__name__)

# An access token this close to its expiry is refreshed before use.
EXPIRY_MARGIN_SECONDS = 60


class BookmeGoogleAccount(models.Model):
    """A Google account a host connected for Book Me (several per host), with its OAuth
    tokens. The tokens are read by their user and Book Me administrators only (record
    rules), never shown in a view, and used in sudo by the after-commit steps."""

    _name = "bookme.google.account"
    _description = "Book Me: connected Google account"
    _order = "user_id, email, id"
    _rec_name = "email"

    user_id = fields.Many2one(
        "res.users", "Host", required=True, index=True, default=lambda self: self.env.user, ondelete="cascade"
    )
    email = fields.Char("Google Account", required=True, readonly=True)
    active = fields.Boolean(default=True)
    refresh_token = fields.Char(readonly=True, copy=False, groups="crm_bookme.group_bookme_user")
    access_token = fields.Char(readonly=True, copy=False, groups="crm_bookme.group_bookme_user")
    token_expiry = fields.Datetime(readonly=True, copy=False, groups="crm_bookme.group_bookme_user")
    calendar_ids = fields.One2many("bookme.google.calendar", "account_id", "Calendars")

    _user_email_unique = models.Constraint(
        "unique(user_id, email)", "This Google account is already connected."
    )

    # --- Tokens ------------------------------------------------------------------------------

    def _google_token(self, client, force=False):
        """A valid access token, refreshed (and stored) when it has expired."""
        self.ensure_one()
        account = self.sudo()
        now = fields.Datetime.now()
        expiry = account.token_expiry
        if (
            force
            or not account.access_token
            or not expiry
            or (expiry - now).total_seconds() < EXPIRY_MARGIN_SECONDS
        ):
            answer = client.refresh(account.refresh_token)
            account.write(
                {
                    "access_token": answer["access_token"],
                    "token_expiry": self.env["bookme.google"]._google_expiry(answer.get("expires_in")),
                }
            )
        return account.access_token

    def _google_call(self, what, *args):
        """``client.<what>(token, *args)`` with this account's token; a 401 with a token
        we believed valid refreshes it once and tries again."""
        self.ensure_one()
        client = self.env["bookme.google"]._google_client()
        token = self._google_token(client)
        try:
            return getattr(client, what)(token, *args)
        except GoogleError as exc:
            if exc.kind != "auth":
                raise
        return getattr(client, what)(self._google_token(client, force=True), *args)

    # --- Connecting ----------------------------------------------------------------------------

    @api.model
    def _google_connect(self, user, tokens):
        """Store the tokens of a finished consent for ``user`` (a new account, or new tokens
        for one already connected) and read its calendars. Returns the account."""
        Google = self.env["bookme.google"]
        client = Google._google_client()
        token = tokens["access_token"]
        calendars = client.calendar_list(token)
        primary = next((c for c in calendars if c.get("primary")), None)
        if not primary:
            raise GoogleError("answer", "no primary calendar")
        email = primary["id"]
        account = (
            self.sudo()
            .with_context(active_test=False)
            .search([("user_id", "=", user.id), ("email", "=", email)], limit=1)
        )
        values = {
            "access_token": token,
            "token_expiry": Google._google_expiry(tokens.get("expires_in")),
            "active": True,
        }
        if tokens.get("refresh_token"):
            values["refresh_token"] = tokens["refresh_token"]
        if account:
            account.write(values)
        else:
            account = self.sudo().create({"user_id": user.id, "email": email, **values})
        account._google_store_calendars(calendars)
        return account

    def _google_store_calendars(self, items):
        """Mirror Google's calendar list: new calendars added, names updated, the ones
        gone archived (a type that chose one keeps its choice, and is told at booking)."""
        self.ensure_one()
        Calendar = self.env["bookme.google.calendar"].sudo().with_context(active_test=False)
        known = {c.google_id: c for c in Calendar.search([("account_id", "=", self.id)])}
        seen = set()
        for item in items:
            gid = item.get("id")
            if not gid:
                continue
            seen.add(gid)
            values = {
                "name": item.get("summaryOverride") or item.get("summary") or gid,
                "primary": bool(item.get("primary")),
                "active": True,
            }
            if gid in known:
                known[gid].write(values)
            else:
                Calendar.create({"account_id": self.id, "google_id": gid, **values})
        for gid, calendar in known.items():
            if gid not in seen and calendar.active:
                calendar.active = False

    # --- Actions -------------------------------------------------------------------------------

    def action_refresh_calendars(self):
        """Read the account's calendar list from Google again."""
        self.check_access("write")
        Google = self.env["bookme.google"]
        for account in self.sudo():
            try:
                account._google_store_calendars(account._google_call("calendar_list"))
            except GoogleError as exc:
                _logger.warning("Book Me: calendar list of Google account %s failed: %s", account.id, exc)
                return {
                    "type": "ir.actions.client",
                    "tag": "display_notification",
                    "params": {"type": "danger", "sticky": True, "message": Google._google_reason(exc)},
                }
        return True

    @api.model
    def action_connect(self):
        """Start connecting a Google account: off to Google's consent screen."""
        if not self.env.user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("Only Book Me users can connect a Google account."))
        return {"type": "ir.actions.act_url", "url": "/bookme/google/connect", "target": "self"}
