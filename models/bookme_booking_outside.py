"""Outside calls of the booking path (SMTP, Zoom) happen after the booking's commit.

The booking path (lock, engine check, calendar event, lead) runs in one short database
transaction. What talks to another server, or can fail for reasons that have nothing to
do with the booking (a mail template), is queued with :meth:`_bookme_after_commit` and
runs once that transaction has committed, when the host lock and the throttle row are
released: a slow SMTP or Zoom server then delays only its own request, never the next
booking of the same host, and a failure there can no longer undo a booking.

Two ways the queue runs:

- the public actions (:meth:`_bookme_public_book`, :meth:`_bookme_public_cancel`,
  :meth:`_bookme_public_reschedule`, which the pages and the API call) commit, then run it
  on the same cursor, step by step, and send the guest's email right away: they can say
  honestly whether it went out;
- any other path (back-office buttons, RPC, crons) gets a post-commit hook that runs it
  in a fresh cursor, as Odoo's own ``mail.mail.send_after_commit`` does.

Under Odoo's test runner a ``TransactionCase`` never commits and an ``HttpCase`` request's
``TestCursor`` drops post-commit hooks; there the queued steps of the "other paths" run at
once, as if the commit had just happened (again like ``send_after_commit``). Tests with
real cursors (``registry.cursor()``) get the real behaviour.
"""

import logging

from odoo import SUPERUSER_ID, api, models
from odoo.modules import module as odoo_module
from odoo.modules.registry import Registry

_logger = logging.getLogger(__name__)

QUEUE_KEY = "crm_bookme.after_commit"
CLAIM_KEY = "crm_bookme.after_commit_claimed"


def _simulated_commits(cr):
    """Whether ``cr`` belongs to a running test that never really commits (the cursor of
    a ``TransactionCase``, or the ``TestCursor`` of an ``HttpCase`` request)."""
    test = odoo_module.current_test
    if not test:
        return False
    from odoo.tests.test_cursor import TestCursor  # only when tests run

    return isinstance(cr, TestCursor) or cr is getattr(test, "cr", None)


def _commit(cr):
    """Commit ``cr``; the cursor of a ``TransactionCase`` (which may not commit) is only
    flushed, so that the steps after it still see what was written."""
    test = odoo_module.current_test
    if test and cr is getattr(test, "cr", None):
        cr.flush()
    else:
        # The booking path ends here: its locks go, before any outside call.
        cr.commit()  # pylint: disable=invalid-commit


def _rollback(cr):
    test = odoo_module.current_test
    if not (test and cr is getattr(test, "cr", None)):
        cr.rollback()


def _run_in_new_cursor(dbname, queue, context):
    """The post-commit hook: run what nobody ran explicitly, in a cursor of its own."""
    if not queue:
        return
    work = list(queue)
    queue.clear()
    try:
        with Registry(dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            env["bookme.booking"]._bookme_run_after_commit(work)
    except Exception:  # a post-commit hook must not turn a committed change into an error
        _logger.exception("Book Me: after-commit steps %s failed", [step[0] for step in work])


class BookmeBooking(models.Model):
    _inherit = "bookme.booking"

    # --- The queue ---------------------------------------------------------------------------

    def _bookme_after_commit(self, method, *args, **kwargs):
        """Run ``self.<method>(*args, **kwargs)`` (in sudo, with the context key
        ``bookme_after_commit``) once this transaction has committed, in the order queued.
        The arguments must be plain values (ids, strings, numbers)."""
        cr = self.env.cr
        data = cr.postcommit.data
        queue = data.get(QUEUE_KEY)
        if queue is None:
            queue = data[QUEUE_KEY] = []
            if not _simulated_commits(cr):
                context = {k: v for k, v in self.env.context.items() if k in ("lang", "tz")}
                cr.postcommit.add(lambda: _run_in_new_cursor(cr.dbname, queue, context))
        queue.append((method, self.ids, args, kwargs, dict(self.env.context)))
        if _simulated_commits(cr) and not data.get(CLAIM_KEY):
            # As if the transaction had just committed; each step in a savepoint only, so
            # that nothing here commits or rolls back the test's own transaction.
            self._bookme_run_after_commit(self._bookme_take_queue(), commit=False)

    def _bookme_take_queue(self):
        """Take (and empty) this transaction's queue of after-commit steps."""
        data = self.env.cr.postcommit.data
        queue = data.get(QUEUE_KEY) or []
        work = list(queue)
        queue.clear()
        return work

    @api.model
    def _bookme_run_after_commit(self, work, commit=True):
        """Run queued steps, each in its own transaction (with ``commit``; else each in a
        savepoint of the current one). Nothing here may undo or hide the booking, already
        committed: a step that fails is logged and rolled back."""
        cr = self.env.cr
        for method, ids, args, kwargs, context in work:
            records = self.sudo().with_context(context, bookme_after_commit=True).browse(ids)
            records = records.exists()
            if not records:
                continue
            try:
                with cr.savepoint():
                    getattr(records, method)(*args, **kwargs)
                if commit:
                    _commit(cr)
            except Exception:
                _logger.exception("Book Me: after-commit step %s of bookings %s failed", method, ids)
                if commit:
                    _rollback(cr)

    def _bookme_commit_and_call_out(self):
        """End the booking's transaction, then make its outside calls: the queued steps
        (Zoom, emails), then the guest's email goes to the mail server right away.

        Returns whether the guest's email went out (False: still queued for the mail cron,
        or it could not be prepared; the host was told then)."""
        cr = self.env.cr
        work = self._bookme_take_queue()
        _commit(cr)  # the host lock and the throttle row are released here
        self._bookme_run_after_commit(work)
        sent = self._bookme_send_guest_mail_now()
        try:
            _commit(cr)
        except Exception:  # the booking is committed: report, never undo or retry it
            _logger.exception("Book Me: could not record the email state of bookings %s", self.ids)
            _rollback(cr)
        return sent and not any(booking.sudo().guest_mail_failed for booking in self)

    def _bookme_claim_after_commit(self):
        """This request runs the queue itself after committing (see the public actions)."""
        self.env.cr.postcommit.data[CLAIM_KEY] = True

    # --- The public actions ------------------------------------------------------------------

    @api.model
    def _bookme_public_book(self, etype, values, invite=None):
        """A visitor books: ``values`` are ``_bookme_create``'s keyword arguments (parsed
        by the controller), ``invite`` the verified composer invitation, if any.

        Commits the booking, then makes the outside calls. Returns ``(booking,
        email_sent)``; refusals raise :class:`BookmeError` before anything is committed.
        """
        self._bookme_claim_after_commit()
        kwargs = dict(values)
        if invite:
            Invite = self.env["bookme.invite"]
            kwargs.update(partner=Invite._bookme_booking_partner(invite, values["email"]), lead=invite.lead)
        booking = self._bookme_create(etype, **kwargs)
        if invite:
            self.env["bookme.invite"]._bookme_link_booking(booking, invite)
        return booking, booking._bookme_commit_and_call_out()

    def _bookme_public_cancel(self, reason=None):
        """The guest cancels (held to the deadline). Commits, then makes the outside calls
        (Zoom meeting deleted, emails). Returns whether the guest's email went out."""
        self.ensure_one()
        self._bookme_claim_after_commit()
        self._bookme_guest_cancel(reason=reason)
        return self._bookme_commit_and_call_out()

    def _bookme_public_reschedule(self, new_start):
        """The guest moves the booking (held to the deadline). Commits, then makes the
        outside calls. Returns whether the guest's email went out."""
        self.ensure_one()
        self._bookme_claim_after_commit()
        self._bookme_guest_reschedule(new_start)
        return self._bookme_commit_and_call_out()
