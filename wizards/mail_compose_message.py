from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..models.bookme_event_type import PUBLIC_TYPE_DOMAIN


def _own_public_types_domain():
    """The field domain of the composer's link: the writer's own types that visitors may
    book (the one rule, :data:`PUBLIC_TYPE_DOMAIN`), as the web client evaluates it."""
    terms = ", ".join(repr(term) for term in (("is_personal", "=", False), *PUBLIC_TYPE_DOMAIN))
    return f"[('user_id', '=', uid), {terms}]"


# mail.mail fields that a per-recipient copy of a notification email must not take over.
_MAIL_COPY_SKIP = {
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "mail_message_id",
    "body_html",
    "recipient_ids",
    "state",
    "failure_type",
    "failure_reason",
}


class MailComposeMessage(models.TransientModel):
    """The "Add my Book Me link" option of the email composer.

    Ticked, the email gets a "Book an appointment" button at the end of its body, right
    above the author's signature, and every recipient gets their own personal link
    (``bookme.invite``): it pre-fills their name and email on the booking page, books for
    their partner and links the booking to the document the email was written on.

    How each recipient gets their own link:

    * the body is rendered with the button pointing to the author's plain booking page
      (that is also what the chatter keeps);
    * mass mailing: the composer prepares one email per document, so the plain link of
      each document's email is replaced by the invite of its recipient;
    * posting on documents (the chatter's composer): ``message_post`` groups the
      recipients of one notification email; the emails are held back, split so that each
      customer gets their own email with their own link, and then sent as the composer
      would have sent them. Internal followers keep the plain link.
    """

    _inherit = "mail.compose.message"

    bookme_link_available = fields.Boolean(compute="_compute_bookme_link_available")
    bookme_add_link = fields.Boolean(
        "Add my Book Me link",
        help="Adds a 'Book an appointment' button with your signature. Each recipient gets "
        "a personal link that pre-fills their details and links the booking to this "
        "document.",
    )
    bookme_event_type_id = fields.Many2one(
        "bookme.event.type",
        "Book Me Link To",
        domain=_own_public_types_domain(),
        help="The meeting the link books. Empty: your Book Me page.",
    )

    @api.depends("create_uid")
    @api.depends_context("uid")
    def _compute_bookme_link_available(self):
        for composer in self:
            composer.bookme_link_available = composer._bookme_host().bookme_enabled

    @api.onchange("bookme_link_available")
    def _onchange_bookme_link_available(self):
        """Interactive composers only start ticked (the user's preference); composers that
        code creates (event reminders, mailings...) never add the link by themselves."""
        for composer in self:
            host = composer._bookme_host()
            composer.bookme_add_link = bool(
                composer.bookme_link_available and host.bookme_email_default and not composer.subtype_is_log
            )

    @api.constrains("bookme_event_type_id")
    def _check_bookme_event_type_id(self):
        for composer in self:
            etype = composer.bookme_event_type_id.sudo()
            if etype and (
                etype.user_id != composer._bookme_host() or etype.is_personal or not etype._bookme_is_public()
            ):
                raise ValidationError(
                    self.env._("The Book Me link can only point to one of your published meetings.")
                )

    # --- Helpers ---------------------------------------------------------------------------

    def _bookme_host(self):
        """The user whose Book Me link is added: the one writing the email."""
        self.ensure_one()
        return (self.create_uid or self.env.user).sudo()

    def _bookme_link_active(self):
        self.ensure_one()
        host = self._bookme_host()
        return bool(
            self.bookme_add_link and host.bookme_enabled and host.bookme_slug and not self.subtype_is_log
        )

    def _bookme_plain_url(self):
        """The page the button opens, without invite: the chosen meeting or the host's page."""
        self.ensure_one()
        host = self._bookme_host()
        etype = self.bookme_event_type_id.sudo()
        if etype and etype.active and etype.user_id == host:
            return f"{host.bookme_url}/{etype.slug}"
        return host.bookme_url

    def _bookme_block(self):
        return Markup(
            '<div class="o_bookme_invite" style="margin: 16px 0px 16px 0px;">'
            '<a href="%s" target="_blank" style="display: inline-block; padding: 8px 16px; '
            "background-color: #714B67; color: #FFFFFF; text-decoration: none; "
            'border-radius: 4px; font-weight: bold;">%s</a></div>'
        ) % (self._bookme_plain_url(), self.env._("Book an appointment"))

    def _bookme_add_block(self, body):
        return Markup(body or "") + self._bookme_block()

    def _bookme_personalize(self, html, partner=None, record=None):
        """``html`` with the plain Book Me link replaced by the personal invite."""
        if not html:
            return html
        plain = self._bookme_plain_url()
        personal = self.env["bookme.invite"]._bookme_url(
            plain, self._bookme_host(), partner=partner, record=record
        )
        result = str(html).replace(f'href="{plain}"', f'href="{personal}"')
        return Markup(result) if isinstance(html, Markup) else result

    def _bookme_record(self, model, res_id):
        if not model or not res_id or model not in self.env:
            return None
        return self.env[model].browse(res_id)

    # --- Rendering -------------------------------------------------------------------------

    def _render_field(self, field, res_ids, *args, **kwargs):
        """Batch and mass mailing modes render the body per document: add the button."""
        rendered = super()._render_field(field, res_ids, *args, **kwargs)
        if field == "body" and self._bookme_link_active():
            rendered = {res_id: self._bookme_add_block(body) for res_id, body in rendered.items()}
        return rendered

    def _prepare_mail_values_rendered(self, res_ids):
        """Single document comment mode takes the body as written: add the button."""
        values_all = super()._prepare_mail_values_rendered(res_ids)
        if self._bookme_link_active():
            for values in values_all.values():
                values["body"] = self._bookme_add_block(values.get("body"))
        return values_all

    def _prepare_mail_values(self, res_ids):
        """Mass mailing: one email per document, so personalize each one's link for its
        recipient (a single partner), or at least for its document."""
        values_all = super()._prepare_mail_values(res_ids)
        if self.composition_mode != "mass_mail" or not self._bookme_link_active():
            return values_all
        Partner = self.env["res.partner"].sudo()
        for res_id, values in values_all.items():
            partner_ids = [cmd[1] for cmd in values.get("recipient_ids") or [] if cmd[0] == 4]
            partner = Partner.browse(partner_ids) if len(partner_ids) == 1 else None
            record = self._bookme_record(self.model, res_id)
            for key in ("body", "body_html"):
                if values.get(key):
                    values[key] = self._bookme_personalize(values[key], partner, record)
        return values_all

    # --- Sending on documents --------------------------------------------------------------

    def _action_send_mail_comment(self, res_ids):
        if not self._bookme_link_active():
            return super()._action_send_mail_comment(res_ids)
        send_now = self.env.context.get("mail_notify_force_send", self.force_send)
        # Hold the notification emails back until each recipient has their own link.
        messages = super(
            MailComposeMessage, self.with_context(mail_notify_force_send=False)
        )._action_send_mail_comment(res_ids)
        mails = self._bookme_personalize_notification_mails(messages)
        limit = int(self.env["ir.config_parameter"].sudo().get_param("mail.mail.force.send.limit", 100))
        if send_now and mails and len(mails) < limit:
            mails.send_after_commit()
        return messages

    def _bookme_personalize_notification_mails(self, messages):
        """Give each customer recipient of ``messages``' emails their own email with their
        own invite. Returns all the notification emails of ``messages``."""
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.search([("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")])
        plain_href = f'href="{self._bookme_plain_url()}"'
        result = Mail
        for mail in mails:
            result |= mail
            if plain_href not in (mail.body_html or ""):
                continue
            record = self._bookme_record(mail.model, mail.res_id)
            customers = mail.recipient_ids.filtered("partner_share")
            internal = mail.recipient_ids - customers
            if not mail.recipient_ids:  # email addresses only: no partner to pre-fill
                mail.body_html = self._bookme_personalize(mail.body_html, None, record)
                continue
            groups = ([(internal, None)] if internal else []) + [(p, p) for p in customers]
            body = mail.body_html
            (first, first_partner), others = groups[0], groups[1:]
            for partners, partner in others:
                result |= self._bookme_split_mail(
                    mail, partners, self._bookme_personalize(body, partner, record)
                )
            mail.write(
                {
                    "recipient_ids": [Command.set(first.ids)],
                    "body_html": self._bookme_personalize(body, first_partner, record)
                    if first_partner
                    else body,
                }
            )
        return result

    def _bookme_split_mail(self, mail, partners, body):
        """A copy of notification email ``mail`` for ``partners`` only, with ``body``; their
        notifications follow them."""
        names = [
            name
            for name, field in mail._fields.items()
            if field.store
            and not field.inherited
            and not field.compute
            and field.type != "one2many"
            and name not in _MAIL_COPY_SKIP
        ]
        values = mail._convert_to_write({name: mail[name] for name in names})
        values.update(
            {
                "mail_message_id": mail.mail_message_id.id,
                "body_html": body,
                "recipient_ids": [Command.set(partners.ids)],
            }
        )
        new_mail = self.env["mail.mail"].sudo().create(values)
        self.env["mail.notification"].sudo().search(
            [
                ("mail_mail_id", "=", mail.id),
                ("res_partner_id", "in", partners.ids),
            ]
        ).mail_mail_id = new_mail
        return new_mail
