from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Zoom's API and OAuth addresses are the parameters crm_bookme.zoom_api_url and
    # crm_bookme.zoom_oauth_url (defaults: Zoom's own, see models/bookme_zoom.py).
    bookme_zoom_account_id = fields.Char(
        "Zoom Account ID",
        config_parameter="crm_bookme.zoom_account_id",
        groups="crm_bookme.group_bookme_manager",
    )
    bookme_zoom_client_id = fields.Char(
        "Zoom Client ID",
        config_parameter="crm_bookme.zoom_client_id",
        groups="crm_bookme.group_bookme_manager",
    )
    bookme_zoom_client_secret = fields.Char(
        "Zoom Client Secret",
        config_parameter="crm_bookme.zoom_client_secret",
        groups="crm_bookme.group_bookme_manager",
    )
