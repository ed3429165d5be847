import logging

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import Command, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import automations as au
from .bookme_automation import TRIGGERS
from .utils import MAIL_LAYOUT, as_naive, as_utc

_logger = logging.getLogger(__name__)

# Two crons running at once: a row the other one changed after this transaction began
# cannot be locked (REPEATABLE READ); give up this round, the next one starts afresh.
CONCURRENT = (SerializationFailure, LockNotAvailable)


class BookmeAutomationLog(models.Model):
    """One occasion of one automation: queued (``pending``, due at ``due_at``), then
    ``done``, ``failed`` (after the bounded retries) or ``skipped`` (it no longer held when
    due: the booking was cancelled, the check-in undone, the client came back).

    ``(automation_id, occasion_key)`` is unique in the database (skipped rows aside), so an
    occasion runs at most once, whoever records or executes it and however often.
    """

    _name = "bookme.automation.log"
    _description = "Book Me automation run"
    _order = "due_at desc, id desc"
    _rec_name = "automation_id"

    automation_id = fields.Many2one("bookme.automation", required=True, index=True, ondelete="cascade")
    booking_id = fields.Many2one("bookme.booking", index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Client", index=True, ondelete="cascade")
    host_id = fields.Many2one(related="booking_id.user_id", string="Host")
    trigger = fields.Selection(TRIGGERS, required=True, readonly=True)
    occasion_key = fields.Char(required=True, readonly=True)
    due_at = fields.Datetime("Due", required=True, readonly=True)
    executed_at = fields.Datetime("Run At", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed"), ("skipped", "Skipped")],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    error = fields.Text(readonly=True)

    _occasion_unique = models.UniqueIndex(
        "(automation_id, occasion_key) WHERE state != 'skipped'",
        "This automation already ran (or is queued) for this occasion.",
    )
    _due_pending = models.Index("(due_at) WHERE state = 'pending'")

    # --- Recording ------------------------------------------------------------------------

    def _bookme_record(self, rule, occasions):
        """Queue ``occasions`` (engine :class:`Occasion`) of ``rule``; an occasion already
        queued or run is left alone, in the database (``ON CONFLICT DO NOTHING``). Wakes the
        cron up when they are due. Returns the new rows."""
        if not occasions:
            return self.browse()
        self.env.flush_all()
        now = fields.Datetime.now()
        uid = self.env.uid
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s, %s, %s)",
                rule.id,
                o.booking_id,
                o.partner_id,
                rule.trigger,
                o.key,
                as_naive(o.due_at),
                uid,
                now,
                uid,
                now,
            )
            for o in occasions
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO bookme_automation_log
                   (automation_id, booking_id, partner_id, trigger, occasion_key, due_at,
                    state, attempts, create_uid, create_date, write_uid, write_date)
               VALUES %s
               ON CONFLICT (automation_id, occasion_key) WHERE state != 'skipped' DO NOTHING
               RETURNING id""",
                SQL(", ").join(rows),
            )
        )
        logs = self.browse(row[0] for row in self.env.cr.fetchall())
        # Rows written in SQL: what the ORM holds of the runs' lists is out of date.
        self.env["bookme.automation"].invalidate_model(["log_ids", "log_count"])
        self.env["bookme.booking"].invalidate_model(["automation_log_ids", "automation_log_count"])
        if logs:
            self._bookme_wake_cron([o.due_at for o in occasions])
        return logs

    def _bookme_wake_cron(self, moments):
        cron = self.env.ref("crm_bookme.ir_cron_bookme_automations", raise_if_not_found=False)
        if not cron:
            return
        now = as_utc(fields.Datetime.now())
        later = sorted({as_naive(m) for m in moments if m > now})
        if any(m <= now for m in moments):
            later.insert(0, as_naive(now))
        cron.sudo()._trigger(later)

    def _bookme_lock(self, records):
        """The subset of ``records`` this transaction could lock (``FOR UPDATE SKIP
        LOCKED``): what another cron holds right now is left to it."""
        if not records:
            return records
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED",
                        SQL.identifier(records._table),
                        tuple(records.ids),
                    )
                )
                return records.browse(row[0] for row in self.env.cr.fetchall())
        except CONCURRENT:
            return records.browse()

    # --- Executing --------------------------------------------------------------------------

    def _bookme_run_due(self, now, batch_size=50):
        """Execute the pending occasions due by ``now``, ``batch_size`` at a time, each batch
        committed with its emails and activities (so a row is ``done`` exactly when what it
        sent exists)."""
        Cron = self.env["ir.cron"]
        skipped_rounds = 0
        while True:
            self.env.flush_all()
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            """SELECT id FROM bookme_automation_log
                            WHERE state = 'pending' AND due_at <= %s
                         ORDER BY due_at, id LIMIT %s FOR UPDATE SKIP LOCKED""",
                            as_naive(now),
                            batch_size,
                        )
                    )
                    ids = [row[0] for row in self.env.cr.fetchall()]
            except CONCURRENT:
                skipped_rounds += 1
                Cron._commit_progress(0)
                if skipped_rounds > 5:
                    return
                continue
            if not ids:
                return
            self.browse(ids)._bookme_execute(now)
            self.env.flush_all()
            remaining = self.search_count([("state", "=", "pending"), ("due_at", "<=", as_naive(now))])
            if not Cron._commit_progress(len(ids), remaining=remaining):
                return

    def _bookme_execute(self, now):
        for log in self:
            rule = log.automation_id.sudo()
            if not rule.active:
                log.write(
                    {
                        "state": "skipped",
                        "executed_at": as_naive(now),
                        "error": self.env._("The automation was switched off."),
                    }
                )
                continue
            if not log._bookme_still_valid(rule):
                log.write(
                    {
                        "state": "skipped",
                        "executed_at": as_naive(now),
                        "error": self.env._("No longer applies when due."),
                    }
                )
                continue
            try:
                with self.env.cr.savepoint():
                    log._bookme_perform(rule)
            except Exception as exc:
                _logger.warning(
                    "Book Me automation %s failed on booking %s: %s", rule.id, log.booking_id.id, exc
                )
                attempts = log.attempts + 1
                state, retry_at = au.after_failure(attempts, now)
                log.write(
                    {
                        "state": state,
                        "attempts": attempts,
                        "error": str(exc) or repr(exc),
                        "executed_at": as_naive(now),
                        "due_at": as_naive(retry_at) if retry_at else log.due_at,
                    }
                )
                if retry_at:
                    log._bookme_wake_cron([retry_at])
                continue
            log.write(
                {"state": "done", "executed_at": as_naive(now), "attempts": log.attempts + 1, "error": False}
            )

    def _bookme_still_valid(self, rule):
        self.ensure_one()
        booking = self.booking_id.sudo()
        if not booking:
            return False
        last_id = None
        if self.trigger == "last_checkin_days_ago":
            last = booking.search(
                rule._bookme_scope_domain()
                & Domain("checked_in", "=", True)
                & Domain("partner_id", "=", booking.partner_id.id),
                order="checkin_date desc, id desc",
                limit=1,
            )
            last_id = last.id or None
        return au.still_valid(self.trigger, booking._bookme_engine_booking(), last_id)

    def _bookme_perform(self, rule):
        """Do what the rule says for this occasion (raises on failure)."""
        self.ensure_one()
        booking = self.booking_id.sudo()
        # A host's rule renders its template with the host's rights (what the host may
        # read of their own bookings), a rule for every host with the cron's.
        template = rule.template_id.with_user(rule.user_id) if rule.user_id else rule.template_id.sudo()
        if rule.action == "email_client":
            template.send_mail(
                booking.id,
                email_values={
                    "recipient_ids": [Command.set(booking.partner_id.ids)],
                    "email_to": False,
                    "email_cc": False,
                },
                email_layout_xmlid=MAIL_LAYOUT,
            )
        elif rule.action == "email_staff":
            partners = rule.staff_user_ids.partner_id
            template.send_mail(
                booking.id,
                email_values={
                    "recipient_ids": [Command.set(partners.ids)],
                    "email_to": False,
                    "email_cc": False,
                },
                email_layout_xmlid=MAIL_LAYOUT,
            )
            body = template._render_field("body_html", booking.ids, compute_lang=True)[booking.id]
            subject = template._render_field("subject", booking.ids, compute_lang=True)[booking.id]
            booking.with_context(bookme_inbox_only=True).message_notify(
                partner_ids=partners.ids,
                subject=subject,
                body=body,
            )
        elif rule.action == "activity":
            booking.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=rule.name,
                note=rule.summary,
                user_id=booking.user_id.id,
            )
        else:
            raise ValueError(f"unknown action {rule.action!r}")
