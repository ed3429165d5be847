from collections import defaultdict

from odoo import fields, models
from odoo.fields import Domain

from ..engine import automations as au
from .utils import as_naive, as_utc


class BookmeBooking(models.Model):
    """What happens to a booking is recorded for the automations (``bookme.automation``):
    the occasions are queued in ``bookme.automation.log`` in the same transaction, and the
    cron executes them after the booking's commit — nothing is sent from the request."""

    _inherit = "bookme.booking"

    automation_log_ids = fields.One2many("bookme.automation.log", "booking_id", "Automation Runs")
    automation_log_count = fields.Integer(compute="_compute_automation_log_count")

    def _compute_automation_log_count(self):
        counts = dict(
            self.env["bookme.automation.log"]._read_group(
                [("booking_id", "in", self.ids)], ["booking_id"], ["__count"]
            )
        )
        for booking in self:
            booking.automation_log_count = counts.get(booking, 0)

    def action_open_automation_logs(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Automation runs"),
            "res_model": "bookme.automation.log",
            "view_mode": "list,form",
            "domain": [("booking_id", "=", self.id)],
            "context": {"create": False},
        }

    def _bookme_engine_booking(self):
        self.ensure_one()
        return au.Booking(
            id=self.id,
            partner_id=self.partner_id.id,
            event_type_id=self.event_type_id.id,
            host_id=self.user_id.id,
            start=as_utc(self.start),
            stop=as_utc(self.stop),
            state=self.state,
            checked_in=self.checked_in,
            checkin_date=as_utc(self.checkin_date) if self.checkin_date else None,
        )

    # --- Hook on the booking path ---------------------------------------------------------

    def _bookme_notify(self, what, **ctx):
        """Every path that books, cancels or moves a booking (host, guest, API) announces it
        here, inside its transaction: the automations' occasions are queued alongside."""
        result = super()._bookme_notify(what, **ctx)
        bookings = self.sudo()
        if what == "created":
            bookings._bookme_automation_booked()
            bookings.filtered(lambda b: b.state == "requested")._bookme_automation_occasions("requested")
        elif what == "cancelled":
            bookings.filtered(lambda b: b.state == "cancelled")._bookme_automation_occasions("cancelled")
        elif what == "rescheduled":
            bookings._bookme_automation_wake_sessions()
        return result

    def _bookme_on_transition(self, old_state):
        """A request decided (models/bookme_booking_approval.py): approved requests are
        booked too (there), and the *approved* / *declined* rules follow (here)."""
        super()._bookme_on_transition(old_state)
        if old_state != "requested":
            return
        if self.state == "confirmed":
            self._bookme_automation_occasions("approved")
        elif self.state == "declined":
            self._bookme_automation_occasions("declined")

    def _bookme_automation_booked(self):
        """Confirmed bookings (requests count once approved)."""
        confirmed = self.sudo().filtered(lambda b: b.state == "confirmed")
        confirmed._bookme_automation_occasions("booked")
        confirmed._bookme_automation_wake_sessions()

    # --- Recording --------------------------------------------------------------------------

    def _bookme_automation_occasions(self, what):
        """Ask the engine which rules this event (``booked``, ``cancelled``, ``requested``,
        ``approved``, ``declined``, ``checkin``) concerns and queue their occasions."""
        if not self:
            return
        triggers = au.CHECKIN_TRIGGERS if what == "checkin" else (what,)
        rules = self.env["bookme.automation"]._bookme_active_rules(triggers)
        if not rules:
            return
        engine_rules = [rule._bookme_engine_rule() for rule in rules]
        now = as_utc(fields.Datetime.now())
        histories = self._bookme_checkin_histories() if what == "checkin" else {}
        found = defaultdict(list)
        for booking in self.sudo():
            current = booking._bookme_engine_booking()
            if what in au.BOOKING_TRIGGERS:
                occasions = au.on_booking_event(engine_rules, what, current, now)
            else:
                occasions = au.on_checkin(
                    engine_rules, current, histories.get(booking.partner_id.id, [current])
                )
            for occasion in occasions:
                found[occasion.rule_id].append(occasion)
        Log = self.env["bookme.automation.log"].sudo()
        for rule in rules:
            if found.get(rule.id):
                Log._bookme_record(rule, found[rule.id])

    def _bookme_checkin_histories(self):
        """Every checked-in booking of these bookings' clients, by client (one query)."""
        bookings = self.sudo().search(
            Domain("partner_id", "in", self.partner_id.ids) & Domain("checked_in", "=", True)
        )
        histories = defaultdict(list)
        for booking in bookings:
            histories[booking.partner_id.id].append(booking._bookme_engine_booking())
        return histories

    def _bookme_automation_wake_sessions(self):
        """Wake the cron when session rules covering these bookings come due."""
        rules = self.env["bookme.automation"]._bookme_active_rules(("session_start", "session_end"))
        if not rules or not self:
            return
        engine_rules = [rule._bookme_engine_rule() for rule in rules]
        now = as_utc(fields.Datetime.now())
        moments = sorted(
            {
                moment
                for booking in self.sudo()
                for moment in au.session_wakeups(engine_rules, booking._bookme_engine_booking())
                if moment > now
            }
        )
        cron = self.env.ref("crm_bookme.ir_cron_bookme_automations", raise_if_not_found=False)
        if cron and moments:
            cron.sudo()._trigger([as_naive(m) for m in moments])
