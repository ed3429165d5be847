from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError

from .time_format import format_when
from .utils import as_naive, as_utc

EXPIRY_PARAM = "crm_bookme.request_expiry"
REQUEST_ACTIVITY = "crm_bookme.mail_activity_type_bookme_request"
MAX_TEXT = 4000


class BookmeBookingApproval(models.Model):
    """Requests of event types that need approval (``requires_approval``).

    A request (state ``requested``) has no calendar event yet. The host approves it as
    it is, approves it at another time or with another staff member, or declines it;
    requests nobody answered expire when their start passes (a setting). Every transition
    goes through :meth:`_bookme_set_state`, and :meth:`_bookme_on_transition` is the hook
    for what should follow one.

    Group types: each seat request is approved on its own and joins the session's shared
    calendar event; the engine counts approved seats, plus pending ones when
    ``multiple_requests`` is off.
    """

    _inherit = "bookme.booking"

    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)
    expired = fields.Boolean(
        readonly=True,
        copy=False,
        help="Declined by Book Me: nobody answered the request before its start.",
    )
    # Read by the calendar view: pending requests hatched, declined/cancelled struck out.
    is_hatched = fields.Boolean(compute="_compute_calendar_look")
    is_striked = fields.Boolean(compute="_compute_calendar_look")

    @api.depends("state")
    def _compute_calendar_look(self):
        for booking in self:
            booking.is_hatched = booking.state == "requested"
            booking.is_striked = booking.state in ("declined", "cancelled")

    # --- Public actions (RPC and buttons) --------------------------------------------------

    def action_bookme_approve(
        self, new_start=None, new_user_id=None, internal_note=None, message=None, notify=True
    ):
        """Approve requests: ``requested`` -> ``confirmed``, with a calendar event.

        With ``new_start`` (ISO 8601 with offset, or an aware datetime) and/or
        ``new_user_id`` it is *approve with reschedule*: the booking moves there, if that
        staff member is free then. The slot is re-checked under the host's lock, as a
        booking is. ``internal_note`` stays on the booking; ``message`` goes to the client
        (with ``notify``). Refusals raise :class:`UserError` and change nothing.
        """
        self.check_access("write")
        if (new_start or new_user_id) and len(self) > 1:
            raise UserError(self.env._("Approve with reschedule works on one request at a time."))
        start = self._bookme_parse_new_start(new_start) if new_start else None
        new_user = self._bookme_parse_new_user(new_user_id) if new_user_id else None
        internal_note = self._bookme_clean_text(internal_note, self.env._("The internal note"))
        message = self._bookme_clean_text(message, self.env._("The message"))
        for booking in self.sudo():
            booking._bookme_approve(start, new_user, internal_note, message, bool(notify))
        return True

    def action_bookme_decline(self, message=None, notify=True):
        """Decline requests: ``requested`` -> ``declined``; the slot is free again. The
        client gets ``message`` in the email (with ``notify``)."""
        self.check_access("write")
        message = self._bookme_clean_text(message, self.env._("The message"))
        bookings = self.sudo()
        for booking in bookings:
            booking._bookme_check_requested()
        for booking in bookings:
            booking._bookme_decline(message, bool(notify))
        return True

    def action_approve_wizard(self):
        self.ensure_one()
        self.check_access("write")
        return self._bookme_wizard_action(
            "bookme.booking.approve", self.env._("Approve with Reschedule"), {"default_booking_id": self.id}
        )

    def action_decline_wizard(self):
        self.check_access("write")
        return self._bookme_wizard_action(
            "bookme.booking.decline", self.env._("Decline"), {"default_booking_ids": self.ids}
        )

    def _bookme_wizard_action(self, model, name, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    # --- Checks ----------------------------------------------------------------------------

    def _bookme_check_requested(self):
        self.ensure_one()
        if self.state != "requested":
            state = dict(self._fields["state"]._description_selection(self.env))[self.state]
            raise UserError(
                self.env._(
                    "%(booking)s is not waiting for approval any more (it is %(state)s).",
                    booking=self.display_name,
                    state=state.lower(),
                )
            )

    @api.model
    def _bookme_parse_new_start(self, value):
        if isinstance(value, datetime):
            start = value
        else:
            try:
                start = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                start = None
        if start is None or start.tzinfo is None:
            raise UserError(
                self.env._(
                    "The new time must be an ISO 8601 time with its offset, e.g. 2030-01-07T09:00:00+01:00."
                )
            )
        return start.astimezone(timezone.utc)

    @api.model
    def _bookme_parse_new_user(self, value):
        user_id = value.id if isinstance(value, models.BaseModel) else value
        try:
            user = self.env["res.users"].sudo().browse(int(user_id)).exists()
        except (TypeError, ValueError):
            user = self.env["res.users"]
        if not (
            user and user.active and user.bookme_enabled and user.has_group("crm_bookme.group_bookme_user")
        ):
            raise UserError(self.env._("Choose a staff member who uses Book Me (Preferences → Book Me)."))
        return user

    @api.model
    def _bookme_clean_text(self, value, label):
        if value in (None, False, ""):
            return None
        if not isinstance(value, str):
            raise UserError(self.env._("%(label)s must be text.", label=label))
        if len(value) > MAX_TEXT:
            raise UserError(
                self.env._("%(label)s is too long (at most %(max)s characters).", label=label, max=MAX_TEXT)
            )
        return value.strip() or None

    # --- Transitions -----------------------------------------------------------------------

    def _bookme_set_state(self, state, vals=None):
        """The one door of approval transitions: write ``state`` (and ``vals``), then call
        :meth:`_bookme_on_transition` with the state each booking had. Runs in sudo."""
        for booking in self:
            old_state = booking.state
            booking.with_context(mail_auto_subscribe_no_notify=True).write({**(vals or {}), "state": state})
            booking._bookme_on_transition(old_state)

    def _bookme_on_transition(self, old_state):
        """Hook: the booking just moved from ``old_state`` to its current ``state`` (extend
        it with ``super()``). An approved request is booked from now on: the automations'
        *booked* occasions follow it then, as they follow a booking made directly."""
        self.ensure_one()
        if old_state == "requested" and self.state == "confirmed":
            self._bookme_automation_booked()

    def _bookme_approve(self, start, new_user, internal_note, message, notify):
        self.ensure_one()
        self._bookme_check_requested()
        etype = self.event_type_id
        old_host = self.user_id
        host = new_user or old_host
        start = start or as_utc(self.start)
        if host != old_host and etype.kind == "group":
            raise UserError(
                self.env._(
                    "A group session belongs to its host: approve this seat without changing the "
                    "staff member."
                )
            )
        scheduler = self.env["bookme.scheduler"]
        if start <= scheduler._now():
            raise UserError(
                self.env._(
                    "This time has passed. Approve the request at another time (Approve with "
                    "Reschedule) or decline it."
                )
            )
        self.env["bookme.host.lock"]._acquire(host)
        slot = scheduler._check_slot(
            etype, start, seats=self.seats, exclude_booking=self, host=host, host_decision=True
        )
        if not slot:
            if start == as_utc(self.start) and host == old_host:
                raise UserError(
                    self.env._(
                        "This time is no longer free: another booking or a meeting holds it now. "
                        "Approve the request at another time (Approve with Reschedule) or decline it."
                    )
                )
            raise UserError(
                self.env._(
                    "%(host)s is not free at %(time)s. Choose one of the free times offered.",
                    host=host.name,
                    time=format_when(self.env, start, host.tz or "UTC", self.env.lang),
                )
            )
        old_display = self.start_display
        moved = as_naive(slot.start) != self.start or host != old_host
        vals = {
            "start": as_naive(slot.start),
            "stop": as_naive(slot.end),
            "user_id": host.id,
            "decided_by_id": self.env.uid,
            "decision_date": fields.Datetime.now(),
        }
        if internal_note:
            vals["internal_note"] = "\n\n".join(filter(None, [self.internal_note, internal_note]))
        if self.calendar_event_id:
            self._bookme_release_calendar_event()
            vals["calendar_event_id"] = False
        self._bookme_set_state("confirmed", vals)
        self._bookme_attach_calendar_event()
        self.activity_feedback([REQUEST_ACTIVITY], feedback=self.env._("Approved"))
        self.message_post(
            body=self.env._("Approved at a new time (it was %(old)s).", old=old_display)
            if moved
            else self.env._("Approved."),
            subtype_xmlid="mail.mt_note",
        )
        ctx = {"old_display": old_display if moved else False, "bookme_message": message}
        if notify:
            template = (
                "mail_template_booking_guest_approved_moved"
                if moved
                else "mail_template_booking_guest_approved"
            )
            self.with_context(**ctx)._bookme_send_template(template, ics=True)
        if host != self.env.user:
            self.with_context(**ctx)._bookme_send_template("mail_template_booking_host_new")
            self._bookme_approval_notice(self.env._("Booking approved: %(name)s", name=self.display_name))

    def _bookme_decline(self, message, notify, expired=False):
        self.ensure_one()
        vals = {
            "client_message": message or False,
            "decided_by_id": False if expired else self.env.uid,
            "decision_date": fields.Datetime.now(),
            "expired": expired,
        }
        self._bookme_release_calendar_event()
        self._bookme_set_state("declined", vals)
        if expired:
            self.activity_unlink([REQUEST_ACTIVITY])
            self.message_post(
                body=self.env._("Expired: nobody answered the request before its start."),
                subtype_xmlid="mail.mt_note",
            )
        else:
            self.activity_feedback([REQUEST_ACTIVITY], feedback=self.env._("Declined"))
            self.message_post(body=self.env._("Declined."), subtype_xmlid="mail.mt_note")
        if notify:
            self.with_context(bookme_message=message)._bookme_send_template(
                "mail_template_booking_guest_expired" if expired else "mail_template_booking_guest_declined"
            )
        if expired:
            self._bookme_approval_notice(self.env._("Request expired: %(name)s", name=self.display_name))
        elif self.user_id != self.env.user:
            self._bookme_approval_notice(self.env._("Request declined: %(name)s", name=self.display_name))

    # --- Notices -----------------------------------------------------------------------------

    def _bookme_notify(self, what, **ctx):
        """A new request also gives its host a to-do: approve or decline it. A request the
        client cancels needs no decision any more; one they move is due at its new time."""
        res = super()._bookme_notify(what, **ctx)
        bookings = self.sudo()
        if what in ("cancelled", "rescheduled"):
            bookings.activity_unlink([REQUEST_ACTIVITY])
        if what in ("created", "rescheduled"):
            for booking in bookings.filtered(lambda b: b.state == "requested"):
                booking._bookme_schedule_request_activity()
        return res

    def _bookme_schedule_request_activity(self):
        self.ensure_one()
        host = self.user_id
        deadline = as_utc(self.start).astimezone(ZoneInfo(host.tz or "UTC")).date()
        # The host's email and inbox notice already announce it: no "assigned to you" email.
        self.with_context(mail_activity_quick_update=True).activity_schedule(
            REQUEST_ACTIVITY,
            date_deadline=deadline,
            summary=self.env._("Approve or decline the request"),
            user_id=host.id,
        )

    def _bookme_approval_notice(self, subject):
        """An Odoo inbox notice to the booking's host about a decision someone else (or the
        expiry) made."""
        self.ensure_one()
        start = self.host_start_display
        record = self.calendar_event_id or self
        record.sudo().with_context(bookme_inbox_only=True).message_notify(
            partner_ids=self.user_id.partner_id.ids,
            author_id=(self.env.user.partner_id if self.decided_by_id else self.partner_id).id,
            subject=subject,
            body=self.env._("%(subject)s — %(start)s", subject=subject, start=start),
        )

    # --- Expiry ------------------------------------------------------------------------------

    @api.model
    def _bookme_cron_expire_requests(self, batch_size=100):
        """Requests whose start has passed with nobody answering: declined (the client is
        told), unless the setting says to keep them."""
        expiry = self.env["ir.config_parameter"].sudo().get_param(EXPIRY_PARAM, "expire")
        if expiry != "expire":
            return
        domain = [("state", "=", "requested"), ("start", "<=", fields.Datetime.now())]
        Booking = self.sudo()
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        while batch := Booking.search(domain, limit=batch_size, order="start, id"):
            for booking in batch:
                booking._bookme_decline(None, notify=True, expired=True)
            if in_cron:
                self.env["ir.cron"]._commit_progress(len(batch), remaining=Booking.search_count(domain))
