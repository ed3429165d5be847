from odoo import api, fields, models

from ..models.bookme_date_availability import check_hours

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class BookmeAvailabilityWeekly(models.TransientModel):
    """One weekly interval of My Availability (a line of the user's working hours)."""

    _name = "bookme.availability.weekly"
    _description = "My Book Me availability: weekly hours"
    _order = "dayofweek, hour_from"

    wizard_id = fields.Many2one("bookme.availability", required=True, ondelete="cascade")
    dayofweek = fields.Selection(WEEKDAYS, "Day", required=True, default="0")
    hour_from = fields.Float("From", required=True, default=9.0)
    hour_to = fields.Float("To", required=True, default=17.0)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        check_hours(self)
