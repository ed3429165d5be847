from odoo import Command, api, fields, models
from odoo.exceptions import AccessError


class BookmeAvailability(models.TransientModel):
    """My Availability: when a host can be booked, on one form a non-technical user
    understands: weekly hours (several intervals a day), date-specific hours and time off.

    It loads the user's current settings and, on Save, writes them back where Odoo keeps
    them: the user's own ``resource.calendar`` (weekly hours), ``bookme.date.availability``
    and ``resource.calendar.leaves`` on the user's resource. It works on the user's own
    records only (administrators may open anyone's), with no write access to Odoo's
    resource models needed.
    """

    _name = "bookme.availability"
    _description = "My Book Me availability"

    user_id = fields.Many2one("res.users", required=True, readonly=True, default=lambda self: self.env.user)
    tz = fields.Selection(related="user_id.tz", string="Time Zone")
    weekly_ids = fields.One2many(
        "bookme.availability.weekly",
        "wizard_id",
        "Weekly Hours",
        compute="_compute_lines",
        store=True,
        readonly=False,
    )
    date_ids = fields.One2many(
        "bookme.availability.date",
        "wizard_id",
        "Date-specific Hours",
        compute="_compute_lines",
        store=True,
        readonly=False,
    )
    leave_ids = fields.One2many(
        "bookme.availability.leave",
        "wizard_id",
        "Time Off",
        compute="_compute_lines",
        store=True,
        readonly=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_user(vals.get("user_id") or self.env.uid)
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals:
            self._check_user(vals["user_id"])
        return super().write(vals)

    @api.model
    def _check_user(self, user_id):
        """A Book Me user opens their own availability; administrators anyone's."""
        if not (
            self.env.su
            or user_id == self.env.uid
            or self.env.user.has_group("crm_bookme.group_bookme_manager")
        ):
            raise AccessError(self.env._("You can only see and change your own availability."))

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = (
                self.env._("My Availability")
                if wizard.user_id == self.env.user
                else self.env._("Availability of %(name)s", name=wizard.user_id.name)
            )

    @api.depends("user_id")
    def _compute_lines(self):
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        for wizard in self:
            user = wizard.user_id.sudo()
            attendances = user.resource_calendar_id.attendance_ids.filtered(
                lambda a: not a.display_type and a.day_period != "lunch"
            ).sorted(lambda a: (int(a.dayofweek), a.hour_from))
            wizard.weekly_ids = [Command.clear()] + [
                Command.create({"dayofweek": a.dayofweek, "hour_from": a.hour_from, "hour_to": a.hour_to})
                for a in attendances
            ]
            wizard.date_ids = [Command.clear()] + [
                Command.create({"date": d.date, "hour_from": d.hour_from, "hour_to": d.hour_to})
                for d in self._own_dates(user, today)
            ]
            wizard.leave_ids = [Command.clear()] + [
                Command.create(
                    {"leave_id": lv.id, "name": lv.name, "date_from": lv.date_from, "date_to": lv.date_to}
                )
                for lv in self._own_leaves(user, now)
            ]

    @api.model
    def _own_dates(self, user, today):
        return (
            self.env["bookme.date.availability"]
            .sudo()
            .search([("user_id", "=", user.id), ("date", ">=", today)])
        )

    @api.model
    def _own_leaves(self, user, now):
        return (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "in", user.resource_ids.ids),
                    ("date_to", ">=", now),
                    ("time_type", "=", "leave"),
                ],
                order="date_from",
            )
        )

    def action_save(self):
        self.ensure_one()
        self.check_access("write")
        self._check_user(self.user_id.id)
        user = self.user_id.sudo()
        user._bookme_ensure_own_calendar()
        user.resource_calendar_id.attendance_ids = [Command.clear()] + [
            Command.create(
                {
                    "name": self.env._("Available"),
                    "dayofweek": line.dayofweek,
                    "hour_from": line.hour_from,
                    "hour_to": line.hour_to,
                    "day_period": "morning" if line.hour_from < 12 else "afternoon",
                }
            )
            for line in self.weekly_ids
        ]
        today = fields.Date.context_today(self)
        self._own_dates(user, today).unlink()
        self.env["bookme.date.availability"].sudo().create(
            [
                {"user_id": user.id, "date": line.date, "hour_from": line.hour_from, "hour_to": line.hour_to}
                for line in self.date_ids
            ]
        )
        Leave = self.env["resource.calendar.leaves"].sudo()
        kept = Leave
        for line in self.leave_ids:
            vals = {"name": line.name, "date_from": line.date_from, "date_to": line.date_to}
            if line.leave_id:
                leave = line.leave_id.sudo()
                # Only this user's own time off: never a company holiday or a colleague's.
                if not leave.resource_id or leave.resource_id.user_id != user or leave.time_type != "leave":
                    raise AccessError(self.env._("You can only change your own time off."))
                leave.write(vals)
                kept |= leave
            else:
                kept |= Leave.create({**vals, "bookme_user_id": user.id})
        (self._own_leaves(user, fields.Datetime.now()) - kept).unlink()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Your availability is saved."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
