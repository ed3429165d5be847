from datetime import timedelta

from odoo import api, models
from odoo.tools.misc import consteq, hash_sign, hmac, verify_hash_signed

UNLOCK_SCOPE = "crm_bookme.unlock"
DIGEST_SCOPE = "crm_bookme.code"
DEFAULT_UNLOCK_DAYS = 30
MAX_TOKEN_LENGTH = 512


class BookmeCode(models.AbstractModel):
    """Which secret code locks a host's booking pages, and the signed unlock token that
    the lock page puts in the visitor's cookie after the right code.

    A host with a personal ``res.users.bookme_secret_code`` asks for that code; otherwise
    the host's company code (``res.company.bookme_secret_code``) applies when it is set.
    The unlock token is signed with the database secret (:func:`odoo.tools.misc.hash_sign`)
    and carries the host and a keyed digest of the code in force: when the code changes or
    is removed, every token made for the old one stops working at once. The digest is an
    HMAC with the database secret, so the token (readable by its holder) says nothing
    about the code itself.
    """

    _name = "bookme.code"
    _description = "Book Me secret codes"

    @api.model
    def _bookme_applicable(self, host):
        """``(kind, code)`` of the code that locks ``host``'s pages: ``("personal", …)``,
        ``("company", …)``, or ``(None, None)`` when the pages are open."""
        host = host.sudo()
        if host.bookme_secret_code:
            return "personal", host.bookme_secret_code
        company = host.company_id
        company.fetch(["bookme_secret_code"])  # that column only: a company's row is wide
        company_code = company.bookme_secret_code
        if company_code:
            return "company", company_code
        return None, None

    @api.model
    def _bookme_is_locked(self, host):
        return bool(self._bookme_applicable(host)[1])

    @api.model
    def _bookme_matches(self, host, code):
        """True when ``code`` is the code in force for ``host`` (constant-time compare)."""
        expected = self._bookme_applicable(host)[1]
        if not expected or not isinstance(code, str):
            return False
        # As bytes: compare_digest refuses non-ASCII text, and any text may come in.
        return consteq(code.strip().encode(), expected.encode())

    def _bookme_digest(self, host):
        kind, code = self._bookme_applicable(host)
        if not code:
            return ""
        return hmac(self.sudo().env, DIGEST_SCOPE, f"{host.id}:{kind}:{code}")[:32]

    @api.model
    def _bookme_unlock_days(self):
        icp = self.env["ir.config_parameter"].sudo()
        try:
            return max(1, int(icp.get_param("crm_bookme.code_unlock_days", DEFAULT_UNLOCK_DAYS)))
        except ValueError:
            return DEFAULT_UNLOCK_DAYS

    @api.model
    def _bookme_unlock_token(self, host):
        """The signed token that unlocks ``host``'s pages for the code in force now."""
        return hash_sign(
            self.sudo().env,
            UNLOCK_SCOPE,
            {"h": host.id, "d": self._bookme_digest(host)},
            expiration=timedelta(days=self._bookme_unlock_days()),
        )

    @api.model
    def _bookme_token_unlocks(self, host, token):
        """True when ``token`` is a genuine, unexpired unlock token of ``host`` made for
        the code that is in force now."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            return False
        digest = self._bookme_digest(host)
        if not digest:
            return False
        try:
            payload = verify_hash_signed(self.sudo().env, UNLOCK_SCOPE, token)
        except (ValueError, TypeError):  # not base64, not UTF-8, not JSON, unknown version
            return False
        return (
            isinstance(payload, dict)
            and payload.get("h") == host.id
            and isinstance(payload.get("d"), str)
            and consteq(payload["d"], digest)
        )
