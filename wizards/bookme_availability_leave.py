from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BookmeAvailabilityLeave(models.TransientModel):
    """One time-off period of My Availability (a ``resource.calendar.leaves`` of the user)."""

    _name = "bookme.availability.leave"
    _description = "My Book Me availability: time off"
    _order = "date_from"

    wizard_id = fields.Many2one("bookme.availability", required=True, ondelete="cascade")
    leave_id = fields.Many2one("resource.calendar.leaves", readonly=True)
    name = fields.Char("Reason")
    date_from = fields.Datetime("From", required=True)
    date_to = fields.Datetime("Until", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for line in self:
            if line.date_from >= line.date_to:
                raise ValidationError(self.env._("Time off must end after it starts."))
