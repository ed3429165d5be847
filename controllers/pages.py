from odoo import http
from odoo.fields import Domain
from odoo.http import request

from ..exceptions import BookmeError
from . import common, validation

# A booking in these states does not take place: its pages say so and offer to book again.
CLOSED_STATES = ("cancelled", "declined")


class BookmePages(http.Controller):
    """Book Me's public HTML pages. The booking itself goes through the JSON API, which
    the page's interaction calls; the guest's own page posts plain forms with CSRF."""

    @staticmethod
    def _or_404(lookup, *args):
        """``lookup(*args)`` (a common.find_* function), or the website's 404 page."""
        try:
            return lookup(*args)
        except BookmeError:
            raise request.not_found() from None

    def _render(self, template, values, embed=False, status=200):
        values = dict(
            values, embed=bool(embed), no_header=bool(embed), no_footer=bool(embed), no_copyright=bool(embed)
        )
        response = request.render(template, values, status=status)
        response.headers["Content-Security-Policy"] = self._frame_ancestors(embed)
        return response

    def _frame_ancestors(self, embed):
        """Embed pages may be framed by the sites of the 'Sites Allowed to Embed' setting
        (any site by default); the other Book Me pages only by the website itself."""
        if not embed:
            return "frame-ancestors 'self'"
        allowed = " ".join(
            (request.env["ir.config_parameter"].sudo().get_param("crm_bookme.frame_ancestors") or "*").split()
        )
        return "frame-ancestors *" if allowed == "*" else f"frame-ancestors 'self' {allowed}"

    def _host_lang_redirect(self, host):
        """A visitor who has not chosen a language yet sees the host's page in the host's
        language, when the website offers it (the usual language switcher still works: the
        choice is then remembered and wins)."""
        if (
            request.httprequest.cookies.get("frontend_lang")
            or not request.env.user._is_public()
            or request.env["ir.http"].is_a_bot()
        ):
            return None
        website = request.env["website"].get_current_website()
        host_lang = host.lang
        # Without a language in the URL or a cookie, the visitor got the website's default.
        if (
            request.lang.code != website.default_lang_id.code
            or not host_lang
            or host_lang == request.lang.code
            or host_lang not in website.language_ids.mapped("code")
        ):
            return None
        path = request.httprequest.full_path.rstrip("?")
        request.future_response.set_cookie("frontend_lang", host_lang)
        return request.redirect(request.env["ir.http"]._url_lang(path, host_lang), code=303)

    def _message(self, title, message, embed=False, status=200, booking=None):
        return self._render(
            "crm_bookme.message_page",
            {"title": title, "message": message, "booking": booking},
            embed=embed,
            status=status,
        )

    @http.route(
        "/book/<string:host_slug>", type="http", auth="public", website=True, sitemap=False, readonly=True
    )
    def host_page(self, host_slug, embed=None, invite=None, **_kw):
        host = self._or_404(common.find_host, host_slug)
        redirect = self._host_lang_redirect(host)
        if redirect:
            return redirect
        Type = request.env["bookme.event.type"].sudo()
        types = Type.search(
            Type._bookme_public_domain() & Domain([("user_id", "=", host.id), ("is_personal", "=", False)])
        )
        return self._render(
            "crm_bookme.host_page",
            {
                "host": host,
                "personal": host.bookme_personal_type_id,
                "event_types": types,
                "main_object": host.bookme_personal_type_id,
                **common.invite_page_values(invite, host),
            },
            embed=embed,
        )

    @http.route(
        "/book/embed/<int:type_id>", type="http", auth="public", website=True, sitemap=False, readonly=True
    )
    def embed_page(self, type_id, **_kw):
        """The website's Booking block knows a type by id: send it to the type's page."""
        if not 0 < type_id <= validation.MAX_ID:
            raise request.not_found()
        etype = request.env["bookme.event.type"].sudo().browse(type_id).exists()
        host = etype.user_id
        if not (etype and etype._bookme_is_public() and host.bookme_slug):
            raise request.not_found()
        path = f"/book/{host.bookme_slug}"
        if not etype.is_personal:
            path = f"{path}/{etype.slug}"
        return request.redirect(request.env["ir.http"]._url_lang(f"{path}?embed=1"))

    @http.route(
        "/book/<string:host_slug>/<string:type_slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def type_page(self, host_slug, type_slug, embed=None, invite=None, **_kw):
        host = self._or_404(common.find_host, host_slug)
        etype = self._or_404(common.find_type, host, type_slug)
        redirect = self._host_lang_redirect(host)
        if redirect:
            return redirect
        return self._render(
            "crm_bookme.type_page",
            {
                "host": host,
                "etype": etype,
                "main_object": etype,
                **common.invite_page_values(invite, host),
            },
            embed=embed,
        )

    @http.route(
        "/book/booking/<string:token>", type="http", auth="public", website=True, sitemap=False, readonly=True
    )
    def booking_page(self, token, embed=None, new=None, moved=None, **_kw):
        booking = self._or_404(common.find_booking, token)
        return self._booking_page(booking, embed, just_booked=bool(new), just_moved=bool(moved))

    def _booking_page(self, booking, embed, just_booked=False, just_moved=False):
        """The guest's booking page. A cancelled or declined booking shows its own state
        there (and on its cancel and reschedule links): book another time, no calendar file."""
        return self._render(
            "crm_bookme.booking_page",
            {
                "booking": booking,
                "etype": booking.event_type_id,
                "just_booked": just_booked,
                "just_moved": just_moved,
                "mail_state": booking._bookme_guest_mail_state(),
                "can_change": booking._bookme_can_change(),
            },
            embed=embed,
        )

    @http.route(
        "/book/booking/<string:token>/cancel",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
        readonly=True,
    )
    def cancel_confirm(self, token, embed=None, **_kw):
        """GET only asks: mail scanners follow links, and a link must never cancel."""
        booking = self._or_404(common.find_booking, token)
        if booking.state in CLOSED_STATES:
            return self._booking_page(booking, embed)
        return self._render(
            "crm_bookme.cancel_page",
            {
                "booking": booking,
                "can_change": booking._bookme_can_change(),
                "form_token": common.form_token(booking),
            },
            embed=embed,
        )

    def _form_refused(self, booking, embed):
        """A guest's form posted without the booking's form token: refused, changes
        nothing (mail scanners and other sites cannot post it)."""
        return self._message(
            request.env._("This form has expired"),
            request.env._("Please open your booking page again and retry."),
            embed=embed,
            status=400,
            booking=booking,
        )

    # The guest's forms are authorised by the booking's access token (in the URL) and its
    # form token (common.form_token), not by the session's CSRF token: in a cross-site
    # iframe the browser sends no session cookie, and the forms must work there too.
    @http.route(
        "/book/booking/<string:token>/cancel",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
        csrf=False,
    )
    def cancel_do(self, token, embed=None, reason=None, csrf_token=None, **_kw):
        booking = self._or_404(common.find_booking, token)
        if not common.check_form_token(booking, csrf_token):
            return self._form_refused(booking, embed)
        if booking.state in CLOSED_STATES:  # cancelled meanwhile (another tab, the host)
            return self._booking_page(booking, embed)
        try:
            reason = validation.cancel_reason(reason)
            booking._bookme_public_cancel(reason=reason)
        except BookmeError as exc:
            request.env.cr.rollback()
            return self._message(
                request.env._("Cannot cancel"),
                str(exc.args[0]),
                embed=embed,
                status=exc.status,
                booking=booking,
            )
        return self._render(
            "crm_bookme.cancelled_page",
            {
                "booking": booking,
                "mail_state": booking._bookme_guest_mail_state(),
            },
            embed=embed,
        )

    @http.route("/book/<string:host_slug>/avatar", type="http", auth="public", sitemap=False, readonly=True)
    def host_avatar(self, host_slug, **_kw):
        """The host's picture for the booking pages (visitors cannot read users' images)."""
        host = self._or_404(common.find_host, host_slug)
        stream = request.env["ir.binary"]._get_image_stream_from(host.partner_id, "avatar_128")
        return stream.get_response(max_age=3600)

    @http.route(
        "/book/booking/<string:token>/reschedule",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
        readonly=True,
    )
    def reschedule_page(self, token, embed=None, **_kw):
        """The booking widget, in 'move my appointment' mode (it posts the form below)."""
        booking = self._or_404(common.find_booking, token)
        if booking.state in CLOSED_STATES:
            return self._booking_page(booking, embed)
        if not booking._bookme_can_change():
            return self._message(
                request.env._("Cannot reschedule"),
                request.env._("This appointment can no longer be changed online. Please contact your host."),
                embed=embed,
                booking=booking,
            )
        etype = booking.event_type_id
        return self._render(
            "crm_bookme.reschedule_page",
            {
                "booking": booking,
                "etype": etype,
                "host": etype.user_id,
                "form_token": common.form_token(booking),
            },
            embed=embed,
        )

    @http.route(
        "/book/booking/<string:token>/reschedule",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
        csrf=False,
    )
    def reschedule_do(self, token, start=None, embed=None, csrf_token=None, **_kw):
        booking = self._or_404(common.find_booking, token)
        if not common.check_form_token(booking, csrf_token):
            return self._form_refused(booking, embed)
        if booking.state in CLOSED_STATES:
            return self._booking_page(booking, embed)
        try:
            booking._bookme_public_reschedule(common.parse_start(start))
        except BookmeError as exc:
            request.env.cr.rollback()
            return self._message(
                request.env._("Cannot reschedule"),
                str(exc.args[0]),
                embed=embed,
                status=exc.status,
                booking=booking,
            )
        suffix = "&embed=1" if embed else ""
        # Back to the guest's page in the language of the page they moved it from.
        path = f"/book/booking/{booking.access_token}?moved=1{suffix}"
        return request.redirect(request.env["ir.http"]._url_lang(path))

    @http.route("/book/booking/<string:token>/ics", type="http", auth="public", sitemap=False, readonly=True)
    def booking_ics(self, token, **_kw):
        booking = self._or_404(common.find_booking, token)
        return request.make_response(
            booking._bookme_ics(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", 'attachment; filename="appointment.ics"'),
            ],
        )
