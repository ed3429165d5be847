from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain

from .utils import RESERVED_SLUGS, SLUG_RE, free_slug, slugify

# The rule of which event types a visitor may book (pages, API, embeds, composer links,
# the guest's reschedule, pictures): active, published, of a host who takes bookings.
# Used as a search domain and, through :meth:`BookmeEventType._bookme_is_public`, on records.
PUBLIC_TYPE_DOMAIN = (
    ("active", "=", True),
    ("is_published", "=", True),
    ("user_id.bookme_enabled", "=", True),
)


class BookmeEventType(models.Model):
    """What a guest books: a 30-minute consultation, a weekly workshop... Each host also has
    one hidden *personal* type (slug ``free``) behind the free-for-appointment page; its
    duration and slot mode follow the host's Book Me preferences."""

    _name = "bookme.event.type"
    _description = "Book Me event type"
    _inherit = ["mail.thread", "image.mixin", "website.published.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Html(translate=True, sanitize=True)
    user_id = fields.Many2one(
        "res.users",
        "Host",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        ondelete="cascade",
    )
    host_name = fields.Char(compute="_compute_host_name", store=True, readonly=False)
    company_id = fields.Many2one(related="user_id.company_id", store=True)
    slug = fields.Char(
        "Link Name",
        compute="_compute_slug",
        store=True,
        readonly=False,
        copy=False,
        help="The end of this type's booking page address: /book/<your link name>/<this>.",
    )
    is_personal = fields.Boolean(readonly=True, copy=False)
    kind = fields.Selection(
        [("individual", "Individual"), ("group", "Group")],
        required=True,
        default="individual",
        help="Individual: each slot is booked by one person.\n"
        "Group: several people book the same slot, up to the maximum participants.",
    )
    capacity = fields.Integer("Maximum Participants", default=1)
    duration = fields.Integer("Duration (minutes)", default=30, required=True)
    location_ids = fields.One2many("bookme.location", "event_type_id", "Locations", copy=True)

    date_range_mode = fields.Selection(
        [
            ("indefinite", "Indefinitely into the future"),
            ("rolling", "A number of days into the future"),
            ("range", "Within a date range"),
        ],
        string="Bookable",
        default="indefinite",
        required=True,
    )
    rolling_days = fields.Integer("Days Into the Future", default=60)
    date_from = fields.Date("Bookable From")
    date_to = fields.Date("Bookable Until")
    min_notice = fields.Integer(
        "Minimum Notice (minutes)", default=120, help="How long before the start a guest can book."
    )
    cancel_deadline = fields.Integer(
        "Cancellation Deadline (minutes)",
        default=0,
        help="Guests can cancel or reschedule until this long before the start (0: until the start).",
    )
    use_global_availability = fields.Boolean(
        "Use My Global Availability",
        default=True,
        help="Off: this type uses its own weekly hours below.",
    )
    resource_calendar_id = fields.Many2one("resource.calendar", "Available Hours")
    increment = fields.Integer("Start Time Increment (minutes)", default=30)
    daily_limit = fields.Integer(default=0, help="Bookings per day; 0 = no limit.")
    buffer_before = fields.Integer("Buffer Before (minutes)", default=0)
    buffer_after = fields.Integer("Buffer After (minutes)", default=0)
    tz_display = fields.Selection(
        [("guest", "The guest's time zone"), ("host", "The host's time zone")],
        string="Show Times In",
        default="guest",
        required=True,
    )
    requires_approval = fields.Boolean("Manually Approve Requests")
    multiple_requests = fields.Boolean(
        "Multiple Clients Can Request the Same Slot",
        help="On: a slot stays bookable until a request is approved.\n"
        "Off: a pending request makes the slot unavailable.",
    )
    # website.published.mixin's field (published by default: _default_is_published).
    is_published = fields.Boolean("Published")
    booking_ids = fields.One2many("bookme.booking", "event_type_id", "Bookings")
    booking_count = fields.Integer(compute="_compute_booking_count")
    booking_url = fields.Char("Booking Page", compute="_compute_booking_url")

    _slug_unique_per_host = models.UniqueIndex(
        "(user_id, slug) WHERE slug IS NOT NULL AND active",
        "This link name is already used by another of the host's event types.",
    )
    _capacity_positive = models.Constraint("CHECK(capacity >= 1)", "Capacity must be at least 1.")
    _duration_positive = models.Constraint("CHECK(duration > 0)", "Duration must be positive.")
    _increment_positive = models.Constraint(
        "CHECK(increment IS NULL OR increment >= 0)", "The increment cannot be negative."
    )
    _minutes_not_negative = models.Constraint(
        "CHECK(min_notice >= 0 AND cancel_deadline >= 0 AND buffer_before >= 0 "
        "AND buffer_after >= 0 AND daily_limit >= 0 AND rolling_days >= 0)",
        "Notice, deadline, buffers, limits and days cannot be negative.",
    )

    IMAGE_FIELDS = frozenset({"image_1920", "image_1024", "image_512", "image_256", "image_128"})

    def _default_is_published(self):
        return True

    @api.depends("booking_url")
    def _compute_website_url(self):
        for etype in self:
            etype.website_url = etype.booking_url or "#"

    def _can_return_content(self, field_name=None, access_token=None):
        """Visitors see the picture of a published type of an active host (``/web/image``)."""
        if field_name in self.IMAGE_FIELDS and self._bookme_is_public():
            return True
        return super()._can_return_content(field_name, access_token)

    @api.model
    def _bookme_public_domain(self):
        """The search domain of :data:`PUBLIC_TYPE_DOMAIN` (add the host, the slug...)."""
        return Domain(list(PUBLIC_TYPE_DOMAIN))

    def _bookme_is_public(self):
        """Whether a visitor may book this type (:data:`PUBLIC_TYPE_DOMAIN`)."""
        self.ensure_one()
        return bool(self.sudo().with_context(active_test=False).filtered_domain(self._bookme_public_domain()))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("user_id"):
                self._bookme_check_host(vals["user_id"])
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals:
            self._bookme_check_host(vals["user_id"])
        return super().write(vals)

    @api.model
    def _bookme_check_host(self, user_id):
        """Only Book Me administrators give an event type (and its bookings' page) to
        another host."""
        if (
            self.env.su
            or user_id == self.env.uid
            or self.env.user.has_group("crm_bookme.group_bookme_manager")
        ):
            return
        raise AccessError(self.env._("Only a Book Me administrator can give an event type to another host."))

    @api.depends("user_id")
    def _compute_host_name(self):
        for etype in self:
            if not etype.host_name:
                etype.host_name = etype.user_id.name

    @api.depends("name")
    def _compute_slug(self):
        for etype in self:
            if not etype.slug and etype.name and not etype.is_personal:
                etype.slug = etype._bookme_free_slug(slugify(etype.name) or "meeting")

    def _bookme_free_slug(self, base):
        """A slug not yet used by this host's other types, nor reserved."""
        taken = self.search([("user_id", "=", self.user_id.id), ("id", "!=", self.id or 0)]).mapped("slug")
        return free_slug(base, taken)

    def _compute_booking_count(self):
        counts = dict(
            self.env["bookme.booking"]._read_group(
                [("event_type_id", "in", self.ids)], ["event_type_id"], ["__count"]
            )
        )
        for etype in self:
            etype.booking_count = counts.get(etype, 0)

    @api.depends("slug", "user_id.bookme_slug", "is_personal")
    def _compute_booking_url(self):
        for etype in self:
            host = etype.user_id.bookme_slug
            if not host or not etype.slug:
                etype.booking_url = False
            elif etype.is_personal:
                etype.booking_url = f"{etype.get_base_url()}/book/{host}"
            else:
                etype.booking_url = f"{etype.get_base_url()}/book/{host}/{etype.slug}"

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind == "individual":
            self.capacity = 1
        elif self.capacity < 2:
            self.capacity = 10

    @api.constrains("slug", "is_personal")
    def _check_slug(self):
        for etype in self:
            if etype.is_personal:
                continue
            if not etype.slug or not SLUG_RE.match(etype.slug):
                raise ValidationError(
                    self.env._(
                        "The link name may only contain lower-case letters, digits and single "
                        "dashes, e.g. 'consultation'."
                    )
                )
            if etype.slug in RESERVED_SLUGS:
                raise ValidationError(
                    self.env._("'%(slug)s' is reserved; choose another link name.", slug=etype.slug)
                )

    @api.constrains("kind", "capacity")
    def _check_capacity(self):
        for etype in self:
            if etype.kind == "individual" and etype.capacity != 1:
                raise ValidationError(self.env._("An individual event type has one seat per slot."))

    @api.constrains("date_range_mode", "date_from", "date_to", "rolling_days")
    def _check_date_range(self):
        for etype in self:
            if etype.date_range_mode == "range":
                if not (etype.date_from and etype.date_to) or etype.date_from > etype.date_to:
                    raise ValidationError(
                        self.env._("A date range needs a start date on or before its end date.")
                    )
            if etype.date_range_mode == "rolling" and etype.rolling_days < 1:
                raise ValidationError(self.env._("Offer at least one day into the future."))

    @api.constrains("use_global_availability", "resource_calendar_id")
    def _check_own_hours(self):
        for etype in self:
            if not etype.use_global_availability and not etype.resource_calendar_id:
                raise ValidationError(
                    self.env._(
                        "Choose this event type's own available hours, or use your global availability."
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_personal(self):
        if any(etype.is_personal for etype in self) and not self.env.context.get("bookme_force"):
            raise ValidationError(
                self.env._(
                    "The personal booking type of a host cannot be deleted; disable Book "
                    "Me on the user instead."
                )
            )

    def action_view_bookings(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_bookme.action_bookme_booking")
        action["domain"] = [("event_type_id", "=", self.id)]
        action["context"] = {"default_event_type_id": self.id}
        return action

    def action_open_booking_page(self):
        self.ensure_one()
        self.check_access("read")
        return {"type": "ir.actions.act_url", "url": self.booking_url, "target": "new"}

    # --- Effective settings (the personal type follows the host's preferences) ---------------

    def _bookme_effective_duration(self):
        self.ensure_one()
        return self.user_id.bookme_slot_duration if self.is_personal else self.duration
