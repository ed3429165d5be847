from dataclasses import dataclass
from datetime import timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.tools import email_normalize
from odoo.tools.misc import hash_sign, verify_hash_signed

INVITE_SCOPE = "crm_bookme.invite"
INVITE_VALIDITY = timedelta(days=180)
MAX_TOKEN_LENGTH = 512


@dataclass(frozen=True)
class Invite:
    """A verified invitation: who sent it, to whom, from which record."""

    token: str
    host: models.BaseModel
    partner: models.BaseModel  # res.partner, possibly empty
    record: models.BaseModel | None  # the document the email was written on, if any

    @property
    def lead(self):
        record = self.record
        return record if record is not None and record._name == "crm.lead" else None


class BookmeInvite(models.AbstractModel):
    """Personal Book Me links, as sent by the email composer.

    The link is ``/book/<host>[/<type>]?invite=<token>``. The token is signed with the
    database secret (:func:`odoo.tools.misc.hash_sign`, scope ``crm_bookme.invite``) and
    carries the host, the recipient partner and the document the email was written on;
    nothing in it can be changed without breaking the signature, and it expires after
    :data:`INVITE_VALIDITY`. A valid invite pre-fills the booking form with the
    recipient's name and email, books for that partner, and links the booking to the
    document (for a lead: the booking's lead, hence the meeting's opportunity).
    """

    _name = "bookme.invite"
    _description = "Book Me personal invitation links"

    # --- Making links ----------------------------------------------------------------------

    @api.model
    def _bookme_token(self, host, partner=None, record=None):
        payload = {
            "h": host.id,
            "p": partner.id if partner else 0,
            "m": record._name if record else "",
            "r": record.id if record else 0,
        }
        return hash_sign(self.sudo().env, INVITE_SCOPE, payload, expiration=INVITE_VALIDITY)

    @api.model
    def _bookme_url(self, url, host, partner=None, record=None):
        """``url`` (the host's page or one of their types) with a personal invite."""
        return f"{url}?invite={self._bookme_token(host, partner, record)}"

    # --- Reading links ---------------------------------------------------------------------

    @api.model
    def _bookme_read(self, token, host):
        """The :class:`Invite` behind ``token`` if it is genuine, unexpired and made by
        ``host``; ``None`` otherwise (tampered, truncated, expired, another host's)."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            payload = verify_hash_signed(self.sudo().env, INVITE_SCOPE, token)
        except (ValueError, TypeError):  # not base64, not UTF-8, not JSON, unknown version
            return None
        if not isinstance(payload, dict):
            return None
        host_id, partner_id = payload.get("h"), payload.get("p")
        model, res_id = payload.get("m"), payload.get("r")
        if not all(isinstance(v, int) for v in (host_id, partner_id, res_id)) or not isinstance(model, str):
            return None
        if host_id != host.id:
            return None
        env = self.sudo().env
        partner = env["res.partner"].browse(partner_id).exists() if partner_id else env["res.partner"]
        record = None
        if model and res_id and model in env:
            record = env[model].browse(res_id).exists() or None
        return Invite(token=token, host=host, partner=partner, record=record)

    # --- Using links -----------------------------------------------------------------------

    @api.model
    def _bookme_prefill(self, invite):
        """Name and email to pre-fill the booking form with."""
        if invite.partner:
            return invite.partner.name or "", invite.partner.email_normalized or invite.partner.email or ""
        lead = invite.lead
        if lead:
            return lead.contact_name or lead.partner_name or "", lead.email_from or ""
        return "", ""

    @api.model
    def _bookme_booking_partner(self, invite, email):
        """The invited partner books as themselves. Someone the email was forwarded to,
        who enters another address, books under their own address instead."""
        partner = invite.partner
        if partner and partner.email_normalized and partner.email_normalized == email_normalize(email):
            return partner
        return None

    @api.model
    def _bookme_link_booking(self, booking, invite):
        """Link ``booking`` to the document the invitation was sent from: the meeting's
        document (individual types), and a note in the document's chatter. Leads are
        linked by ``_bookme_create(lead=...)`` already; this adds the meeting's document.
        Safe to call twice for one booking (an idempotent retry)."""
        record = invite.record
        if record is None:
            return
        booking = booking.sudo()
        event = booking.calendar_event_id
        if event and booking.event_type_id.kind == "individual" and not event.res_model_id:
            event.write(
                {
                    "res_model_id": self.env["ir.model"]._get_id(record._name),
                    "res_id": record.id,
                }
            )
        if record == booking.partner_id or record._name == "crm.lead" or not hasattr(record, "message_post"):
            return
        booking_url = f"/odoo/bookme.booking/{booking.id}"
        Message = self.env["mail.message"].sudo()
        if Message.search_count(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("body", "ilike", f'{booking_url}"'),
            ],
            limit=1,
        ):
            return
        host = booking.user_id
        start = booking.host_start_display
        body = Markup('%s <a href="%s">%s</a> (%s)') % (
            self.with_context(lang=host.lang).env._("Booked through the Book Me link sent from here:"),
            booking_url,
            booking.display_name,
            start,
        )
        record.sudo().message_post(
            body=body,
            author_id=booking.partner_id.id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
