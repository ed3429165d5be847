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

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The website serves its pages' scripts the translations of these modules only:
        without Book Me here, the booking widget's texts stay English on a Hebrew or
        Norwegian page."""
        return [*super()._get_translation_frontend_modules_name(), "crm_bookme"]
