from odoo import api, fields, models


class BookmeHostLock(models.Model):
    """One row per host, bumped by every booking transaction of that host.

    Odoo runs transactions in REPEATABLE READ. Two workers booking the same host both
    write this row: the second one waits for the first, then fails with a serialization
    error that Odoo's request retry turns into a fresh attempt, which sees the first
    booking. A plain advisory lock would not do: the waiting transaction's snapshot
    predates the other's commit, so it would not see the booking it waited for.
    """

    _name = "bookme.host.lock"
    _description = "Book Me host booking lock"
    _log_access = False

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    version = fields.Integer(default=0)

    _user_unique = models.Constraint("unique(user_id)", "One lock row per host.")

    @api.model
    def _acquire(self, user):
        """Serialise every booking change of ``user`` until the transaction ends."""
        self.env.cr.execute(
            """
            INSERT INTO bookme_host_lock (user_id, version) VALUES (%s, 1)
            ON CONFLICT (user_id) DO UPDATE SET version = bookme_host_lock.version + 1
            """,
            [user.id],
        )
