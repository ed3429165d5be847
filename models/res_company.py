import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SECRET_CODE_RE = re.compile(r"^\d{4,6}$")


class ResCompany(models.Model):
    _inherit = "res.company"

    bookme_secret_code = fields.Char(
        "Book Me Secret Code",
        groups="crm_bookme.group_bookme_manager",
        help="4 to 6 digits. When set, visitors must enter it before they can book online.",
    )

    @api.constrains("bookme_secret_code")
    def _check_bookme_secret_code(self):
        for company in self.sudo():
            code = company.bookme_secret_code
            if code and not SECRET_CODE_RE.match(code):
                raise ValidationError(self.env._("A secret code is 4 to 6 digits."))
