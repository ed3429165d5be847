from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _serve_fallback(cls):
        """A 404 on the website first looks the path up as an attachment, a page and a
        redirect, in the database. PostgreSQL refuses text with NUL, so a path such as
        ``/book/booking/%00`` turned the 404 into a 500: no such path can match anything,
        so it gets the plain 404 page."""
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()
