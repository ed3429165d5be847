from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


def check_hours(records):
    """Hours are local float hours of one day: 0 <= from < to <= 24."""
    for rec in records:
        if not (0 <= rec.hour_from < rec.hour_to <= 24):
            raise ValidationError(
                records.env._("Hours run from 00:00 to 24:00 and 'From' must be before 'To'.")
            )


class BookmeDateAvailability(models.Model):
    """Hours offered on one date, replacing the weekly plan for that date (e.g. a Saturday
    you are normally off). A date with records uses only them."""

    _name = "bookme.date.availability"
    _description = "Book Me date-specific availability"
    _order = "date, hour_from"

    user_id = fields.Many2one(
        "res.users",
        "Host",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        ondelete="cascade",
    )
    date = fields.Date(required=True)
    hour_from = fields.Float("From", required=True, default=9.0)
    hour_to = fields.Float("To", required=True, default=17.0)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        check_hours(self)

    def write(self, vals):
        """Hours stay with their host: only Book Me administrators move them to another."""
        if (
            "user_id" in vals
            and not self.env.su
            and vals["user_id"] != self.env.uid
            and not self.env.user.has_group("crm_bookme.group_bookme_manager")
        ):
            raise AccessError(self.env._("You can only change your own hours."))
        return super().write(vals)

    @api.depends("date", "hour_from", "hour_to")
    def _compute_display_name(self):
        for rec in self:
            h1, m1 = divmod(round(rec.hour_from * 60), 60)
            h2, m2 = divmod(round(rec.hour_to * 60), 60)
            rec.display_name = f"{rec.date or ''} {h1:02d}:{m1:02d}–{h2:02d}:{m2:02d}"
