import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.crm_bookme.models.bookme_automation_log import BookmeAutomationLog

from .common import BookmeCase, naive, utc

# Friday 2030-01-04 12:00 UTC; the host works Mon-Fri 09:00-17:00 Oslo (08:00-16:00 UTC).
NOW = datetime(2030, 1, 4, 12, 0)
MONDAY_9 = utc(2030, 1, 7, 8, 0)


def weekdays(n, first=MONDAY_9):
    """The starts of ``n`` sessions at 09:00 Oslo on consecutive weekdays."""
    starts, day = [], first
    while len(starts) < n:
        if day.weekday() < 5:
            starts.append(day)
        day += timedelta(days=1)
    return starts


@tagged("post_install", "-at_install")
class TestAutomations(BookmeCase):
    """Every trigger, as the host: rules made by the host, check-ins by the host, the cron
    executing (for real, through ``ir.cron``) what is due, at frozen times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.etype.name = "Yoga class"
        cls.thanks = cls.env.ref("crm_bookme.mail_template_automation_thanks")
        cls.miss_you = cls.env.ref("crm_bookme.mail_template_automation_miss_you")
        cls.staff_template = cls.env.ref("crm_bookme.mail_template_automation_staff")
        cls.colleague = new_test_user(
            cls.env,
            login="bookme_colleague",
            name="Carl Colleague",
            email="carl@example.com",
            groups="base.group_user",
        )
        cls.cron = cls.env.ref("crm_bookme.ir_cron_bookme_automations")

    # --- helpers ------------------------------------------------------------------------

    def rule(self, **vals):
        vals.setdefault("name", "Rule")
        vals.setdefault("action", "email_client")
        if vals["action"] == "email_client":
            vals.setdefault("template_id", self.thanks.id)
        return self.env["bookme.automation"].with_user(self.host).create(vals)

    def run_cron(self, at):
        """The automations cron, run as Odoo runs it (its own cursor, its progress API) at
        ``at`` (naive UTC)."""
        with freeze_time(at), self.enter_registry_test_mode():
            self.cron.sudo().method_direct_trigger()

    def mails(self, template, bookings=None):
        subject = template.subject.split("{{")[0]
        domain = [("model", "=", "bookme.booking"), ("subject", "like", subject)]
        if bookings is not None:
            domain.append(("res_id", "in", bookings.ids))
        return self.env["mail.mail"].search(domain)

    @contextmanager
    def at(self, moment):
        with freeze_time(naive(moment) if moment.tzinfo else moment):
            yield

    def book_at(self, start, email="guest@example.com", etype=None):
        with self.at(NOW):
            return self.book(etype or self.etype, start, email=email)

    def check_in(self, booking, when=None):
        with self.at(when or booking.start + timedelta(minutes=5)):
            booking.with_user(self.host).action_bookme_check_in()

    # --- event triggers -----------------------------------------------------------------

    def test_booked_respects_delay_and_types(self):
        with self.at(NOW):
            rule = self.rule(trigger="booked", delay=2, delay_unit="hours", event_type_ids=[self.etype.id])
        yoga = self.book_at(MONDAY_9)
        workshop = self.book_at(MONDAY_9 + timedelta(hours=3), email="w@example.com", etype=self.group_type)
        self.run_cron(NOW + timedelta(hours=1, minutes=59))
        self.assertFalse(self.mails(self.thanks))
        self.run_cron(NOW + timedelta(hours=2, minutes=1))
        mails = self.mails(self.thanks)
        self.assertEqual(mails.mapped("res_id"), yoga.ids)
        self.assertEqual(mails.recipient_ids, yoga.partner_id)
        self.assertFalse(self.mails(self.thanks, workshop))
        self.assertEqual(rule.log_ids.state, "done")
        self.assertEqual(rule.log_ids.booking_id, yoga)
        self.assertEqual(yoga.automation_log_ids, rule.log_ids)
        self.assertIn("confirmation", rule.duplicate_warning)

    def test_immediately_means_the_next_cron_run(self):
        with self.at(NOW):
            self.rule(trigger="booked")
        booking = self.book_at(MONDAY_9)
        self.assertFalse(self.mails(self.thanks), "nothing is sent from the booking request")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        self.assertTrue(triggers.filtered(lambda t: t.call_at <= NOW), "the cron is woken up")
        self.run_cron(NOW + timedelta(seconds=30))
        self.assertEqual(len(self.mails(self.thanks, booking)), 1)

    def test_cancelled_emails_staff_and_their_inbox(self):
        with self.at(NOW):
            rule = self.rule(
                trigger="cancelled",
                action="email_staff",
                template_id=self.staff_template.id,
                staff_user_ids=[self.colleague.id],
            )
            self.assertFalse(rule.duplicate_warning, "staff emails duplicate nothing")
        kept = self.book_at(MONDAY_9)
        cancelled = self.book_at(MONDAY_9 + timedelta(hours=1), email="c@example.com")
        with self.at(NOW + timedelta(minutes=5)):
            cancelled.with_user(self.host).action_bookme_cancel(reason="ill")
        self.run_cron(NOW + timedelta(minutes=6))
        mails = self.mails(self.staff_template)
        self.assertEqual(mails.mapped("res_id"), cancelled.ids)
        self.assertEqual(mails.recipient_ids, self.colleague.partner_id)
        self.assertIn("cancelled", mails.body_html)
        inbox = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.colleague.partner_id.id),
                ("notification_type", "=", "inbox"),
                ("mail_message_id.res_id", "=", cancelled.id),
            ]
        )
        self.assertTrue(inbox)
        self.assertFalse(self.mails(self.staff_template, kept))

    def test_requested_approved_declined(self):
        """A request is no booking yet: 'requested' fires for it; once decided, 'approved'
        (and 'booked') or 'declined'."""
        self.etype.requires_approval = True
        with self.at(NOW):
            rules = {
                trigger: self.rule(name=trigger, trigger=trigger, action="activity")
                for trigger in ("requested", "approved", "declined", "booked")
            }
            self.assertIn("request", rules["requested"].summary)
        approved = self.book_at(MONDAY_9)
        declined = self.book_at(MONDAY_9 + timedelta(hours=1), email="d@example.com")
        self.assertEqual(set((approved | declined).mapped("state")), {"requested"})
        direct = self.book_at(MONDAY_9 + timedelta(hours=2), etype=self.group_type, email="g@example.com")
        self.run_cron(NOW + timedelta(minutes=1))
        self.assertEqual(rules["requested"].log_ids.booking_id, approved | declined)
        self.assertEqual(rules["booked"].log_ids.booking_id, direct)
        with self.at(NOW + timedelta(hours=1)):
            approved.with_user(self.host).action_bookme_approve()
            declined.with_user(self.host).action_bookme_decline(notify=False)
        self.run_cron(NOW + timedelta(hours=1, minutes=1))
        self.assertEqual(rules["approved"].log_ids.booking_id, approved)
        self.assertEqual(rules["declined"].log_ids.booking_id, declined)
        self.assertEqual(rules["booked"].log_ids.booking_id, direct | approved)
        logs = self.env["bookme.automation.log"].search(
            [("automation_id", "in", [r.id for r in rules.values()])]
        )
        self.assertEqual(set(logs.mapped("state")), {"done"})
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "bookme.booking"), ("summary", "=", "declined")]
        )
        self.assertEqual(activities.res_id, declined.id)

    def test_checkin_triggers_first_nth_every(self):
        with self.at(NOW):
            first = self.rule(name="First", trigger="first_checkin")
            fifth = self.rule(
                name="Fifth", trigger="nth_checkin", nth=5, action="activity", event_type_ids=[self.etype.id]
            )
            every = self.rule(
                name="Every",
                trigger="checkin",
                action="email_staff",
                template_id=self.staff_template.id,
                staff_user_ids=[self.colleague.id],
                delay=1,
                delay_unit="days",
            )
        starts = weekdays(6)
        bookings = self.Booking
        for start in starts:
            bookings |= self.book_at(start)
        # A workshop check-in between them: not a Yoga class, so not counted by "Fifth".
        workshop = self.book_at(starts[1] + timedelta(hours=4), etype=self.group_type)
        for i, booking in enumerate(bookings):
            self.check_in(booking)
            if i == 1:
                self.check_in(workshop)
        self.assertTrue(all(bookings.mapped("checked_in")))
        self.run_cron(naive(starts[-1]) + timedelta(hours=1))
        self.assertEqual(first.log_ids.booking_id, bookings[0])
        self.assertEqual(len(self.mails(self.thanks)), 1)
        self.assertEqual(fifth.log_ids.booking_id, bookings[4], "the 5th Yoga check-in exactly")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "bookme.booking"), ("summary", "=", "Fifth")]
        )
        self.assertEqual(activities.res_id, bookings[4].id)
        self.assertEqual(activities.user_id, self.host)
        # "Every", 1 day later: due for the first five sessions (and the workshop) only.
        done = every.log_ids.filtered(lambda log: log.state == "done")
        self.assertEqual(done.booking_id, bookings[:5] | workshop)
        self.assertEqual(every.log_ids.filtered(lambda log: log.state == "pending").booking_id, bookings[5])
        self.run_cron(naive(starts[-1]) + timedelta(days=1, hours=1))
        self.assertEqual(len(self.mails(self.staff_template)), 7)

    def test_undone_checkin_is_skipped_when_due(self):
        with self.at(NOW):
            rule = self.rule(trigger="checkin", delay=1, delay_unit="days")
        booking = self.book_at(MONDAY_9)
        self.check_in(booking)
        with self.at(MONDAY_9 + timedelta(hours=1)):
            booking.with_user(self.host).action_bookme_undo_check_in()
        self.assertFalse(booking.checkin_date)
        self.run_cron(naive(MONDAY_9) + timedelta(days=2))
        self.assertEqual(rule.log_ids.state, "skipped")
        self.assertFalse(self.mails(self.thanks))

    def test_once_per_client_across_bookings(self):
        with self.at(NOW):
            rule = self.rule(trigger="booked", once_per_client=True)
        starts = weekdays(3)
        for start in starts:
            self.book_at(start)
        other = self.book_at(starts[0] + timedelta(hours=2), email="other@example.com")
        self.run_cron(NOW + timedelta(minutes=1))
        self.book_at(starts[1] + timedelta(hours=2))
        self.run_cron(NOW + timedelta(minutes=2))
        mails = self.mails(self.thanks)
        self.assertEqual(len(mails), 2)
        self.assertEqual(
            sorted(mails.recipient_ids.mapped("email")), ["guest@example.com", "other@example.com"]
        )
        self.assertEqual(len(rule.log_ids), 2)
        self.assertIn(other, rule.log_ids.booking_id)

    # --- time triggers ------------------------------------------------------------------

    def test_session_start_and_end_not_for_cancelled(self):
        with self.at(NOW):
            start_rule = self.rule(name="Starts", trigger="session_start", action="activity")
            end_rule = self.rule(name="Ends", trigger="session_end", delay=1, delay_unit="hours")
        held = self.book_at(MONDAY_9)
        cancelled = self.book_at(MONDAY_9 + timedelta(hours=1), email="c@example.com")
        with self.at(NOW + timedelta(hours=1)):
            cancelled.with_user(self.host).action_bookme_cancel()
        self.run_cron(naive(MONDAY_9) - timedelta(minutes=1))
        self.assertFalse(start_rule.log_ids)
        self.run_cron(naive(MONDAY_9) + timedelta(minutes=1))
        self.assertEqual(start_rule.log_ids.booking_id, held)
        self.assertTrue(
            self.env["mail.activity"].search([("res_id", "=", held.id), ("summary", "=", "Starts")])
        )
        end = naive(MONDAY_9) + timedelta(minutes=30)
        self.run_cron(end + timedelta(minutes=59))
        self.assertFalse(end_rule.log_ids)
        self.run_cron(end + timedelta(hours=3))
        self.assertEqual(end_rule.log_ids.booking_id, held)
        self.assertEqual(self.mails(self.thanks).mapped("res_id"), held.ids)
        self.assertFalse(start_rule.log_ids.filtered(lambda log: log.booking_id == cancelled))
        # Booked for the cancelled slot's time: the cron woke up for both session rules.
        calls = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).mapped("call_at")
        self.assertIn(naive(MONDAY_9), calls)
        self.assertIn(end + timedelta(hours=1), calls)

    def test_last_checked_in_x_days_ago(self):
        with self.at(NOW):
            rule = self.rule(trigger="last_checkin_days_ago", days=30, template_id=self.miss_you.id)
        away = self.book_at(MONDAY_9, email="away@example.com")
        back_first = self.book_at(MONDAY_9 + timedelta(hours=1), email="back@example.com")
        self.check_in(away)
        self.check_in(back_first)
        # "back" comes back 20 days later.
        later = MONDAY_9 + timedelta(days=21, hours=2)
        with self.at(MONDAY_9 + timedelta(days=1)):
            back_again = self.book(self.etype, later, email="back@example.com")
        self.check_in(back_again)
        day30 = naive(away.checkin_date) + timedelta(days=30)
        self.run_cron(day30 - timedelta(minutes=1))
        self.assertFalse(self.mails(self.miss_you))
        self.run_cron(day30 + timedelta(minutes=10))
        self.assertEqual(self.mails(self.miss_you).mapped("res_id"), away.ids, "not the client who came back")
        self.run_cron(naive(back_again.checkin_date) + timedelta(days=30, minutes=10))
        mails = self.mails(self.miss_you)
        self.assertEqual(sorted(mails.mapped("res_id")), sorted((away | back_again).ids))
        self.assertEqual(len(mails), 2, "X days after the *last* check-in, once")
        self.run_cron(naive(back_again.checkin_date) + timedelta(days=90))
        self.assertEqual(len(self.mails(self.miss_you)), 2)
        self.assertEqual(set(rule.log_ids.mapped("state")), {"done"})

    # --- execution ----------------------------------------------------------------------

    def test_cron_twice_sends_once(self):
        with self.at(NOW):
            self.rule(trigger="booked")
        bookings = self.book_at(MONDAY_9) | self.book_at(MONDAY_9 + timedelta(hours=1), email="b@example.com")
        self.run_cron(NOW + timedelta(minutes=1))
        self.run_cron(NOW + timedelta(minutes=2))
        self.assertEqual(len(self.mails(self.thanks, bookings)), 2)
        # The same occasion recorded again (a replayed request) is not queued twice.
        with self.at(NOW + timedelta(minutes=3)):
            bookings._bookme_automation_occasions("booked")
        self.run_cron(NOW + timedelta(minutes=4))
        self.assertEqual(len(self.mails(self.thanks, bookings)), 2)

    def test_failure_logged_and_retried_a_bounded_number_of_times(self):
        with self.at(NOW):
            rule = self.rule(trigger="booked")
        self.book_at(MONDAY_9)

        def broken(self, rule):
            raise UserError("SMTP on fire")

        with patch.object(BookmeAutomationLog, "_bookme_perform", broken):
            self.run_cron(NOW + timedelta(minutes=1))
            self.assertEqual((rule.log_ids.state, rule.log_ids.attempts), ("pending", 1))
            self.assertIn("SMTP on fire", rule.log_ids.error)
            self.run_cron(NOW + timedelta(minutes=5))
            self.assertEqual(rule.log_ids.attempts, 1, "not retried before its time")
            self.run_cron(NOW + timedelta(minutes=12))
            self.assertEqual((rule.log_ids.state, rule.log_ids.attempts), ("pending", 2))
            self.run_cron(NOW + timedelta(minutes=40))
            self.assertEqual((rule.log_ids.state, rule.log_ids.attempts), ("failed", 3))
            self.run_cron(NOW + timedelta(days=1))
            self.assertEqual(rule.log_ids.attempts, 3)
        self.run_cron(NOW + timedelta(days=2))
        self.assertEqual(rule.log_ids.state, "failed")
        self.assertFalse(self.mails(self.thanks))

    def test_switched_off_rule_does_nothing(self):
        with self.at(NOW):
            rule = self.rule(trigger="booked", delay=1, delay_unit="hours")
        self.book_at(MONDAY_9)
        with self.at(NOW + timedelta(minutes=10)):
            rule.with_user(self.host).action_archive()
        self.book_at(MONDAY_9 + timedelta(hours=1), email="later@example.com")
        self.run_cron(NOW + timedelta(hours=2))
        self.assertEqual(rule.with_context(active_test=False).log_ids.state, "skipped")
        self.assertFalse(self.mails(self.thanks))


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestAutomationForm(BookmeCase):
    """The rule form as the host fills it in, its sentence, who may do what."""

    def test_sentence_rendered_on_the_form(self):
        self.etype.name = "Yoga class"
        template = self.env["mail.template"].create(
            {
                "name": "Loyalty offer",
                "model_id": self.env["ir.model"]._get_id("bookme.booking"),
                "subject": "A gift",
                "body_html": "<p>Thanks</p>",
            }
        )
        form = Form(self.env["bookme.automation"].with_user(self.host))
        form.name = "Loyalty"
        form.trigger = "nth_checkin"
        form.nth_choice = "10"
        form.event_type_ids.add(self.etype.with_user(self.host))
        form.action = "email_client"
        form.template_id = template
        form.delay = 2
        form.delay_unit = "days"
        form.once_per_client = True
        self.assertEqual(
            form.summary,
            "When a client is checked in for the 10th time in Yoga class, 2 days later, "
            "email the client 'Loyalty offer', once per client.",
        )
        rule = form.save()
        self.assertEqual(rule.nth, 10)
        self.assertEqual(rule.user_id, self.host)
        with Form(rule.with_user(self.host)) as edit:
            edit.trigger = "last_checkin_days_ago"
            edit.days = 60
            edit.event_type_ids.clear()
            edit.action = "activity"
            edit.once_per_client = False
        self.assertEqual(
            rule.summary,
            "When a client was last checked in to any event type 60 days ago, "
            "schedule an activity for the host.",
        )
        rule.write({"trigger": "session_end", "delay": 0})
        self.assertEqual(
            rule.summary,
            "When a session of any event type ends, immediately, schedule an activity for the host.",
        )

    def test_duplicate_warning(self):
        rule = (
            self.env["bookme.automation"]
            .with_user(self.host)
            .new({"name": "x", "trigger": "cancelled", "action": "email_client"})
        )
        self.assertIn("already emails", rule.duplicate_warning)
        rule.action = "activity"
        self.assertFalse(rule.duplicate_warning)

    def test_rules_checked(self):
        Rule = self.env["bookme.automation"].with_user(self.host)
        with self.assertRaises(ValidationError):
            Rule.create({"name": "no template", "trigger": "booked", "action": "email_client"})
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "name": "no staff",
                    "trigger": "booked",
                    "action": "email_staff",
                    "template_id": self.env.ref("crm_bookme.mail_template_automation_staff").id,
                }
            )
        wrong = self.env["mail.template"].create(
            {"name": "Partner template", "model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        with self.assertRaises(ValidationError):
            Rule.create(
                {
                    "name": "wrong model",
                    "trigger": "booked",
                    "action": "email_client",
                    "template_id": wrong.id,
                }
            )

    def test_host_manages_own_rules_only(self):
        other = new_test_user(
            self.env, login="bookme_other", name="Olga Other", groups="sales_team.group_sale_salesman"
        )
        other_type = self.env["bookme.event.type"].create(
            {"name": "Olga's", "slug": "olga", "user_id": other.id, "duration": 30}
        )
        company_wide = self.env["bookme.automation"].create(
            {"name": "Everyone", "trigger": "session_end", "action": "activity", "user_id": False}
        )
        own = (
            self.env["bookme.automation"]
            .with_user(self.host)
            .create({"name": "Mine", "trigger": "session_end", "action": "activity"})
        )
        Rule = self.env["bookme.automation"].with_user(other)
        self.assertEqual(Rule.search([("id", "in", (own | company_wide).ids)]), company_wide)
        with self.assertRaises(AccessError):
            company_wide.with_user(self.host).write({"name": "Hijacked"})
        with self.assertRaises(AccessError):
            own.with_user(other).write({"name": "Hijacked"})
        with self.assertRaises(AccessError):
            own.with_user(other).action_open_logs()
        with self.assertRaises(AccessError):
            Rule.create({"name": "For all", "trigger": "booked", "action": "activity", "user_id": False})
        with self.assertRaises(AccessError):
            own.with_user(self.host).write({"event_type_ids": [(4, other_type.id)]})
        with self.assertRaises(ValidationError):  # even for an administrator
            own.with_env(self.env).write({"event_type_ids": [(4, other_type.id)]})

    def test_runs_visible_to_the_host_only(self):
        other = new_test_user(
            self.env, login="bookme_other2", name="Otto Other", groups="sales_team.group_sale_salesman"
        )
        rule = (
            self.env["bookme.automation"]
            .with_user(self.host)
            .create({"name": "Mine", "trigger": "booked", "action": "activity"})
        )
        booking = self.book(self.etype, utc(2030, 1, 7, 8, 0))
        self.assertEqual(len(rule.log_ids), 1)
        Log = self.env["bookme.automation.log"]
        self.assertEqual(Log.with_user(self.host).search([]), rule.log_ids)
        self.assertFalse(Log.with_user(other).search([]))
        with self.assertRaises(AccessError):
            rule.log_ids.with_user(self.host).write({"state": "done"})
        self.assertEqual(booking.with_user(self.host).automation_log_count, 1)


@tagged("post_install", "-at_install")
@freeze_time("2030-01-07 08:10:00")
class TestCheckIn(BookmeCase):
    """Check-in, undo and no-show, as the host; nobody else may."""

    def setUp(self):
        super().setUp()
        with freeze_time("2030-01-04 12:00:00"):
            self.booking = self.book(self.etype, utc(2030, 1, 7, 8, 0))
            self.tomorrow = self.book(self.etype, utc(2030, 1, 8, 8, 0), email="t@example.com")

    def test_check_in_and_undo(self):
        booking = self.booking.with_user(self.host)
        booking.action_bookme_check_in()
        self.assertTrue(booking.checked_in)
        self.assertEqual(booking.checkin_date, datetime(2030, 1, 7, 8, 10))
        booking.action_bookme_undo_check_in()
        self.assertFalse(booking.checked_in)
        self.assertFalse(booking.checkin_date)

    def test_check_in_from_the_calendar_event(self):
        event = self.booking.calendar_event_id.with_user(self.host)
        form = Form(event)
        self.assertEqual(len(form.bookme_booking_ids), 1)
        event.bookme_booking_ids.action_bookme_check_in()
        self.assertTrue(self.booking.checked_in)

    def test_buttons_on_form_card_and_event(self):
        Booking = self.env["bookme.booking"].with_user(self.host)
        views = Booking.get_views([(False, "form"), (False, "kanban")])["views"]
        for kind in ("form", "kanban"):
            self.assertIn('name="action_bookme_check_in"', views[kind]["arch"], kind)
        self.assertIn('name="action_bookme_mark_no_show"', views["form"]["arch"])
        event_form = (
            self.env["calendar.event"]
            .with_user(self.host)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_bookme_check_in"', event_form)

    def test_refusals(self):
        with self.assertRaises(UserError):
            self.tomorrow.with_user(self.host).action_bookme_check_in()
        with self.assertRaises(UserError):
            self.tomorrow.with_user(self.host).action_bookme_mark_no_show()
        self.booking.with_user(self.host).action_bookme_cancel()
        with self.assertRaises(UserError):
            self.booking.with_user(self.host).action_bookme_check_in()
        self.assertFalse(self.booking.checked_in)

    def test_only_the_host_checks_in(self):
        other = new_test_user(
            self.env, login="bookme_stranger", name="Stranger", groups="sales_team.group_sale_salesman"
        )
        portal = new_test_user(self.env, login="bookme_portal", name="Portal", groups="base.group_portal")
        for user in (other, portal):
            with self.assertRaises(AccessError):
                self.booking.with_user(user).action_bookme_check_in()
        self.assertFalse(self.booking.checked_in)

    def test_no_show(self):
        booking = self.booking.with_user(self.host)
        booking.action_bookme_mark_no_show()
        self.assertTrue(booking.no_show)
        booking.action_bookme_check_in()
        self.assertFalse(booking.no_show, "a late arrival is no no-show")
        with self.assertRaises(UserError):
            booking.action_bookme_mark_no_show()


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestAutomationsFromThePublicApi(HttpCase, BookmeCase):
    """The guest books and cancels through the JSON API: the host's rules fire for both,
    after the request, from the cron."""

    def post_json(self, path, body):
        res = self.url_open(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        return res.status_code, res.json()

    def test_guest_book_and_cancel(self):
        staff = self.env.ref("crm_bookme.mail_template_automation_staff")
        Rule = self.env["bookme.automation"].with_user(self.host)
        for trigger in ("booked", "cancelled"):
            Rule.create(
                {
                    "name": trigger,
                    "trigger": trigger,
                    "action": "email_staff",
                    "template_id": staff.id,
                    "staff_user_ids": [self.host.id],
                }
            )
        status, data = self.post_json(
            "/book/api/v1/hanne/consultation/bookings",
            {
                "start": "2030-01-07T09:00:00+01:00",
                "name": "Gina Guest",
                "email": "gina@example.com",
                "tz": "Europe/Oslo",
            },
        )
        self.assertEqual(status, 201, data)
        token = data["booking"]["token"]
        status, data = self.post_json(f"/book/api/v1/bookings/{token}/cancel", {})
        self.assertEqual(status, 200, data)
        booking = self.env["bookme.booking"].search([("access_token", "=", token)])
        self.assertEqual(booking.state, "cancelled")
        logs = booking.automation_log_ids
        self.assertEqual(sorted(logs.mapped("trigger")), ["booked", "cancelled"])
        self.assertEqual(set(logs.mapped("state")), {"pending"}, "nothing sent in the request")
        self.env.ref("crm_bookme.ir_cron_bookme_automations").sudo().method_direct_trigger()
        logs.invalidate_recordset()
        self.assertEqual(
            set(logs.mapped("state")),
            {"skipped", "done"},
            "a cancelled booking's 'booked' email is not sent any more",
        )
        self.assertEqual(logs.filtered(lambda log: log.state == "done").trigger, "cancelled")
        self.assertEqual(
            len(
                self.env["mail.mail"].search(
                    [
                        ("model", "=", "bookme.booking"),
                        ("res_id", "=", booking.id),
                        ("subject", "like", "Book Me: "),
                        ("recipient_ids", "in", self.host.partner_id.ids),
                    ]
                )
            ),
            1,
        )


@tagged("post_install", "-at_install")
@freeze_time("2030-01-07 08:10:00")
class TestDirectCheckIn(BookmeCase):
    """``checked_in`` written directly (RPC, import) behaves like the button."""

    def test_direct_write_sets_time_and_queues_automations(self):
        with freeze_time("2030-01-04 12:00:00"):
            booking = self.book(self.etype, utc(2030, 1, 7, 8, 0))
        rule = (
            self.env["bookme.automation"]
            .with_user(self.host)
            .create({"name": "Every", "trigger": "checkin", "action": "activity"})
        )
        booking.with_user(self.host).write({"checked_in": True})
        self.assertEqual(booking.checkin_date, datetime(2030, 1, 7, 8, 10))
        self.assertEqual(rule.log_ids.booking_id, booking)
        booking.with_user(self.host).write({"checked_in": False})
        self.assertFalse(booking.checkin_date)


@tagged("post_install", "-at_install")
class TestEveryTrigger(BookmeCase):
    """Each trigger, once: a rule for Workshops only, 3 hours after (X = 2 days for "last
    checked in X days ago"). The same thing happens to a Yoga class booking and to a
    Workshop booking; the rule acts for the Workshop only, not a minute early."""

    DELAY = timedelta(hours=3)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.etype.name = "Yoga class"
        cls.cron = cls.env.ref("crm_bookme.ir_cron_bookme_automations")

    def run_cron(self, at):
        with freeze_time(at), self.enter_registry_test_mode():
            self.cron.sudo().method_direct_trigger()

    def happen(self, trigger, etype):
        """Make ``trigger`` happen to one booking of ``etype`` (of one client, as the host);
        return the booking and the moment it happened (naive UTC)."""
        hour = timedelta(hours=0 if etype == self.etype else 2)
        email = f"{etype.slug}@example.com"
        sessions = 5 if trigger == "nth_checkin" else 1
        with freeze_time(NOW):
            bookings = self.Booking
            for start in weekdays(sessions):
                bookings |= self.book(etype, start + hour, email=email)
        booking, moment = bookings[-1], NOW
        host_booking = booking.with_user(self.host)
        if trigger == "cancelled":
            moment = NOW + timedelta(minutes=10)
            with freeze_time(moment):
                host_booking.action_bookme_cancel()
        elif trigger in ("approved", "declined"):
            moment = NOW + timedelta(hours=1)
            with freeze_time(moment):
                if trigger == "approved":
                    host_booking.action_bookme_approve()
                else:
                    host_booking.action_bookme_decline(notify=False)
        elif trigger in ("first_checkin", "nth_checkin", "checkin", "last_checkin_days_ago"):
            for each in bookings:
                moment = each.start + timedelta(minutes=5)
                with freeze_time(moment):
                    each.with_user(self.host).action_bookme_check_in()
        elif trigger == "session_start":
            moment = booking.start
        elif trigger == "session_end":
            moment = booking.stop
        return booking, moment

    def check(self, trigger):
        if trigger in ("requested", "approved", "declined"):
            (self.etype | self.group_type).requires_approval = True
        with freeze_time(NOW):
            rule = (
                self.env["bookme.automation"]
                .with_user(self.host)
                .create(
                    {
                        "name": f"Rule {trigger}",
                        "trigger": trigger,
                        "action": "activity",
                        "event_type_ids": [self.group_type.id],
                        "nth": 5,
                        "days": 2,
                        "delay": 3,
                        "delay_unit": "hours",
                    }
                )
            )
        yoga, _ = self.happen(trigger, self.etype)
        workshop, moment = self.happen(trigger, self.group_type)
        due = moment + (timedelta(days=2) if trigger == "last_checkin_days_ago" else self.DELAY)
        self.run_cron(due - timedelta(minutes=1))
        self.assertFalse(rule.log_ids.filtered(lambda log: log.state != "pending"), "not a minute early")
        self.run_cron(due + timedelta(minutes=1))
        self.assertEqual(rule.log_ids.booking_id, workshop, "the Workshop only")
        self.assertEqual(rule.log_ids.state, "done")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "bookme.booking"), ("summary", "=", rule.name)]
        )
        self.assertEqual(activity.res_id, workshop.id)
        self.assertNotEqual(yoga, workshop)

    def test_booked(self):
        self.check("booked")

    def test_cancelled(self):
        self.check("cancelled")

    def test_requested(self):
        self.check("requested")

    def test_approved(self):
        self.check("approved")

    def test_declined(self):
        self.check("declined")

    def test_first_checkin(self):
        self.check("first_checkin")

    def test_nth_checkin(self):
        self.check("nth_checkin")

    def test_checkin(self):
        self.check("checkin")

    def test_last_checkin_days_ago(self):
        self.check("last_checkin_days_ago")

    def test_session_start(self):
        self.check("session_start")

    def test_session_end(self):
        self.check("session_end")
