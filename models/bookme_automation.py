from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..engine import automations as au
from .utils import as_naive, as_utc

TRIGGERS = [
    ("booked", "Client books a session"),
    ("cancelled", "Client cancels a session"),
    ("requested", "Client requests a session (approval needed)"),
    ("approved", "A request is approved"),
    ("declined", "A request is declined"),
    ("first_checkin", "Client is checked in for the first time"),
    ("nth_checkin", "Client is checked in to their first X sessions"),
    ("checkin", "Client is checked in to a session"),
    ("last_checkin_days_ago", "Client was last checked in X days ago"),
    ("session_start", "Session starts"),
    ("session_end", "Session ends"),
]
ACTIONS = [
    ("email_client", "Email the client"),
    ("email_staff", "Email staff and notify them in Odoo"),
    ("activity", "Schedule an activity for the host"),
]
NTH = [("5", "5"), ("10", "10"), ("15", "15")]


class BookmeAutomation(models.Model):
    """A rule: when something happens to a booking (or a client), do something, now or
    later, for the event types it names.

    Occasions are queued in ``bookme.automation.log`` when they happen (event triggers) or
    when the cron finds them (time triggers); the cron ``ir_cron_bookme_automations``
    executes what is due. When each occasion is due is the engine's business
    (:mod:`crm_bookme.engine.automations`).

    A Book Me user owns rules for their own event types; a Book Me administrator manages
    every rule, and may leave the owner empty for a rule covering every host.
    """

    _name = "bookme.automation"
    _description = "Book Me automation"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        index=True,
        default=lambda self: self.env.user,
        help="The rule covers this host's bookings. Empty: every host's (administrators).",
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="booked")
    nth = fields.Integer("X Sessions", default=5)
    nth_choice = fields.Selection(
        NTH, "Sessions", compute="_compute_nth_choice", inverse="_inverse_nth_choice"
    )
    days = fields.Integer(
        "X Days", default=30, help="'Last checked in X days ago': how many days without a visit."
    )
    event_type_ids = fields.Many2many(
        "bookme.event.type",
        string="Event Types",
        help="The rule applies to these event types only. Empty: all of them.",
    )
    action = fields.Selection(ACTIONS, required=True, default="email_client")
    template_id = fields.Many2one(
        "mail.template",
        "Email Template",
        domain=[("model", "=", "bookme.booking")],
        ondelete="restrict",
    )
    staff_user_ids = fields.Many2many("res.users", string="Staff to Notify", domain=[("share", "=", False)])
    delay = fields.Integer(default=0, help="0 = immediately.")
    delay_unit = fields.Selection(
        [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Days")],
        required=True,
        default="hours",
    )
    once_per_client = fields.Boolean(help="Never run this rule twice for the same client.")
    armed_at = fields.Datetime(
        "Active Since", readonly=True, copy=False, help="Time triggers never reach back before this moment."
    )
    scanned_until = fields.Datetime(readonly=True, copy=False)
    summary = fields.Text("In Words", compute="_compute_summary")
    duplicate_warning = fields.Text(compute="_compute_duplicate_warning")
    log_ids = fields.One2many("bookme.automation.log", "automation_id", "Runs")
    log_count = fields.Integer(compute="_compute_log_count")

    _delay_positive = models.Constraint("CHECK(delay >= 0)", "A delay cannot be negative.")
    _nth_values = models.Constraint("CHECK(nth IN (5, 10, 15))", "The number of sessions is 5, 10 or 15.")
    _days_positive = models.Constraint("CHECK(days >= 1)", "The number of days is at least 1.")

    # --- Form helpers --------------------------------------------------------------------

    @api.depends("nth")
    def _compute_nth_choice(self):
        for rule in self:
            rule.nth_choice = str(rule.nth or 5)

    def _inverse_nth_choice(self):
        for rule in self:
            rule.nth = int(rule.nth_choice or 5)

    def _compute_log_count(self):
        counts = dict(
            self.env["bookme.automation.log"]._read_group(
                [("automation_id", "in", self.ids)], ["automation_id"], ["__count"]
            )
        )
        for rule in self:
            rule.log_count = counts.get(rule, 0)

    @api.depends(
        "trigger",
        "nth",
        "nth_choice",
        "days",
        "event_type_ids",
        "action",
        "template_id",
        "staff_user_ids",
        "delay",
        "delay_unit",
        "once_per_client",
    )
    def _compute_summary(self):
        for rule in self:
            rule.summary = rule._bookme_sentence()

    def _bookme_sentence(self):
        """The rule read back in words, from translatable pieces: "When a client is checked
        in for the 10th time in Yoga class, 2 days later, email the client 'Loyalty offer',
        once per client." """
        self.ensure_one()
        names = self.event_type_ids.mapped("name")
        types = (
            self.env._("any event type")
            if not names
            else names[0]
            if len(names) == 1
            else self.env._("%(list)s or %(last)s", list=", ".join(names[:-1]), last=names[-1])
        )
        ordinals = {5: self.env._("5th"), 10: self.env._("10th"), 15: self.env._("15th")}
        # The form edits the choice; the stored number follows on save.
        nth = int(self.nth_choice) if self.nth_choice else self.nth
        triggers = {
            "booked": self.env._("When a client books %(types)s", types=types),
            "cancelled": self.env._("When a client cancels %(types)s", types=types),
            "requested": self.env._("When a client requests %(types)s", types=types),
            "approved": self.env._("When a request for %(types)s is approved", types=types),
            "declined": self.env._("When a request for %(types)s is declined", types=types),
            "first_checkin": self.env._(
                "When a client is checked in for the first time in %(types)s", types=types
            ),
            "nth_checkin": self.env._(
                "When a client is checked in for the %(nth)s time in %(types)s",
                nth=ordinals.get(nth, nth),
                types=types,
            ),
            "checkin": self.env._("When a client is checked in to %(types)s", types=types),
            "last_checkin_days_ago": self.env._(
                "When a client was last checked in to %(types)s %(days)s days ago",
                types=types,
                days=self.days,
            ),
            "session_start": self.env._("When a session of %(types)s starts", types=types),
            "session_end": self.env._("When a session of %(types)s ends", types=types),
        }
        parts = [triggers.get(self.trigger, "")]
        if self.trigger != "last_checkin_days_ago":
            units = {
                "minutes": self.env._("%(n)s minutes later", n=self.delay),
                "hours": self.env._("%(n)s hours later", n=self.delay),
                "days": self.env._("%(n)s days later", n=self.delay),
            }
            singular = {
                "minutes": self.env._("1 minute later"),
                "hours": self.env._("1 hour later"),
                "days": self.env._("1 day later"),
            }
            if not self.delay:
                parts.append(self.env._("immediately"))
            else:
                parts.append((singular if self.delay == 1 else units)[self.delay_unit])
        template = self.template_id.name or self.env._("(no template chosen)")
        if self.action == "email_client":
            parts.append(self.env._("email the client '%(template)s'", template=template))
        elif self.action == "email_staff":
            staff = ", ".join(self.staff_user_ids.mapped("name")) or self.env._("(no staff chosen)")
            parts.append(
                self.env._(
                    "email %(staff)s '%(template)s' and notify them in Odoo", staff=staff, template=template
                )
            )
        else:
            parts.append(self.env._("schedule an activity for the host"))
        if self.once_per_client:
            parts.append(self.env._("once per client"))
        return ", ".join(p for p in parts if p) + "."

    @api.depends("trigger", "action")
    def _compute_duplicate_warning(self):
        for rule in self:
            warning = False
            if rule.action == "email_client" and rule.trigger == "booked":
                warning = self.env._(
                    "Book Me already emails every client a confirmation when they book. "
                    "This rule sends a second email: use it for something else (a "
                    "welcome pack, directions) or choose another trigger."
                )
            elif rule.action == "email_client" and rule.trigger == "cancelled":
                warning = self.env._(
                    "Book Me already emails every client when a booking is cancelled. "
                    "This rule sends a second email on top of that one."
                )
            elif rule.action == "email_client" and rule.trigger in ("requested", "approved", "declined"):
                warning = self.env._(
                    "Book Me already emails the client when their request is received, "
                    "approved or declined. This rule sends a second email on top of that one."
                )
            rule.duplicate_warning = warning

    # --- Checks ----------------------------------------------------------------------------

    @api.constrains("action", "template_id", "staff_user_ids")
    def _check_action(self):
        for rule in self:
            if rule.action in ("email_client", "email_staff") and not rule.template_id:
                raise ValidationError(self.env._("Choose the email template to send."))
            if rule.template_id and rule.template_id.sudo().model != "bookme.booking":
                raise ValidationError(self.env._("The template must be a booking template."))
            if rule.action == "email_staff" and not rule.staff_user_ids:
                raise ValidationError(self.env._("Choose the staff to email."))

    @api.constrains("user_id", "event_type_ids")
    def _check_owner_types(self):
        for rule in self:
            if rule.user_id and rule.event_type_ids.sudo().user_id - rule.user_id:
                raise ValidationError(
                    self.env._(
                        "A rule owned by %(user)s can only name their own event types.",
                        user=rule.user_id.name,
                    )
                )

    # --- Life cycle ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("armed_at", now)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("active"):
            # Re-activated: time triggers start from now, not from when it was switched off.
            asleep = self.filtered(lambda r: not r.active)
            if asleep:
                super(BookmeAutomation, asleep).write(
                    {"armed_at": fields.Datetime.now(), "scanned_until": False}
                )
        return super().write(vals)

    def action_open_logs(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Runs of %(rule)s", rule=self.name),
            "res_model": "bookme.automation.log",
            "view_mode": "list,form",
            "domain": [("automation_id", "=", self.id)],
            "context": {"create": False},
        }

    # --- For the engine --------------------------------------------------------------------

    def _bookme_engine_rule(self):
        self.ensure_one()
        return au.Rule(
            id=self.id,
            trigger=self.trigger,
            delay=self.delay,
            delay_unit=self.delay_unit,
            nth=self.nth,
            days=self.days,
            once_per_client=self.once_per_client,
            event_type_ids=frozenset(self.event_type_ids.ids),
            host_id=self.user_id.id or None,
            armed_at=as_utc(self.armed_at) if self.armed_at else None,
        )

    @api.model
    def _bookme_active_rules(self, triggers):
        return self.sudo().with_context(active_test=True).search([("trigger", "in", triggers)])

    # --- The cron --------------------------------------------------------------------------

    @api.model
    def _cron_run(self, batch_size=50):
        """Find the time-triggered occasions that came due, then execute what is due, in
        batches committed one by one (``_commit_progress``). Several crons at once never
        execute an occasion twice: rules and queue rows are claimed with
        ``FOR UPDATE SKIP LOCKED``, and an occasion is unique in the database."""
        now = as_utc(fields.Datetime.now())
        self._bookme_scan_time_triggers(now)
        self.env["bookme.automation.log"]._bookme_run_due(now, batch_size)

    @api.model
    def _bookme_scan_time_triggers(self, now):
        rules = self._bookme_active_rules(au.TIME_TRIGGERS)
        Log = self.env["bookme.automation.log"]
        for rule in Log._bookme_lock(rules):
            engine_rule = rule._bookme_engine_rule()
            if rule.trigger == "last_checkin_days_ago":
                occasions = rule._bookme_absences(engine_rule, now)
            else:
                occasions = rule._bookme_sessions(engine_rule, now)
            Log._bookme_record(rule, occasions)
            rule.scanned_until = as_naive(now)
        self.env["ir.cron"]._commit_progress(len(rules))

    def _bookme_scope_domain(self):
        domain = Domain("state", "in", au.HELD_STATES)
        if self.event_type_ids:
            domain &= Domain("event_type_id", "in", self.event_type_ids.ids)
        if self.user_id:
            domain &= Domain("user_id", "=", self.user_id.id)
        return domain

    def _bookme_sessions(self, engine_rule, now):
        since = as_utc(self.scanned_until) if self.scanned_until else None
        lo, hi = au.session_window(engine_rule, since, now)
        moment = "start" if self.trigger == "session_start" else "stop"
        domain = self._bookme_scope_domain() & Domain(moment, "<=", as_naive(hi))
        if lo:
            domain &= Domain(moment, ">", as_naive(lo))
        bookings = self.env["bookme.booking"].sudo().search(domain)
        return au.session_occasions(engine_rule, [b._bookme_engine_booking() for b in bookings], since, now)

    def _bookme_absences(self, engine_rule, now):
        since = as_utc(self.scanned_until) if self.scanned_until else None
        start = au.scan_start(engine_rule, since)
        lo = start - au.delay_of(engine_rule) if start else None
        hi = now - au.delay_of(engine_rule)
        Booking = self.env["bookme.booking"].sudo()
        checked = self._bookme_scope_domain() & Domain("checked_in", "=", True)
        candidates = checked & Domain("checkin_date", "<=", as_naive(hi))
        if lo:
            candidates &= Domain("checkin_date", ">", as_naive(lo))
        partners = Booking.search(candidates).partner_id
        if not partners:
            return []
        later = checked & Domain("partner_id", "in", partners.ids)
        if lo:
            later &= Domain("checkin_date", ">", as_naive(lo))
        bookings = Booking.search(later)
        return au.absence_occasions(engine_rule, [b._bookme_engine_booking() for b in bookings], since, now)
