from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bookme_lead_mode = fields.Selection(
        [
            ("off", "Do not link bookings to leads"),
            ("link", "Link to the customer's open lead, or create one"),
            ("create", "Always create a new lead"),
        ],
        string="Book Me Leads",
        default="link",
        config_parameter="crm_bookme.lead_mode",
    )
    bookme_cancel_lead_mode = fields.Selection(
        [
            ("activity", "Schedule a follow-up to-do on the lead"),
            ("lost", "Mark the lead lost"),
            ("off", "Leave the lead as it is"),
        ],
        string="Leads of Cancelled Bookings",
        default="activity",
        config_parameter="crm_bookme.cancel_lead_mode",
    )
    bookme_personal_notice = fields.Selection(
        [("next_day", "From the next day on"), ("none", "Any time from now")],
        string="Personal Page Notice",
        default="next_day",
        config_parameter="crm_bookme.personal_notice",
        help="When the personal Book Me page starts offering slots.",
    )
    bookme_frame_ancestors = fields.Char(
        string="Sites Allowed to Embed",
        config_parameter="crm_bookme.frame_ancestors",
        default="*",
        help="Which sites may show booking pages in an iframe (?embed=1 and the website's "
        "Booking block): * for any site, or origins separated by spaces, e.g. "
        "https://www.example.com",
    )
    bookme_use_secret_code = fields.Boolean(
        "Online booking secret code",
        compute="_compute_bookme_use_secret_code",
        store=True,
        readonly=False,
        help="Visitors must enter this code before they see your booking pages (hosts with "
        "a personal code ask for theirs).",
    )
    bookme_secret_code = fields.Char(
        related="company_id.bookme_secret_code",
        readonly=False,
        string="Secret Booking Code",
        groups="crm_bookme.group_bookme_manager",
    )

    @api.depends("company_id")
    def _compute_bookme_use_secret_code(self):
        for settings in self:
            settings.bookme_use_secret_code = bool(settings.company_id.sudo().bookme_secret_code)

    def set_values(self):
        self.check_access("write")
        res = super().set_values()
        for settings in self:
            company = settings.company_id.sudo()
            if not settings.bookme_use_secret_code:
                if company.bookme_secret_code:
                    company.bookme_secret_code = False
            elif not company.bookme_secret_code:
                raise ValidationError(
                    self.env._("Enter the online booking secret code (4 to 6 digits), or switch it off.")
                )
        return res
