from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError


def is_web_url(url):
    """Whether ``url`` is an absolute http(s) address (never ``javascript:``, ``data:``...)."""
    if not url or not isinstance(url, str) or any(c in url for c in "\x00\r\n\t "):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class BookmeLocation(models.Model):
    """Where a booked meeting happens. With several on a type, the guest chooses one."""

    _name = "bookme.location"
    _description = "Book Me location"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    event_type_id = fields.Many2one("bookme.event.type", required=True, ondelete="cascade", index=True)
    location_type = fields.Selection(
        [("online", "Online meeting"), ("phone", "Phone call"), ("in_person", "In person")],
        required=True,
        default="online",
    )
    online_provider = fields.Selection(
        [
            ("discuss", "Odoo Discuss video call"),
            ("google_meet", "Google Meet"),
            ("zoom", "Zoom"),
            ("custom", "Custom meeting link"),
        ],
        default="discuss",
    )
    url = fields.Char("Meeting Link")
    phone = fields.Char(compute="_compute_phone", store=True, readonly=False)
    address = fields.Char()

    def write(self, vals):
        """A location moves only to an event type the user may change."""
        if vals.get("event_type_id") and not self.env.su:
            self.env["bookme.event.type"].browse(vals["event_type_id"]).check_access("write")
        return super().write(vals)

    @api.constrains("url")
    def _check_url(self):
        for loc in self:
            if loc.url and not is_web_url(loc.url):
                raise ValidationError(
                    self.env._("The meeting link must be a web address starting with https:// or http://.")
                )

    @api.depends("location_type", "event_type_id.user_id")
    def _compute_phone(self):
        """A phone call happens on the host's number unless another one is given."""
        for loc in self:
            if loc.location_type == "phone" and not loc.phone:
                host = loc.event_type_id.user_id
                loc.phone = host.phone or host.partner_id.phone or False

    @api.depends("location_type", "online_provider", "phone", "address", "url")
    def _compute_display_name(self):
        labels = dict(self._fields["location_type"]._description_selection(self.env))
        providers = dict(self._fields["online_provider"]._description_selection(self.env))
        for loc in self:
            if loc.location_type == "online":
                loc.display_name = providers.get(loc.online_provider) or labels["online"]
            elif loc.location_type == "phone":
                loc.display_name = " ".join(filter(None, [labels["phone"], loc.phone]))
            else:
                loc.display_name = loc.address or labels["in_person"]

    def _bookme_description(self):
        """One line for emails, the calendar event and the .ics (never the private URL of a
        generated video call: that one travels on the event itself)."""
        self.ensure_one()
        if self.location_type == "online" and self.online_provider == "custom" and self.url:
            return f"{self.display_name}: {self.url}"
        if self.location_type == "in_person" and self.phone:
            return f"{self.address or ''} ({self.phone})".strip()
        return self.display_name
