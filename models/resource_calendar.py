from odoo import fields, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    bookme_owner_id = fields.Many2one(
        "res.users",
        "Book Me Owner",
        index="btree_not_null",
        ondelete="set null",
        help="The Book Me user whose personal weekly hours these are: they edit them from "
        "My Availability without touching anyone else's working hours.",
    )
