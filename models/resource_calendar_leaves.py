from odoo import api, fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    bookme_user_id = fields.Many2one(
        "res.users",
        "Book Me User",
        compute="_compute_bookme_user_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="The user this time off belongs to (their resource's user).",
    )

    @api.depends("resource_id.user_id")
    def _compute_bookme_user_id(self):
        for leave in self:
            if leave.resource_id:
                leave.bookme_user_id = leave.resource_id.user_id

    @api.model_create_multi
    def create(self, vals_list):
        """Time off added from My Availability names the user: book it on their resource."""
        for vals in vals_list:
            if vals.get("bookme_user_id") and not vals.get("resource_id"):
                user = self.env["res.users"].sudo().browse(vals["bookme_user_id"])
                if user.resource_ids:
                    vals["resource_id"] = user.resource_ids[0].id
        return super().create(vals_list)
