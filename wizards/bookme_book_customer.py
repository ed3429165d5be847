from datetime import timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine.email_address import email_problem
from ..models.bookme_booking import _as_user_error
from ..models.utils import as_utc
from . import bookme_slot_choice  # noqa: F401 (the parent model is defined first)


class BookmeBookCustomer(models.TransientModel):
    """Book for a customer from the back office (a caller on the phone, a lead, a
    contact): a type, the customer or a new contact, and one of the free times the engine
    offers that day. The booking goes through the booking path of the public pages
    (``_bookme_create``: host lock, engine re-check, calendar event, lead, and the guest's
    and host's emails after the commit)."""

    _name = "bookme.book.customer"
    _description = "Book Me: book for a customer"
    _inherit = ["bookme.slot.choice.mixin"]
    _slot_depends = ("event_type_id",)

    event_type_id = fields.Many2one(
        "bookme.event.type",
        required=True,
        default=lambda self: self._default_event_type(),
        help="Your own event types (a Book Me administrator may book any).",
    )
    user_id = fields.Many2one(related="event_type_id.user_id", string="Host")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        help="An existing contact; leave empty to create one from the name, email and phone.",
    )
    lead_id = fields.Many2one("crm.lead")
    name = fields.Char(compute="_compute_contact", store=True, readonly=False)
    email = fields.Char(compute="_compute_contact", store=True, readonly=False)
    phone = fields.Char(compute="_compute_contact", store=True, readonly=False)
    note = fields.Text()
    location_id = fields.Many2one(
        "bookme.location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        domain="[('event_type_id', '=', event_type_id)]",
    )
    has_locations = fields.Boolean(compute="_compute_location_id")
    start = fields.Datetime(
        "Time",
        compute="_compute_start",
        store=True,
        readonly=False,
        help="One of the host's free times that day.",
    )

    @api.model
    def _default_event_type(self):
        """The user's first own type (the free-for-appointment type last)."""
        Type = self.env["bookme.event.type"]
        return Type.search(
            [("user_id", "=", self.env.uid)], limit=1, order="is_personal, sequence, id"
        ) or Type.search([], limit=1)

    @api.depends("partner_id", "lead_id")
    def _compute_contact(self):
        for wiz in self:
            source = wiz.partner_id or wiz.lead_id.partner_id
            lead = wiz.lead_id
            wiz.name = source.name or lead.contact_name or lead.partner_name or wiz.name
            wiz.email = source.email or lead.email_from or wiz.email
            wiz.phone = source.phone or lead.phone or wiz.phone

    @api.depends("event_type_id")
    def _compute_location_id(self):
        for wiz in self:
            locations = wiz.event_type_id.location_ids
            wiz.has_locations = bool(locations)
            if wiz.location_id not in locations:
                wiz.location_id = locations[:1]

    @api.depends("event_type_id")
    def _compute_date(self):
        """The first day with a free time in the next weeks (else today)."""
        scheduler = self.env["bookme.scheduler"]
        for wiz in self:
            etype = wiz.event_type_id.sudo()
            today = fields.Date.context_today(wiz)
            wiz.date = today
            if not etype:
                continue
            tz = etype.user_id.tz or "UTC"
            start, end = scheduler._window_from_dates(today, today + timedelta(days=30), tz)
            slots = scheduler._slots(etype, start, end)
            if slots:
                wiz.date = slots[0].start.astimezone(ZoneInfo(tz)).date()

    def _slot_host(self):
        return self.event_type_id.user_id

    def _slot_query(self):
        if not self.event_type_id:
            return None
        return self.event_type_id.sudo(), {}

    @api.depends("free_slots")
    def _compute_start(self):
        for wiz in self:
            wiz.start = wiz._slot_kept(wiz.start)

    def action_book(self):
        """Book the chosen time (through the public booking path) and open the booking."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("Only Book Me users can book for a customer."))
        etype = self.event_type_id
        etype.check_access("write")  # own types; a Book Me administrator's: any
        if self.partner_id:
            self.partner_id.check_access("read")
        if self.lead_id:
            self.lead_id.check_access("write")
        if not self.start:
            raise UserError(self.env._("Choose one of the free times."))
        name = (self.name or "").strip()
        email = (self.email or "").strip()
        if not self.partner_id and not name:
            raise UserError(self.env._("Choose the customer, or type the new contact's name."))
        if not (email or self.partner_id.email):
            raise UserError(
                self.env._("An email address is needed: the customer gets the confirmation there.")
            )
        if email and email_problem(email):
            raise UserError(
                self.env._("'%(email)s' is not a valid email address. Please check it.", email=email[:80])
            )
        partner = self.partner_id or self.lead_id.partner_id or None
        with _as_user_error():
            booking = self.env["bookme.booking"]._bookme_create(
                etype,
                as_utc(self.start),
                name or partner.name,
                email or partner.email,
                phone=(self.phone or "").strip() or None,
                note=self.note or None,
                location=self.location_id or None,
                guest_tz=(partner and partner.tz) or etype.user_id.tz or "UTC",
                lang=(partner and partner.lang) or None,
                partner=partner,
                lead=self.lead_id or None,
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Booking"),
            "res_model": "bookme.booking",
            "res_id": booking.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _bookme_open(self, context):
        """The wizard's window action, with ``context`` (defaults)."""
        if not self.env.user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("Only Book Me users can book for a customer."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book for a Customer"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }
