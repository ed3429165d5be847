import secrets
from contextlib import contextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize

from .. import engine
from ..engine.ics import booking_ics
from ..exceptions import BookmeError
from .bookme_location import is_web_url
from .time_format import format_when
from .utils import ACTIVE_STATES, as_naive, as_utc

UTC = timezone.utc

# Only the booking path (lock, engine re-check, calendar event, emails) changes these: it
# writes them in sudo after checking the caller. Direct writes by users are refused.
BOOKING_PATH_FIELDS = frozenset({"state", "start", "stop", "user_id", "event_type_id"})


@contextmanager
def _as_user_error():
    """Back-office actions raise plain ``UserError``s (the web client shows its warning
    dialog for that class only, not for :class:`BookmeError`)."""
    try:
        yield
    except BookmeError as exc:
        raise UserError(exc.args[0]) from exc


class BookmeBooking(models.Model):
    """One guest's booking of one slot.

    A confirmed booking lives in a ``calendar.event`` organised by the host, with the
    guest's partner as attendee; bookings of a group type at the same time share that
    event. Requests (types that need approval) get their event when approved.
    """

    _name = "bookme.booking"
    _description = "Book Me booking"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"
    _rec_names_search = ["guest_name", "partner_id", "event_type_id"]

    # event_type_id, user_id, start, stop, state: written by the booking path only.
    event_type_id = fields.Many2one(
        "bookme.event.type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        "Host",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="event_type_id.company_id", store=True)
    start = fields.Datetime(required=True, tracking=True, readonly=True)
    stop = fields.Datetime(required=True, readonly=True)
    duration = fields.Integer("Duration (minutes)", compute="_compute_duration")
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("confirmed", "Confirmed"),
            ("declined", "Declined"),
            ("cancelled", "Cancelled"),
            ("done", "Done"),
        ],
        required=True,
        default="confirmed",
        tracking=True,
        index=True,
        readonly=True,
    )
    seats = fields.Integer(default=1, readonly=True)
    access_token = fields.Char(
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(32),
        groups="crm_bookme.group_bookme_user",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event", index="btree_not_null", ondelete="set null", copy=False
    )
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", ondelete="set null")
    location_id = fields.Many2one("bookme.location", ondelete="set null")
    location_text = fields.Char("Location Details")
    guest_name = fields.Char("Name")
    guest_email = fields.Char("Email")
    guest_phone = fields.Char("Phone")
    note = fields.Text("Guest Note")
    guest_tz = fields.Char("Guest Time Zone", default="UTC")
    lang = fields.Char("Language")
    checked_in = fields.Boolean(tracking=True)
    checkin_date = fields.Datetime("Check-in Time")
    internal_note = fields.Text()
    client_message = fields.Text("Message to the Client")
    cancel_reason = fields.Text("Cancellation Reason")
    guest_mail_failed = fields.Boolean(
        "Guest Email Failed",
        readonly=True,
        copy=False,
        help="The last email to the guest could not be prepared (its template failed); "
        "the host got a note and a to-do.",
    )
    idempotency_key = fields.Char(copy=False, readonly=True)
    start_display = fields.Char(
        "Guest's Time",
        compute="_compute_start_display",
        help="The time as the guest reads it: in the guest's language and time zone.",
    )
    host_start_display = fields.Char(
        "When",
        compute="_compute_host_start_display",
        help="The time in the host's language and time zone.",
    )
    manage_url = fields.Char("Guest Page", compute="_compute_manage_url")

    _idempotency_unique = models.UniqueIndex(
        "(event_type_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
        "This booking request was already received.",
    )
    _token_unique = models.Constraint("unique(access_token)", "Booking tokens are unique.")
    _stop_after_start = models.Constraint("CHECK(stop > start)", "A booking ends after it starts.")

    @api.depends("start", "stop")
    def _compute_duration(self):
        for booking in self:
            booking.duration = (
                int((booking.stop - booking.start).total_seconds() // 60)
                if booking.start and booking.stop
                else 0
            )

    @api.depends("event_type_id", "partner_id", "start")
    @api.depends_context("bookme_customer_first")
    def _compute_display_name(self):
        # The Bookings views name the customer first: a short calendar block shows who.
        customer_first = self.env.context.get("bookme_customer_first")
        for booking in self:
            parts = [booking.event_type_id.name, booking.partner_id.name]
            if customer_first:
                parts.reverse()
            booking.display_name = " – ".join(filter(None, parts)) or self.env._("New booking")

    @api.depends("start", "stop", "guest_tz", "lang")
    def _compute_start_display(self):
        for booking in self:
            if not booking.start:
                booking.start_display = False
                continue
            booking.start_display = booking._bookme_display_for(booking.lang, booking.guest_tz)

    @api.depends("start", "stop", "user_id.tz", "user_id.lang")
    def _compute_host_start_display(self):
        for booking in self:
            booking.host_start_display = booking._bookme_display_for(booking.user_id.lang, booking.user_id.tz)

    def _bookme_display_for(self, lang, tz):
        """The booking's time as a reader of ``lang`` in zone ``tz`` reads it:
        ``"Friday, November 27, 2026, 8:00 AM – 8:30 AM (Europe/Brussels)"``,
        ``"fredag 27. november 2026, 08:00 – 08:30 (Europe/Oslo)"`` (see :mod:`.time_format`).

        THE ONE formatter of a booking's time range: every page (``start_display``), email
        (``start_display`` / ``host_start_display``) and host notice (inbox, chatter) reads
        a booking's time through here, so they always agree."""
        self.ensure_one()
        if not self.start:
            return False
        return format_when(self.env, self.start, tz or "UTC", lang, stop=self.stop)

    @api.depends("lang")
    def _compute_manage_url(self):
        """The guest's page, in the language they booked in: ``…/nb/book/booking/<token>``
        (the links of the guest's emails and the API's ``manage_url``)."""
        for booking in self:
            token = booking.sudo().access_token
            booking.manage_url = (
                f"{booking.get_base_url()}{booking._bookme_lang_prefix()}/book/booking/{token}"
            )

    def _bookme_lang_prefix(self):
        """The website's URL prefix of the booking's language (``"/nb"``), or ``""`` when
        that language is the website's default or not one of its languages."""
        self.ensure_one()
        if not self.lang:
            return ""
        Website = self.env["website"].sudo()
        website = Website.get_current_website() if request and getattr(request, "website", None) else None
        website = website or Website.search([("company_id", "in", [self.company_id.id, False])], limit=1)
        if not website or self.lang == website.default_lang_id.code:
            return ""
        lang = website.language_ids.filtered(lambda lg: lg.code == self.lang)
        return f"/{lang.url_code}" if lang else ""

    # --- Direct writes -----------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Bookings are made by the booking path only (the public pages, the API)."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Bookings are made on the booking pages: share your Book Me link, or book "
                    "from the customer's booking page."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        """State, time, host and type change through the actions only (cancel,
        reschedule...), which re-check the slot, move the calendar event and tell the
        guest. Everything else (notes, lead, check-in) is written as usual."""
        if not self.env.su and BOOKING_PATH_FIELDS.intersection(vals):
            raise UserError(
                self.env._(
                    "The status, time, host and type of a booking cannot be edited directly: "
                    "use Reschedule or Cancel Booking, which check the new time and tell the "
                    "customer."
                )
            )
        return super().write(vals)

    # --- The booking path ------------------------------------------------------------------

    @api.model
    def _bookme_create(
        self,
        etype,
        start,
        name,
        email,
        phone=None,
        note=None,
        location=None,
        guest_tz=None,
        lang=None,
        idempotency_key=None,
        partner=None,
        lead=None,
    ):
        """Book ``etype`` at ``start`` (aware) for a guest, or raise :class:`BookmeError`.

        Runs with the rights of whoever calls it (sudo for the public pages). The slot is
        re-checked with the engine after taking the host lock, so two workers booking the
        same host at once are serialised in the database and never both succeed. Outside
        calls (Zoom, emails) are queued for after the commit (``bookme_booking_outside``);
        the public pages go through ``_bookme_public_book``, which commits and makes them.
        """
        etype = etype.sudo()
        self = self.sudo()
        if idempotency_key:
            previous = self._bookme_by_idempotency(etype, idempotency_key)
            if previous:
                return previous._bookme_replay(start, email)
        scheduler = self.env["bookme.scheduler"]
        # Taken already as far as this transaction can see: refused at once, without
        # queueing for the host lock behind everyone else who wants the same slot.
        slot = scheduler._check_slot(etype, start)
        if slot:
            self.env["bookme.host.lock"]._acquire(etype.user_id)
            if idempotency_key:
                previous = self._bookme_by_idempotency(etype, idempotency_key)
                if previous:
                    return previous._bookme_replay(start, email)
            slot = scheduler._check_slot(etype, start)
        if not slot:
            raise BookmeError(
                "slot_unavailable",
                self.env._("Sorry, this time is no longer available. Please choose another one."),
                field="start",
                status=409,
            )
        partner = partner or self._bookme_find_or_create_partner(name, email, phone, lang, guest_tz)
        # The host follows the booking, but is told by Book Me's own email, not "assigned".
        booking = self.with_context(mail_auto_subscribe_no_notify=True).create(
            {
                "event_type_id": etype.id,
                "user_id": etype.user_id.id,
                "partner_id": partner.id,
                "start": as_naive(slot.start),
                "stop": as_naive(slot.end),
                "state": "requested" if etype.requires_approval else "confirmed",
                "location_id": location.id if location else False,
                "location_text": location._bookme_description() if location else False,
                "guest_name": name,
                "guest_email": email,
                "guest_phone": phone,
                "note": note,
                "guest_tz": guest_tz or etype.user_id.tz or "UTC",
                "lang": lang or etype.user_id.lang,
                "idempotency_key": idempotency_key or False,
                "lead_id": lead.id if lead else False,
            }
        )
        if booking.state == "confirmed":
            booking._bookme_attach_calendar_event()
        booking._bookme_link_lead()
        booking._bookme_notify("created")
        return booking

    def _bookme_replay(self, start, email):
        """The booking an idempotency key already made, for a retry of the same request
        (same start, same normalized email). Another request with that key (another
        guest, another time) is refused: it must never see this guest's booking."""
        self.ensure_one()
        if as_naive(start) != self.start or email_normalize(email or "") != email_normalize(
            self.guest_email or ""
        ):
            raise BookmeError(
                "idempotency_conflict",
                self.env._(
                    "This booking request was already sent with other details "
                    "(idempotency key already used). Check your details and send it "
                    "again."
                ),
                field="idempotency_key",
                status=409,
            )
        return self

    @api.model
    def _bookme_by_idempotency(self, etype, key):
        return self.search([("event_type_id", "=", etype.id), ("idempotency_key", "=", key)], limit=1)

    @api.model
    def _bookme_find_or_create_partner(self, name, email, phone, lang, tz):
        normalized = email_normalize(email)
        Partner = self.env["res.partner"].sudo()
        partner = Partner.search([("email_normalized", "=", normalized)], limit=1, order="id")
        if partner:
            return partner
        langs = dict(self.env["res.lang"].get_installed())
        return Partner.create(
            {
                "name": name,
                "email": email,
                "phone": phone or False,
                "lang": lang if lang in langs else False,
                "tz": tz or False,
            }
        )

    # --- Guest actions -------------------------------------------------------------------------

    def _bookme_before_deadline(self):
        """The cancellation deadline, the one rule for the guest's cancel and reschedule:
        whether it has not passed yet (:func:`engine.can_cancel`)."""
        self.ensure_one()
        return engine.can_cancel(
            as_utc(self.start), self.env["bookme.scheduler"]._now(), self.event_type_id.cancel_deadline
        )

    def _bookme_check_deadline(self):
        self.ensure_one()
        if not self._bookme_before_deadline():
            raise BookmeError(
                "deadline_passed",
                self.env._(
                    "This appointment can no longer be changed online: the deadline has passed. "
                    "Please contact %(host)s.",
                    host=self.event_type_id.host_name or self.user_id.name,
                ),
                status=409,
            )

    def _bookme_check_active(self):
        self.ensure_one()
        if self.state not in ACTIVE_STATES:
            raise BookmeError(
                "not_active",
                self.env._(
                    "This appointment is already %(state)s.",
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state].lower(),
                ),
                status=409,
            )

    # The host's actions (RPC endpoints: they check the caller first) and the guest's, which
    # only the token routes call (private: never reachable over RPC).

    def action_bookme_cancel(self, reason=None):
        """Cancel as the host or a Book Me administrator (no guest deadline), free the slot
        and tell both sides."""
        self.check_access("write")
        with _as_user_error():
            return self.sudo()._bookme_cancel(reason)

    def _bookme_guest_cancel(self, reason=None):
        """Cancel from the guest's token page: the guest is held to the deadline."""
        bookings = self.sudo()  # the token route found the booking: that is the check
        for booking in bookings:
            booking._bookme_check_active()
            booking._bookme_check_deadline()
        return bookings._bookme_cancel(reason)

    def _bookme_cancel(self, reason=None):
        """The cancellation itself; callers check who asks, then call it in sudo (the
        booking path's fields refuse other writes)."""
        for booking in self:
            booking._bookme_check_active()
            booking.write({"state": "cancelled", "cancel_reason": reason or False})
            booking._bookme_release_calendar_event()
            booking._bookme_notify("cancelled")
        return True

    def action_bookme_reschedule(self, new_start):
        """Move the booking to ``new_start`` (aware datetime, or ISO 8601 with offset) as the
        host or a Book Me administrator, if the engine offers that time."""
        self.ensure_one()
        self.check_access("write")
        if isinstance(new_start, str):
            new_start = self._bookme_parse_start(new_start)
        with _as_user_error():
            return self.sudo()._bookme_reschedule(new_start)

    def _bookme_guest_reschedule(self, new_start):
        """Reschedule from the guest's token page: deadline, and only while the type is
        still published and the host still takes bookings."""
        self.ensure_one()
        booking = self.sudo()
        booking._bookme_check_active()
        booking._bookme_check_deadline()
        etype = booking.event_type_id
        if not etype._bookme_is_public():
            raise BookmeError(
                "slot_unavailable",
                self.env._(
                    "This appointment can no longer be moved online. Please contact %(host)s.",
                    host=etype.host_name or booking.user_id.name,
                ),
                field="start",
                status=409,
            )
        return booking._bookme_reschedule(new_start)

    @api.model
    def _bookme_parse_start(self, value):
        try:
            start = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:
            raise UserError(
                self.env._(
                    "Give the new start as an ISO 8601 time with its offset, e.g. 2030-05-31T09:00:00+02:00."
                )
            )
        return start

    def _bookme_reschedule(self, new_start):
        """The move itself; callers check who asks, then call it in sudo (the booking
        path's fields refuse other writes)."""
        self.ensure_one()
        booking = self
        booking._bookme_check_active()
        scheduler = self.env["bookme.scheduler"]
        # As for a booking: refused at once when taken already, re-checked under the lock.
        slot = scheduler._check_slot(booking.event_type_id, new_start, exclude_booking=booking)
        if slot:
            self.env["bookme.host.lock"]._acquire(booking.user_id)
            slot = scheduler._check_slot(booking.event_type_id, new_start, exclude_booking=booking)
        if not slot:
            raise BookmeError(
                "slot_unavailable",
                self.env._("Sorry, this time is not available. Please choose another one."),
                field="start",
                status=409,
            )
        old_display = booking.start_display
        old_host_display = booking.host_start_display
        if booking.calendar_event_id:
            booking._bookme_release_calendar_event()
            booking.calendar_event_id = False
        booking.write({"start": as_naive(slot.start), "stop": as_naive(slot.end)})
        if booking.state == "confirmed":
            booking._bookme_attach_calendar_event()
        booking._bookme_notify("rescheduled", old_display=old_display, old_host_display=old_host_display)
        return True

    # --- The guest's pages --------------------------------------------------------------

    def _bookme_book_again_url(self):
        """Where the guest of a cancelled or declined booking books another time: the
        type's page while it is published, else the host's page (``False`` when the host
        has no page any more)."""
        self.ensure_one()
        booking = self.sudo()
        host, etype = booking.event_type_id.user_id, booking.event_type_id
        if not (host.bookme_enabled and host.bookme_slug):
            return False
        if not etype.is_personal and etype.slug and etype._bookme_is_public():
            return f"/book/{host.bookme_slug}/{etype.slug}"
        return f"/book/{host.bookme_slug}"

    # --- Calendar file -------------------------------------------------------------------

    def _bookme_ics(self):
        """The booking as an iCalendar file (bytes): CONFIRMED, TENTATIVE or CANCELLED
        (built by :func:`crm_bookme.engine.ics.booking_ics`). Its texts are in the guest's
        language (the one they booked in), the time in the description in the guest's
        zone."""
        self.ensure_one()
        booking = self.sudo().with_context(lang=self.lang or self.partner_id.lang or self.env.lang)
        # What the guest sees names them as they typed it, never a stored contact's name
        # (an anonymous booker may have typed someone else's address).
        guest = booking.guest_name or booking.partner_id.name
        location = booking.location_text or ""
        if booking.calendar_event_id.videocall_location:
            location = f"{location} {booking.calendar_event_id.videocall_location}".strip()
        description = "\n".join(
            filter(
                None,
                [
                    booking.event_type_id.name,
                    booking.start_display,
                    location,
                    booking.note,
                    booking.env._("Manage your booking: %(url)s", url=booking.manage_url),
                ],
            )
        )
        return booking_ics(
            uid=f"bookme-{booking.id}-{booking.access_token[:16]}@crm_bookme",
            state=booking.state,
            start=booking.start,
            stop=booking.stop,
            stamp=fields.Datetime.now(),
            summary=" – ".join(filter(None, [booking.event_type_id.name, guest])),
            description=description,
            location=location,
            url=booking.manage_url,
            sequence=int(booking.write_date.timestamp()) if booking.write_date else 0,
            organizer=(booking.user_id.email, booking.user_id.name),
            attendee=(booking.partner_id.email, guest),
        )

    # --- Presentation ------------------------------------------------------------------------

    def _bookme_public_dict(self, tz=None):
        """The booking as the JSON API shows it (times with the offset of ``tz``)."""
        self.ensure_one()
        zone = ZoneInfo(tz or self.guest_tz or "UTC")
        return {
            "token": self.access_token,  # the API reads its bookings in sudo
            "state": self.state,
            "start": as_utc(self.start).astimezone(zone).isoformat(),
            "end": as_utc(self.stop).astimezone(zone).isoformat(),
            "manage_url": self.manage_url,
        }

    def _bookme_text_dir(self):
        """``"rtl"`` when the language being written in (the environment's: a template
        renders each email in its recipient's) is right-to-left, like Hebrew; else
        ``"ltr"``. Book Me's email layout (``MAIL_LAYOUT``) sets it as the emails' ``dir``:
        Odoo's mail layouts set none, and mail clients then lay Hebrew out left to right."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return "rtl" if lang and lang.direction == "rtl" else "ltr"

    def _bookme_videocall_url(self):
        """The event's video call address if it is a web address (a link), else False."""
        self.ensure_one()
        url = self.sudo().calendar_event_id.videocall_location
        return url if is_web_url(url) else False

    def _bookme_can_change(self):
        """Whether the guest may still cancel or reschedule online."""
        self.ensure_one()
        return self.state in ACTIVE_STATES and self._bookme_before_deadline()

    def action_open_calendar_event(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }

    def action_cancel_wizard(self):
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Booking"),
            "res_model": "bookme.booking.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_booking_ids": self.ids},
        }

    def action_reschedule_wizard(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reschedule Booking"),
            "res_model": "bookme.booking.reschedule",
            "view_mode": "form",
            "target": "new",
            "context": {"default_booking_id": self.id},
        }
