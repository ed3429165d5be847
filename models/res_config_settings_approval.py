from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bookme_request_expiry = fields.Selection(
        [
            ("expire", "Decline them and tell the client"),
            ("keep", "Keep them waiting for an answer"),
        ],
        string="Unanswered Requests",
        default="expire",
        config_parameter="crm_bookme.request_expiry",
        help="What happens to booking requests nobody approved or declined when their start passes.",
    )
