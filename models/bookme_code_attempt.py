import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

DEFAULTS = {
    # failures per visitor address within the window before the address must wait
    "crm_bookme.code_attempt_limit": 5,
    # failures on one host's pages (all visitors) within the window before they must wait
    "crm_bookme.code_host_attempt_limit": 20,
    "crm_bookme.code_attempt_window": 900,  # seconds
    "crm_bookme.code_lockout": 300,  # seconds of the first wait; each further one doubles
}
MAX_LOCKOUT = 86400  # the wait never grows past a day
QUIET = timedelta(days=1)  # no failure for this long: the burst is over, waits start small


class BookmeCodeAttempt(models.Model):
    """Wrong secret codes, counted in the database per visitor address and per host, so
    that every Odoo worker and machine shares the count.

    One row per key (``addr:<address>`` or ``host:<user id>``). A key that collects the
    configured number of failures within the window must wait (``blocked_until``); each
    further wait of the same burst is twice as long (``strikes``), up to a day. While a
    key waits, every attempt is refused, the right code included. A burst ends after a
    quiet day. Rows are locked (``FOR UPDATE``) while they are counted, so two workers
    never lose a failure.
    """

    _name = "bookme.code.attempt"
    _description = "Book Me secret code attempts"
    _log_access = False

    key = fields.Char(required=True)
    failures = fields.Integer(default=0)
    window_start = fields.Datetime()
    last_failure = fields.Datetime()
    strikes = fields.Integer(default=0)
    blocked_until = fields.Datetime()
    notified_at = fields.Datetime()

    _key_unique = models.Constraint("unique(key)", "One counter per key.")

    @api.model
    def _param(self, name):
        try:
            return max(1, int(self.env["ir.config_parameter"].sudo().get_param(name, DEFAULTS[name])))
        except ValueError:
            return DEFAULTS[name]

    @api.model
    def _keys(self, host, address):
        return [f"addr:{address}"[:200], f"host:{host.id}"]

    @api.model
    def _blocked_until(self, keys, now=None):
        """The end of the longest wait among ``keys``, or None when none must wait."""
        now = now or fields.Datetime.now()
        self.env.cr.execute(
            "SELECT max(blocked_until) FROM bookme_code_attempt WHERE key IN %s AND blocked_until > %s",
            (tuple(keys), now),
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _fail(self, host, address, now=None):
        """Count one wrong code on ``host``'s pages from ``address``. Returns the end of the
        wait it starts, if it starts one. The host is told of a new burst."""
        now = now or fields.Datetime.now()
        window = timedelta(seconds=self._param("crm_bookme.code_attempt_window"))
        base = self._param("crm_bookme.code_lockout")
        limits = {
            "addr": self._param("crm_bookme.code_attempt_limit"),
            "host": self._param("crm_bookme.code_host_attempt_limit"),
        }
        keys = self._keys(host, address)
        cr = self.env.cr
        cr.execute(
            "INSERT INTO bookme_code_attempt (key, failures, strikes) "
            "SELECT k, 0, 0 FROM unnest(%s) AS k ON CONFLICT (key) DO NOTHING",
            (keys,),
        )
        cr.execute(
            "SELECT id, key, failures, window_start, last_failure, strikes FROM bookme_code_attempt "
            "WHERE key = ANY(%s) ORDER BY key FOR UPDATE",
            (keys,),
        )
        blocked_until = None
        for row_id, key, failures, window_start, last_failure, strikes in cr.fetchall():
            if last_failure and now - last_failure > QUIET:
                strikes = 0
            if not window_start or now - window_start > window:
                failures, window_start = 0, now
            failures += 1
            until = None
            if failures >= limits[key.split(":", 1)[0]]:
                strikes += 1
                until = now + timedelta(seconds=min(MAX_LOCKOUT, base * 2 ** min(strikes - 1, 20)))
                failures, window_start = 0, now
                blocked_until = max(blocked_until or until, until)
            cr.execute(
                "UPDATE bookme_code_attempt SET failures = %s, window_start = %s, last_failure = %s, "
                "strikes = %s, blocked_until = COALESCE(%s, blocked_until) WHERE id = %s",
                (failures, window_start, now, strikes, until, row_id),
            )
        if blocked_until:
            _logger.warning(
                "Book Me: repeated wrong secret codes on the pages of user %s; attempts wait until %s",
                host.id,
                blocked_until,
            )
            self._notify_burst(host, now)
        return blocked_until

    @api.model
    def _notify_burst(self, host, now):
        """Tell the host (and, for the company code, the Book Me administrators), once per
        burst: a to-do activity on the host's contact, at most once a day."""
        cr = self.env.cr
        cr.execute(
            "UPDATE bookme_code_attempt SET notified_at = %s WHERE key = %s "
            "AND (notified_at IS NULL OR notified_at < %s) RETURNING id",
            (now, f"host:{host.id}", now - QUIET),
        )
        if not cr.fetchone():
            return
        host = host.sudo()
        users = host
        if self.env["bookme.code"]._bookme_applicable(host)[0] == "company":
            admins = (
                self.env.ref("crm_bookme.group_bookme_manager")
                .sudo()
                .user_ids.filtered(
                    lambda u: u.active
                    and not u.share
                    and host.company_id in u.company_ids
                    and u.id != self.env.ref("base.user_root").id
                )
            )
            users |= admins
        for user in users:
            env = self.with_context(lang=user.lang).env
            host.partner_id.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=env._("Someone is guessing the booking code"),
                note=env._(
                    "Many wrong secret codes were entered on the booking pages of %(host)s. "
                    "Visitors who enter wrong codes now have to wait before trying again. If "
                    "the code was shared widely, consider changing it.",
                    host=host.name,
                ),
            )

    @api.autovacuum
    def _gc_quiet_keys(self):
        self.env.cr.execute(
            "DELETE FROM bookme_code_attempt WHERE (last_failure IS NULL OR last_failure < %s) "
            "AND (blocked_until IS NULL OR blocked_until < %s)",
            (fields.Datetime.now() - QUIET - QUIET, fields.Datetime.now()),
        )
