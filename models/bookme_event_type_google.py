from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BookmeEventType(models.Model):
    """Which Google calendar receives the type's bookings.

    Off: the bookings' calendar events are Odoo events like any other (with Odoo's
    ``google_calendar`` sync, they reach the host's primary Google calendar). On, with a
    calendar chosen: Book Me writes each booking to that calendar itself, in whichever of
    the host's connected Google accounts it belongs to. On, with no calendar: as off.
    """

    _inherit = "bookme.event.type"

    google_calendar_enabled = fields.Boolean(
        "Add Bookings to Google Calendar",
        help="Write this type's bookings to one of your Google calendars (connect your Google "
        "accounts in Book Me > Google Accounts). Without a chosen calendar, bookings reach "
        "your primary Google calendar through Odoo's own Google Calendar sync, if you use it.",
    )
    google_calendar_id = fields.Many2one(
        "bookme.google.calendar",
        ondelete="set null",
        domain="[('user_id', '=', user_id)]",
        help="The calendar that receives the bookings, in any of your connected Google "
        "accounts. Empty: your primary calendar through Odoo's own sync.",
    )

    @api.constrains("google_calendar_id", "user_id")
    def _check_google_calendar_owner(self):
        for etype in self:
            if etype.google_calendar_id and etype.google_calendar_id.sudo().user_id != etype.user_id:
                raise ValidationError(
                    self.env._(
                        "The Google calendar of %(type)s must be one of its host's calendars.",
                        type=etype.name,
                    )
                )

    def _bookme_google_calendar(self):
        """The Google calendar Book Me writes this type's bookings to, if any (sudo)."""
        self.ensure_one()
        etype = self.sudo()
        if not etype.google_calendar_enabled:
            return etype.google_calendar_id.browse()
        return etype.google_calendar_id
