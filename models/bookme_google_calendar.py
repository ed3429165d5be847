from odoo import api, fields, models


class BookmeGoogleCalendar(models.Model):
    """One calendar of a connected Google account, as Google's calendar list gave it."""

    _name = "bookme.google.calendar"
    _description = "Book Me: Google calendar"
    _order = "account_id, primary desc, name, id"

    account_id = fields.Many2one(
        "bookme.google.account", "Google Account", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="account_id.user_id", store=True, index=True)
    google_id = fields.Char("Google Calendar ID", required=True, readonly=True)
    name = fields.Char(required=True, readonly=True)
    primary = fields.Boolean(readonly=True)
    active = fields.Boolean(default=True)
    check_busy = fields.Boolean(
        "Count as Busy",
        help="Busy time in this calendar is not offered on your booking pages.",
    )

    _account_google_unique = models.Constraint(
        "unique(account_id, google_id)", "Each Google calendar is listed once per account."
    )

    @api.depends("name", "primary", "account_id.email")
    def _compute_display_name(self):
        for calendar in self:
            if calendar.primary and calendar.name == calendar.account_id.email:
                calendar.display_name = self.env._(
                    "%(account)s (primary calendar)", account=calendar.account_id.email
                )
            else:
                calendar.display_name = f"{calendar.name} ({calendar.account_id.email})"
