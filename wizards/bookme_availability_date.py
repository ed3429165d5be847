from odoo import api, fields, models

from ..models.bookme_date_availability import check_hours


class BookmeAvailabilityDate(models.TransientModel):
    """One date-specific interval of My Availability."""

    _name = "bookme.availability.date"
    _description = "My Book Me availability: date-specific hours"
    _order = "date, hour_from"

    wizard_id = fields.Many2one("bookme.availability", required=True, ondelete="cascade")
    date = fields.Date(required=True, default=fields.Date.context_today)
    hour_from = fields.Float("From", required=True, default=9.0)
    hour_to = fields.Float("To", required=True, default=17.0)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        check_hours(self)
