from odoo import fields, models


class BookmeEventTypeApproval(models.Model):
    """How many requests of a type wait for a decision (the form's To Approve counter)."""

    _inherit = "bookme.event.type"

    request_count = fields.Integer("To Approve", compute="_compute_request_count")

    def _compute_request_count(self):
        counts = dict(
            self.env["bookme.booking"]._read_group(
                [("event_type_id", "in", self.ids), ("state", "=", "requested")],
                ["event_type_id"],
                ["__count"],
            )
        )
        for etype in self:
            etype.request_count = counts.get(etype, 0)

    def action_view_requests(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_bookme.action_bookme_booking_to_approve")
        action["domain"] = [("event_type_id", "=", self.id)]
        return action
