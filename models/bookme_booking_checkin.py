from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

# A client may be checked in from this long before the session starts.
CHECKIN_EARLY = timedelta(hours=1)
# Context key of the check-in actions' own writes (they set the time and queue the
# automations themselves).
CHECKIN_KEY = "bookme_checkin_action"


class BookmeBooking(models.Model):
    """Attendance: staff check clients in (which check-in automations count), undo a
    mistaken check-in, or mark a past booking as a no-show."""

    _inherit = "bookme.booking"

    no_show = fields.Boolean("No-show", readonly=True, tracking=True, help="The client did not come.")

    def write(self, vals):
        """``checked_in`` written directly (RPC, import): the check-in time follows and the
        check-in automations are queued all the same."""
        if "checked_in" not in vals or self.env.context.get(CHECKIN_KEY):
            return super().write(vals)
        checking_in = bool(vals["checked_in"])
        changed = self.filtered(lambda b: b.checked_in != checking_in)
        result = super().write(vals)
        if changed:
            # super() enforced the caller's rights; the follow-up runs as the system.
            self.check_access("write")
            changed = changed.sudo().with_context(**{CHECKIN_KEY: True})
            if checking_in:
                changed.write(
                    {"checkin_date": vals.get("checkin_date") or fields.Datetime.now(), "no_show": False}
                )
                changed._bookme_automation_occasions("checkin")
            else:
                changed.write({"checkin_date": False})
        return result

    def _bookme_check_attendance(self):
        """Only the host (or a Book Me administrator) marks attendance, and only on
        bookings that take place (the caller's access was checked)."""
        for booking in self:
            if booking.state not in ("confirmed", "done"):
                raise UserError(
                    self.env._(
                        "Only confirmed bookings take attendance: %(booking)s is %(state)s.",
                        booking=booking.display_name,
                        state=dict(booking._fields["state"]._description_selection(self.env))[
                            booking.state
                        ].lower(),
                    )
                )

    def action_bookme_check_in(self):
        """The client came: checked in now (clears a no-show). Check-in automations
        (first visit, Xth visit, every visit) are queued for the cron."""
        self.check_access("write")
        self._bookme_check_attendance()
        now = fields.Datetime.now()
        for booking in self:
            if booking.start - CHECKIN_EARLY > now:
                raise UserError(
                    self.env._(
                        "%(booking)s starts later: clients can be checked in from one hour before the start.",
                        booking=booking.display_name,
                    )
                )
        todo = self.filtered(lambda b: not b.checked_in)
        todo.sudo().with_context(**{CHECKIN_KEY: True}).write(
            {"checked_in": True, "checkin_date": now, "no_show": False}
        )
        # Queued for the cron (models/bookme_booking_automation.py), sent after the commit.
        todo.sudo()._bookme_automation_occasions("checkin")
        return True

    def action_bookme_undo_check_in(self):
        """A check-in made by mistake: cleared (automations not yet sent for it are
        skipped when due)."""
        self.check_access("write")
        self._bookme_check_attendance()
        self.filtered("checked_in").sudo().with_context(**{CHECKIN_KEY: True}).write(
            {"checked_in": False, "checkin_date": False}
        )
        return True

    def action_bookme_mark_no_show(self):
        """A past booking the client did not come to."""
        self.check_access("write")
        self._bookme_check_attendance()
        now = fields.Datetime.now()
        for booking in self:
            if booking.start > now:
                raise UserError(
                    self.env._(
                        "%(booking)s has not started yet: it cannot be a no-show.",
                        booking=booking.display_name,
                    )
                )
            if booking.checked_in:
                raise UserError(
                    self.env._(
                        "%(booking)s is checked in: undo the check-in first.", booking=booking.display_name
                    )
                )
        self.sudo().write({"no_show": True})
        return True

    def action_bookme_undo_no_show(self):
        self.check_access("write")
        self._bookme_check_attendance()
        self.sudo().write({"no_show": False})
        return True
