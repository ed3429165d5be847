from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .. import engine
from .res_company import SECRET_CODE_RE
from .utils import RESERVED_SLUGS, SLUG_RE, free_slug, slugify

DURATIONS = [("15", "15 minutes"), ("30", "30 minutes"), ("60", "1 hour"), ("120", "2 hours")]
BOOKME_USER_FIELDS = [
    "bookme_enabled",
    "bookme_mode",
    "bookme_slot_duration",
    "bookme_slot_duration_choice",
    "bookme_min_gap",
    "bookme_email_default",
    "bookme_slug",
    "bookme_secret_code",
]
# What a Book Me administrator may set on another user (the Book Me section of the user
# form): the Book Me preferences and the working hours.
BOOKME_ADMIN_FIELDS = frozenset([*BOOKME_USER_FIELDS, "resource_calendar_id"])


class ResUsers(models.Model):
    _inherit = "res.users"

    bookme_enabled = fields.Boolean("Activate Book Me", default=False)
    bookme_mode = fields.Selection(
        [
            ("semi_automatic", "Semi-automatic"),
            ("automatic", "Automatic"),
            ("manual", "Manual"),
        ],
        string="Slot Selection Mode",
        # Automatic: a new page offers times at once, from the working hours (08:00-12:00
        # and 15:00-19:00 on weekdays until they are set), minus the user's meetings.
        default="automatic",
        required=True,
        help="Semi-automatic: your 'Free for appointment' events are split into slots of the "
        "event duration.\nAutomatic: the free gaps between your events, inside your working "
        "hours, are split into slots.\nManual: each 'Free for appointment' event is one slot.",
    )
    bookme_slot_duration = fields.Integer("Event Duration (minutes)", default=30)
    bookme_slot_duration_choice = fields.Selection(
        DURATIONS,
        string="Event Duration",
        compute="_compute_bookme_slot_duration_choice",
        inverse="_inverse_bookme_slot_duration_choice",
    )
    bookme_min_gap = fields.Integer(
        "Minimum Time Between Events (minutes)",
        default=30,
        help="Automatic mode: only free gaps at least this long are offered.",
    )
    bookme_email_default = fields.Boolean(
        "Book Me Link On By Default",
        help="The 'Add my Book Me link' option starts ticked in the email composer.",
    )
    bookme_slug = fields.Char("Book Me Link Name", copy=False)
    bookme_url = fields.Char("Book Me URL", compute="_compute_bookme_url")
    bookme_next_step = fields.Text("Next Step", compute="_compute_bookme_next_step")
    # Readable by Book Me administrators, and by each user for their own code (it is in
    # SELF_READABLE_FIELDS / SELF_WRITEABLE_FIELDS below).
    bookme_secret_code = fields.Char(
        "Personal Secret Code",
        copy=False,
        groups="crm_bookme.group_bookme_manager",
        help="4 to 6 digits. When set, visitors must enter it to book with you.",
    )
    bookme_personal_type_id = fields.Many2one(
        "bookme.event.type",
        "Personal Booking Type",
        copy=False,
        readonly=True,
        groups="crm_bookme.group_bookme_user",
    )

    _bookme_slug_unique = models.UniqueIndex(
        "(bookme_slug) WHERE bookme_slug IS NOT NULL", "This Book Me link name is already used."
    )
    _bookme_duration_valid = models.Constraint(
        "CHECK(bookme_slot_duration IN (15, 30, 60, 120))",
        "The event duration is 15, 30, 60 or 120 minutes.",
    )
    _bookme_min_gap_positive = models.Constraint(
        "CHECK(bookme_min_gap >= 0)", "The minimum time between events cannot be negative."
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, *BOOKME_USER_FIELDS, "bookme_url", "bookme_next_step"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, *BOOKME_USER_FIELDS]

    @api.depends("bookme_slot_duration")
    def _compute_bookme_slot_duration_choice(self):
        for user in self:
            user.bookme_slot_duration_choice = str(user.bookme_slot_duration or 30)

    def _inverse_bookme_slot_duration_choice(self):
        for user in self:
            if user.bookme_slot_duration_choice:
                user.bookme_slot_duration = int(user.bookme_slot_duration_choice)

    @api.depends("bookme_slug")
    def _compute_bookme_url(self):
        for user in self:
            user.bookme_url = f"{user.get_base_url()}/book/{user.bookme_slug}" if user.bookme_slug else False

    @api.depends("bookme_enabled", "bookme_mode", "bookme_slug")
    def _compute_bookme_next_step(self):
        """What the page offers in the chosen mode, and what to do next (shown as soon as
        Book Me is ticked)."""
        for user in self:
            if not user.bookme_enabled:
                user.bookme_next_step = False
                continue
            modes = {
                "automatic": self.env._(
                    "Automatic mode: your page offers the free times inside your working hours "
                    "(Book Me > My Availability; weekdays 08:00-12:00 and 15:00-19:00 while none "
                    "are set), minus your meetings. It offers times as soon as you save."
                ),
                "semi_automatic": self.env._(
                    'Semi-automatic mode: your page offers only the "Free for appointment" '
                    "events of your calendar, cut into slots. Until you create one in Calendar, "
                    "your page shows no times."
                ),
                "manual": self.env._(
                    'Manual mode: each "Free for appointment" event of your calendar is one '
                    "bookable slot. Until you create one in Calendar, your page shows no times."
                ),
            }
            user.bookme_next_step = "\n".join(
                [
                    modes[user.bookme_mode or "automatic"],
                    self.env._(
                        "Next: save, then share your link (copy it above) or add it to your emails; "
                        "create event types with their own hours in Book Me > Event Types."
                    ),
                ]
            )

    @api.onchange("bookme_enabled")
    def _onchange_bookme_enabled(self):
        """Propose the link name at once, so that the page address shows before saving."""
        for user in self:
            if user.bookme_enabled and not user.bookme_slug:
                user.bookme_slug = user._bookme_unique_slug(user.name or user.login)

    @api.constrains("bookme_slug")
    def _check_bookme_slug(self):
        for user in self:
            if user.bookme_slug in RESERVED_SLUGS:
                raise ValidationError(
                    self.env._("'%(slug)s' is reserved; choose another link name.", slug=user.bookme_slug)
                )
            if user.bookme_slug and not SLUG_RE.match(user.bookme_slug):
                raise ValidationError(
                    self.env._(
                        "The Book Me link name may only contain lower-case letters, digits and "
                        "single dashes, e.g. 'jane-doe'."
                    )
                )

    @api.constrains("bookme_secret_code")
    def _check_bookme_secret_code(self):
        for user in self:
            if user.bookme_secret_code and not SECRET_CODE_RE.match(user.bookme_secret_code):
                raise ValidationError(self.env._("A secret code is 4 to 6 digits."))

    @api.model_create_multi
    def create(self, vals_list):
        # Working hours given with Book Me go on the resource that the set-up creates
        # (Odoo's related field would drop them: a new user has no resource yet).
        hours, clean = [], []
        for vals in vals_list:
            vals = dict(vals)
            hours.append(vals.pop("resource_calendar_id", None) if vals.get("bookme_enabled") else None)
            clean.append(vals)
        vals_list = clean
        users = super().create(vals_list)
        users.filtered("bookme_enabled")._bookme_setup()
        for user, hour in zip(users, hours, strict=True):
            if hour is not None:
                user._bookme_set_working_hours(hour)
        return users

    def write(self, vals):
        """Book Me administrators set up Book Me for other users (its preferences and the
        working hours, on the user form or over RPC) without being user administrators;
        anyone who may write a user sets their working hours, even without a resource
        (Odoo's related field needs one, which nobody may create or modify but the
        superuser). The caller's rights are checked before anything runs in sudo."""
        privileged = self.env.su
        if not privileged and vals.keys() <= BOOKME_ADMIN_FIELDS and self._bookme_admin_may_edit():
            privileged = True
        # Odoo's related field writes the hours through the user's resource; users
        # without one (no HR employee) get theirs here, also when running in sudo.
        if "resource_calendar_id" in vals and (
            not self.env.su or not all(user.resource_ids for user in self.sudo())
        ):
            vals = dict(vals)
            calendar_id = vals.pop("resource_calendar_id")
            if not privileged:
                self.check_access("write")
            self._bookme_set_working_hours(calendar_id)
            if not vals:
                return True
        if vals.get("bookme_enabled") and not privileged:
            self._bookme_check_may_enable()
        target = self.sudo() if privileged and not self.env.su else self
        res = super(ResUsers, target).write(vals)
        if vals.get("bookme_enabled") or "bookme_slug" in vals:
            self.filtered("bookme_enabled")._bookme_setup()
        return res

    def _bookme_admin_may_edit(self):
        """Whether the current user manages Book Me for the users of ``self``: a Book Me
        administrator, for internal users they can see."""
        if not self.env.user.has_group("crm_bookme.group_bookme_manager"):
            return False
        self.check_access("read")
        if any(user.sudo().share for user in self):
            raise AccessError(self.env._("Book Me is for internal users only."))
        return True

    def _bookme_check_may_enable(self):
        """Users turn Book Me on for themselves only if they are Book Me users."""
        for user in self:
            if user.sudo().share:
                raise AccessError(self.env._("Book Me is for internal users only."))
            if user == self.env.user and not user.has_group("crm_bookme.group_bookme_user"):
                raise AccessError(
                    self.env._("Only Book Me users can activate Book Me: ask a Book Me administrator.")
                )

    def _bookme_set_working_hours(self, calendar_id):
        """Write the working hours on each user's resource, creating it if needed (the
        caller's right to write the users was checked)."""
        if isinstance(calendar_id, models.BaseModel):
            calendar_id = calendar_id.id
        calendar = self.env["resource.calendar"].browse(calendar_id or [])
        if calendar:
            calendar.check_access("read")
        users = self.sudo()
        users._bookme_ensure_resource()
        # Read the resources afresh: the users' cached resource_ids may predate them.
        self.env["resource.resource"].sudo().search([("user_id", "in", users.ids)]).write(
            {"calendar_id": calendar.id}
        )
        users.invalidate_recordset(["resource_ids", "resource_calendar_id"])

    def _bookme_ensure_resource(self):
        for user in self.sudo():
            if not user.resource_ids:
                self.env["resource.resource"].sudo().create(
                    {
                        "name": user.name,
                        "user_id": user.id,
                        "calendar_id": False,
                        "company_id": user.company_id.id,
                        "tz": user.tz or "UTC",
                    }
                )

    def _bookme_setup(self):
        """Give each Book Me user what the booking pages rely on: a link name, a
        resource (so the working hours field can be read and written), and the personal
        booking type behind the free-for-appointment page. Internal users only; callers
        checked that the current user may enable Book Me for them."""
        for user in self.sudo():
            if user.share:
                raise ValidationError(self.env._("Book Me is for internal users only."))
            if not user.has_group("crm_bookme.group_bookme_user"):
                user.group_ids = [Command.link(self.env.ref("crm_bookme.group_bookme_user").id)]
            if not user.bookme_slug:
                user.bookme_slug = user._bookme_unique_slug(user.name or user.login)
            user._bookme_ensure_resource()
            if not user.bookme_personal_type_id:
                user.bookme_personal_type_id = (
                    self.env["bookme.event.type"]
                    .sudo()
                    .create(
                        {
                            "name": self.env._("Appointment with %(name)s", name=user.name),
                            "user_id": user.id,
                            "slug": "free",
                            "is_personal": True,
                            "is_published": True,
                            "duration": user.bookme_slot_duration,
                            "min_notice": 0,
                        }
                    )
                )

    def _bookme_unique_slug(self, text):
        base = slugify(text) or "host"
        taken = (
            self.sudo()
            .with_context(active_test=False)
            .search([("bookme_slug", "=like", f"{base}%")])
            .mapped("bookme_slug")
        )
        return free_slug(base, taken)

    @api.model
    def action_bookme_my_availability(self):
        """Open My Availability for the current user (see ``bookme.availability``)."""
        user = self.env.user
        if not user.has_group("crm_bookme.group_bookme_user"):
            raise AccessError(self.env._("My Availability is for Book Me users."))
        if not user.bookme_enabled:
            user.sudo().bookme_enabled = True
        user.sudo()._bookme_ensure_own_calendar()
        wizard = self.env["bookme.availability"].create({"user_id": user.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("My Availability"),
            "res_model": "bookme.availability",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "current",
        }

    def _bookme_ensure_own_calendar(self):
        Calendar = self.env["resource.calendar"].sudo()
        for user in self:
            calendar = user.resource_calendar_id
            if calendar and calendar.bookme_owner_id == user:
                continue
            name = self.env._("Availability of %(name)s", name=user.name)
            if calendar:
                own = calendar.copy({"name": name, "bookme_owner_id": user.id})
            else:
                own = Calendar.create(
                    {
                        "name": name,
                        "bookme_owner_id": user.id,
                        "company_id": user.company_id.id,
                        "tz": user.tz or "UTC",
                        "attendance_ids": [
                            Command.create(
                                {
                                    "name": self.env._("Available"),
                                    "dayofweek": str(hours.weekday),
                                    "hour_from": hours.hour_from,
                                    "hour_to": hours.hour_to,
                                    "day_period": "morning" if hours.hour_to <= 12 else "afternoon",
                                }
                            )
                            # The hours a host without working hours offers (the engine's).
                            for hours in engine.DEFAULT_BUSINESS_HOURS
                        ],
                    }
                )
            user.resource_ids[:1].calendar_id = own
