from odoo import api, fields, models
from odoo.tools import SQL

# How many queue runs a Book Me email that could not reach the mail server is put back
# for: the queue runs at least hourly, so about two days of outage.
MAX_REQUEUES = 48


class MailMail(models.Model):
    """Book Me's emails survive a mail server outage.

    Odoo's queue marks every email of a batch 'Delivery Failed' when it cannot connect to
    the mail server, and never tries them again: the confirmation of a booking made during
    an outage would never arrive. Book Me's emails that failed that way (nothing reached
    the server, so resending cannot duplicate them) go back in the queue at the next run.
    """

    _inherit = "mail.mail"

    bookme_requeued = fields.Integer(
        "Requeued (Book Me)",
        default=0,
        readonly=True,
        copy=False,
        help="How often this Book Me email went back in the queue after the mail server "
        "could not be reached.",
    )

    @api.model
    def process_email_queue(self, email_ids=(), batch_size=1000):
        if self.env.su or self.env.user._is_system():
            self._bookme_requeue_unreached()
        return super().process_email_queue(email_ids=email_ids, batch_size=batch_size)

    @api.model
    def _bookme_requeue_unreached(self):
        """Put back in the queue Book Me's emails that failed only because the mail server
        could not be reached (a connection failure leaves no failure type: an address or
        content problem sets one, and those are not retried)."""
        self.flush_model(["state", "failure_type", "bookme_requeued"])
        self.env.cr.execute(
            SQL(
                """
            UPDATE mail_mail
               SET state = 'outgoing', bookme_requeued = COALESCE(bookme_requeued, 0) + 1
             WHERE state = 'exception' AND failure_type IS NULL
               AND COALESCE(bookme_requeued, 0) < %(max)s
               AND EXISTS (SELECT 1 FROM mail_message m
                            WHERE m.id = mail_mail.mail_message_id AND m.model = 'bookme.booking')
            RETURNING id
            """,
                max=MAX_REQUEUES,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.invalidate_model(["state", "bookme_requeued"])
        return ids
