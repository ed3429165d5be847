import json
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, JsonRpcException, freeze_time, new_test_user, tagged

from ..exceptions import BookmeError
from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo
TUESDAY_1430 = utc(2030, 1, 8, 13, 30)  # 14:30 in Oslo
NOTE = "VIP: call the client's assistant first"
MESSAGE = "Monday is full, so I moved you to Tuesday afternoon."


class ApprovalCase(BookmeCase):
    """An approval type of the Oslo host, a colleague who works afternoons only, another
    Book Me user, a Book Me administrator and a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approval = cls.env["bookme.event.type"].create(
            {
                "name": "Portfolio review",
                "slug": "review",
                "user_id": cls.host.id,
                "duration": 30,
                "increment": 30,
                "min_notice": 0,
                "requires_approval": True,
            }
        )
        cls.afternoons = cls.env["resource.calendar"].create(
            {
                "name": "Afternoons",
                "tz": "Europe/Oslo",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {d}",
                            "dayofweek": str(d),
                            "hour_from": 13.0,
                            "hour_to": 17.0,
                            "day_period": "afternoon",
                        }
                    )
                    for d in range(5)
                ],
            }
        )
        cls.colleague = new_test_user(
            cls.env,
            login="bookme_colleague",
            name="Colin Colleague",
            email="colin@example.com",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )
        cls.colleague.write({"bookme_enabled": True, "bookme_slug": "colin"})
        cls.colleague.resource_calendar_id = cls.afternoons
        cls.other_user = new_test_user(
            cls.env,
            login="bookme_other",
            name="Olga Other",
            email="olga@example.com",
            groups="sales_team.group_sale_salesman",
            tz="Europe/Oslo",
        )
        cls.manager = new_test_user(
            cls.env,
            login="bookme_manager",
            name="Mona Manager",
            email="mona@example.com",
            groups="sales_team.group_sale_salesman,crm_bookme.group_bookme_manager",
            tz="Europe/Oslo",
        )
        cls.portal = new_test_user(cls.env, login="bookme_portal", groups="base.group_portal")

    def mails_of(self, booking):
        return self.env["mail.mail"].search([("model", "=", "bookme.booking"), ("res_id", "=", booking.id)])

    def guest_mails(self, mails, booking):
        return mails.filtered(lambda m: booking.partner_id in m.recipient_ids)

    def request(self, start=MONDAY_9, email="gina@example.com", name="Gina Guest", etype=None):
        return self.book(etype or self.approval, start, email=email, name=name)

    def inbox(self, user):
        return self.env["mail.notification"].search_count(
            [
                ("res_partner_id", "=", user.partner_id.id),
                ("notification_type", "=", "inbox"),
            ]
        )


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestApproval(ApprovalCase):
    """Request, approve, approve with reschedule, decline — as the host."""

    def test_request_tells_both_sides_without_calendar_file(self):
        before = self.inbox(self.host)
        booking = self.request()
        self.assertEqual(booking.state, "requested")
        self.assertFalse(booking.calendar_event_id, "a request is not in the calendar yet")
        mails = self.mails_of(booking)
        guest = self.guest_mails(mails, booking)
        self.assertEqual(len(guest), 1)
        self.assertIn("Request received", guest.subject)
        self.assertFalse(guest.attachment_ids, "no .ics before the request is approved")
        self.assertNotIn("Video call", guest.body_html)
        host_mail = mails.filtered(lambda m: self.host.partner_id in m.recipient_ids)
        self.assertIn("Booking request", host_mail.subject)
        self.assertEqual(self.inbox(self.host), before + 1, "an Odoo inbox notice")
        activity = booking.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.host)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("crm_bookme.mail_activity_type_bookme_request")
        )
        self.assertEqual(activity.date_deadline, date(2030, 1, 7))
        self.assertTrue(booking.is_hatched, "pending requests are hatched in the calendar")
        etype = self.approval.with_user(self.host)
        self.assertEqual(etype.request_count, 1, "the type's To Approve counter")
        action = etype.action_view_requests()
        self.assertEqual(self.env["bookme.booking"].search(action["domain"]), booking)
        self.assertIn("search_default_to_approve", action["context"])

    def test_client_cancelling_or_moving_a_request_updates_the_todo(self):
        booking = self.request()
        booking._bookme_guest_reschedule(utc(2030, 1, 9, 8, 0))
        self.assertEqual(booking.state, "requested")
        self.assertEqual(booking.activity_ids.date_deadline, date(2030, 1, 9))
        booking._bookme_guest_cancel()
        self.assertFalse(booking.activity_ids, "nothing to decide any more")

    def test_approve_as_host(self):
        booking = self.request()
        before = self.mails_of(booking)
        booking.with_user(self.host).action_bookme_approve()
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.decided_by_id, self.host)
        event = booking.calendar_event_id
        self.assertTrue(event)
        self.assertEqual((event.start, event.user_id), (naive(MONDAY_9), self.host))
        self.assertIn(booking.partner_id, event.partner_ids)
        new = self.mails_of(booking) - before
        self.assertEqual(len(new), 1, "the client is told; the host approved it themselves")
        self.assertEqual(new.recipient_ids, booking.partner_id)
        self.assertIn("Confirmed", new.subject)
        self.assertIn(booking.manage_url, new.body_html)
        self.assertEqual(new.attachment_ids.mimetype, "text/calendar")
        self.assertIn(b"STATUS:CONFIRMED", new.attachment_ids.raw)
        self.assertFalse(booking.activity_ids, "the to-do is done")
        self.assertFalse(booking.is_hatched)
        self.assertNotIn(MONDAY_9, self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)))

    def test_second_request_refused_while_first_pending(self):
        self.request()
        with self.assertRaises(BookmeError) as caught:
            self.request(email="bob@example.com", name="Bob")
        self.assertEqual((caught.exception.code, caught.exception.status), ("slot_unavailable", 409))

    def test_multiple_requests_first_approval_wins(self):
        self.approval.multiple_requests = True
        first = self.request()
        second = self.request(email="bob@example.com", name="Bob")
        self.assertEqual((first.state, second.state), ("requested", "requested"))
        self.assertIn(
            MONDAY_9,
            self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)),
            "still requestable while both are pending",
        )
        first.with_user(self.host).action_bookme_approve()
        mails = self.mails_of(second)
        with self.assertRaisesRegex(UserError, "no longer free"):
            second.with_user(self.host).action_bookme_approve()
        self.assertEqual(second.state, "requested")
        self.assertFalse(second.calendar_event_id)
        self.assertEqual(self.mails_of(second), mails)
        self.assertNotIn(MONDAY_9, self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)))

    def test_approve_with_reschedule_wizard(self):
        booking = self.request()
        before = self.mails_of(booking)
        action = booking.with_user(self.host).action_approve_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.host).with_context(action["context"]))
        self.assertEqual(wizard.user_id, self.host)
        self.assertEqual(wizard.date, date(2030, 1, 7), "the requested day")
        self.assertEqual(wizard.new_start, naive(MONDAY_9), "the requested time, still free")
        wizard.date = date(2030, 1, 8)
        self.assertFalse(wizard.new_start, "not offered that day: choose again")
        labels = [slot["label"] for slot in wizard.free_slots]
        self.assertEqual(labels[0], "09:00")
        self.assertEqual(labels[-1], "16:30")
        wizard.new_start = datetime.fromisoformat(
            next(s["value"] for s in wizard.free_slots if s["label"] == "14:30")
        )
        wizard.internal_note = NOTE
        wizard.message = MESSAGE
        wizard.save().action_apply()
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(TUESDAY_1430))
        self.assertEqual(booking.stop, naive(TUESDAY_1430 + timedelta(minutes=30)))
        self.assertEqual(booking.calendar_event_id.start, naive(TUESDAY_1430))
        self.assertEqual(booking.internal_note, NOTE)
        new = self.mails_of(booking) - before
        self.assertEqual(len(new), 1)
        self.assertIn("new time", new.subject)
        self.assertIn(MESSAGE, new.body_html)
        self.assertIn("Tuesday", new.body_html)
        self.assertTrue(new.attachment_ids)
        everything_sent = "".join(self.mails_of(booking).mapped("body_html"))
        self.assertNotIn("assistant", everything_sent, "the internal note never reaches the client")
        self.assertIn(
            MONDAY_9,
            self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)),
            "the requested time is free again",
        )

    def test_wizard_offers_only_free_times(self):
        booking = self.request()
        self.env["calendar.event"].create(
            {
                "name": "Dentist",
                "user_id": self.host.id,
                "partner_ids": [Command.link(self.host.partner_id.id)],
                "start": naive(utc(2030, 1, 8, 9, 0)),
                "stop": naive(utc(2030, 1, 8, 10, 0)),
            }
        )
        wizard = (
            self.env["bookme.booking.approve"]
            .with_user(self.host)
            .create(
                {
                    "booking_id": booking.id,
                    "date": date(2030, 1, 8),
                }
            )
        )
        labels = [slot["label"] for slot in wizard.free_slots]
        self.assertNotIn("10:00", labels)
        self.assertNotIn("10:30", labels)
        self.assertIn("11:00", labels)
        wizard.new_start = naive(utc(2030, 1, 8, 9, 30))  # 10:30 Oslo: busy
        with self.assertRaisesRegex(UserError, "not free"):
            wizard.action_apply()
        self.assertEqual((booking.state, booking.start), ("requested", naive(MONDAY_9)))

    def test_approve_with_another_staff_member(self):
        booking = self.request()
        # 09:00 on Tuesday: the colleague only works afternoons.
        with self.assertRaisesRegex(UserError, "Colin Colleague is not free"):
            booking.with_user(self.host).action_bookme_approve(
                new_start="2030-01-08T09:00:00+01:00", new_user_id=self.colleague.id
            )
        self.assertEqual((booking.state, booking.user_id), ("requested", self.host))
        inbox = self.inbox(self.colleague)
        booking.with_user(self.host).action_bookme_approve(
            new_start="2030-01-08T14:30:00+01:00",
            new_user_id=self.colleague.id,
            internal_note=NOTE,
            message=MESSAGE,
        )
        self.assertEqual(booking.user_id, self.colleague)
        self.assertEqual(booking.start, naive(TUESDAY_1430))
        event = booking.calendar_event_id
        self.assertEqual(event.user_id, self.colleague)
        self.assertIn(self.colleague.partner_id, event.partner_ids)
        self.assertNotIn(self.host.partner_id, event.partner_ids)
        lock = self.env["bookme.host.lock"].search([("user_id", "=", self.colleague.id)])
        self.assertTrue(lock.version, "the new host's lock was taken")
        mails = self.mails_of(booking)
        colleague_mail = mails.filtered(lambda m: self.colleague.partner_id in m.recipient_ids)
        self.assertEqual(len(colleague_mail), 1, "the new host is emailed")
        self.assertEqual(self.inbox(self.colleague), inbox + 1)
        guest = self.guest_mails(mails, booking).filtered(lambda m: "new time" in m.subject)
        self.assertIn("Colin Colleague", guest.body_html)
        self.assertNotIn("assistant", "".join(mails.mapped("body_html")))
        # The host's slot is free again, the colleague's is taken.
        self.assertIn(MONDAY_9, self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)))
        colleague_type = self.env["bookme.event.type"].create(
            {
                "name": "Colin's call",
                "slug": "call",
                "user_id": self.colleague.id,
                "duration": 30,
                "min_notice": 0,
            }
        )
        self.assertNotIn(
            TUESDAY_1430, self.starts(colleague_type, TUESDAY_1430, TUESDAY_1430 + timedelta(hours=1))
        )

    def test_wizard_follows_the_chosen_staff_member(self):
        booking = self.request()
        wizard = Form(
            self.env["bookme.booking.approve"]
            .with_user(self.host)
            .with_context(default_booking_id=booking.id)
        )
        wizard.user_id = self.colleague
        self.assertEqual([s["label"] for s in wizard.free_slots][:2], ["13:00", "13:30"])
        self.assertFalse(wizard.new_start, "09:00 is not a time of the colleague")
        wizard.new_start = naive(utc(2030, 1, 7, 12, 0))
        wizard.save().action_apply()
        self.assertEqual((booking.user_id, booking.start), (self.colleague, naive(utc(2030, 1, 7, 12, 0))))

    def test_group_seats_are_approved_one_by_one(self):
        self.group_type.write({"requires_approval": True, "capacity": 2})
        first = self.request(etype=self.group_type)
        second = self.request(etype=self.group_type, email="bob@example.com", name="Bob")
        with self.assertRaises(BookmeError, msg="pending seats hold the capacity"):
            self.request(etype=self.group_type, email="cat@example.com", name="Cat")
        with self.assertRaisesRegex(UserError, "group session belongs to its host"):
            first.with_user(self.host).action_bookme_approve(new_user_id=self.colleague.id)
        (first | second).with_user(self.host).action_bookme_approve()
        self.assertEqual(first.calendar_event_id, second.calendar_event_id, "one shared session")
        self.assertLessEqual(first.partner_id | second.partner_id, first.calendar_event_id.partner_ids)

    def test_group_multiple_requests_capacity_counts_approved_seats(self):
        self.group_type.write({"requires_approval": True, "multiple_requests": True, "capacity": 2})
        requests = [
            self.request(etype=self.group_type, email=f"g{n}@example.com", name=f"G{n}") for n in range(3)
        ]
        requests[0].with_user(self.host).action_bookme_approve()
        requests[1].with_user(self.host).action_bookme_approve()
        with self.assertRaisesRegex(UserError, "no longer free"):
            requests[2].with_user(self.host).action_bookme_approve()
        self.assertEqual([r.state for r in requests], ["confirmed", "confirmed", "requested"])

    def test_decline_with_notification(self):
        booking = self.request()
        before = self.mails_of(booking)
        action = booking.with_user(self.host).action_decline_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.host).with_context(action["context"]))
        self.assertTrue(wizard.notify)
        wizard.message = "Fully booked that week, sorry."
        wizard.save().action_confirm()
        self.assertEqual(booking.state, "declined")
        self.assertEqual(booking.client_message, "Fully booked that week, sorry.")
        new = self.mails_of(booking) - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.recipient_ids, booking.partner_id)
        self.assertIn("declined", new.subject)
        self.assertIn("Fully booked that week, sorry.", new.body_html)
        self.assertFalse(new.attachment_ids)
        self.assertFalse(booking.activity_ids)
        self.assertTrue(booking.is_striked)
        self.assertIn(
            MONDAY_9,
            self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)),
            "the slot is offered again",
        )
        self.request(email="bob@example.com", name="Bob")  # and can be requested again

    def test_decline_without_notification(self):
        booking = self.request()
        before = self.mails_of(booking)
        wizard = Form(
            self.env["bookme.booking.decline"]
            .with_user(self.host)
            .with_context(default_booking_ids=booking.ids)
        )
        wizard.notify = False
        wizard.save().action_confirm()
        self.assertEqual(booking.state, "declined")
        self.assertEqual(self.mails_of(booking), before, "no email at all")
        self.assertIn(MONDAY_9, self.starts(self.approval, MONDAY_9, MONDAY_9 + timedelta(hours=1)))

    def test_refusals_change_nothing(self):
        booking = self.request()
        as_host = booking.with_user(self.host)
        for kwargs, pattern in [
            ({"new_start": "tomorrow"}, "ISO 8601"),
            ({"new_start": "2030-01-08T09:00:00"}, "ISO 8601"),
            ({"new_start": "2030-01-08T20:00:00+01:00"}, "not free"),
            ({"new_user_id": self.portal.id}, "uses Book Me"),
            ({"new_user_id": 999999}, "uses Book Me"),
            ({"message": ["not", "text"]}, "must be text"),
        ]:
            with self.assertRaisesRegex(UserError, pattern, msg=kwargs):
                as_host.action_bookme_approve(**kwargs)
        self.assertEqual(
            (booking.state, booking.start, booking.user_id), ("requested", naive(MONDAY_9), self.host)
        )
        as_host.action_bookme_decline(notify=False)
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            as_host.action_bookme_approve()
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            as_host.action_bookme_decline()
        confirmed = self.book(self.etype, MONDAY_9)
        with self.assertRaisesRegex(UserError, "not waiting for approval"):
            confirmed.with_user(self.host).action_bookme_approve()

    def test_only_the_host_or_an_administrator_decides(self):
        booking = self.request()
        for user in (self.other_user, self.portal):
            with self.assertRaises(AccessError, msg=user.login):
                booking.with_user(user).action_bookme_approve()
            with self.assertRaises(AccessError, msg=user.login):
                booking.with_user(user).action_bookme_decline()
        self.assertEqual(booking.state, "requested")
        inbox = self.inbox(self.host)
        booking.with_user(self.manager).action_bookme_approve()
        self.assertEqual((booking.state, booking.decided_by_id), ("confirmed", self.manager))
        self.assertEqual(self.inbox(self.host), inbox + 1, "the host learns who approved")

    def test_past_request_cannot_be_approved_as_it_is(self):
        booking = self.request()
        with freeze_time("2030-01-07 09:00:00"):
            with self.assertRaisesRegex(UserError, "has passed"):
                booking.with_user(self.host).action_bookme_approve()
            booking.with_user(self.host).action_bookme_approve(new_start="2030-01-08T14:30:00+01:00")
        self.assertEqual(booking.start, naive(TUESDAY_1430))

    def test_host_decision_is_not_held_to_guest_notice(self):
        self.approval.write({"min_notice": 2 * 24 * 60, "date_range_mode": "rolling", "rolling_days": 4})
        booking = self.request(start=utc(2030, 1, 7, 13, 0))  # Monday 14:00, ~3 days ahead
        with freeze_time("2030-01-06 18:00:00"):  # now under a day before: too late for guests
            self.assertFalse(self.starts(self.approval, utc(2030, 1, 7), utc(2030, 1, 8)))
            booking.with_user(self.host).action_bookme_approve()
        self.assertEqual(booking.state, "confirmed")

    def test_approved_request_counts_as_booked_for_automations(self):
        rule = (
            self.env["bookme.automation"]
            .with_user(self.host)
            .create(
                {
                    "name": "Thanks",
                    "trigger": "booked",
                    "action": "email_client",
                    "template_id": self.env.ref("crm_bookme.mail_template_automation_thanks").id,
                }
            )
        )
        booking = self.request()
        declined = self.request(start=utc(2030, 1, 7, 9, 0), email="bob@example.com", name="Bob")
        self.assertFalse(rule.log_ids, "a request is not booked yet")
        booking.with_user(self.host).action_bookme_approve()
        declined.with_user(self.host).action_bookme_decline(notify=False)
        self.assertEqual(rule.log_ids.booking_id, booking)

    def test_transitions_go_through_one_hook(self):
        seen = []
        Booking = type(self.env["bookme.booking"])
        original = Booking._bookme_on_transition

        def spy(record, old_state):
            seen.append((old_state, record.state))
            return original(record, old_state)

        booking = self.request()
        other = self.request(start=utc(2030, 1, 7, 9, 0))
        with patch.object(Booking, "_bookme_on_transition", spy):
            booking.with_user(self.host).action_bookme_approve()
            other.with_user(self.host).action_bookme_decline(notify=False)
        self.assertEqual(seen, [("requested", "confirmed"), ("requested", "declined")])


@tagged("post_install", "-at_install")
class TestRequestExpiry(ApprovalCase):
    """Requests nobody answers expire when their start passes (or are kept: a setting)."""

    def test_expiry_cron(self):
        with freeze_time("2030-01-04 12:00:00"):
            past_soon = self.request()
            later = self.request(start=utc(2030, 1, 9, 8, 0))
        cron = self.env.ref("crm_bookme.ir_cron_bookme_expire_requests")
        before = self.mails_of(past_soon)
        with freeze_time("2030-01-07 07:59:00"):
            cron.ir_actions_server_id.run()
            self.assertEqual(past_soon.state, "requested", "not started yet")
        with freeze_time("2030-01-07 08:05:00"):
            cron.ir_actions_server_id.run()
        self.assertEqual((past_soon.state, past_soon.expired), ("declined", True))
        self.assertEqual(later.state, "requested")
        new = self.mails_of(past_soon) - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.recipient_ids, past_soon.partner_id)
        self.assertIn("expired", new.subject)
        self.assertFalse(past_soon.activity_ids)
        self.assertEqual(later.activity_ids.user_id, self.host)

    def test_keep_setting(self):
        settings = self.env["res.config.settings"].create({"bookme_request_expiry": "keep"})
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm_bookme.request_expiry"), "keep")
        with freeze_time("2030-01-04 12:00:00"):
            booking = self.request()
        with freeze_time("2030-01-08 08:00:00"):
            self.env["bookme.booking"]._bookme_cron_expire_requests()
        self.assertEqual(booking.state, "requested")


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestApprovalApi(HttpCase, ApprovalCase):
    """Requests through the public JSON API, decisions through the contract's RPC methods
    as the logged-in host."""

    URL = "/book/api/v1/hanne/review/bookings"

    def post_request(self, email, name="Guest"):
        res = self.url_open(
            self.URL,
            data=json.dumps(
                {
                    "start": "2030-01-07T09:00:00+01:00",
                    "name": name,
                    "email": email,
                    "tz": "Europe/Oslo",
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return res.status_code, res.json()

    def call(self, booking, method, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/bookme.booking/{method}",
            {
                "model": "bookme.booking",
                "method": method,
                "args": [booking.ids],
                "kwargs": kwargs,
            },
        )

    def test_pending_request_makes_slot_unavailable(self):
        status, data = self.post_request("gina@example.com")
        self.assertEqual(status, 201)
        self.assertEqual(data["booking"]["state"], "requested")
        count = self.env["bookme.booking"].search_count([])
        status, data = self.post_request("bob@example.com")
        self.assertEqual(status, 409)
        self.assertEqual(data["error"]["code"], "slot_unavailable")
        self.assertEqual(self.env["bookme.booking"].search_count([]), count)

    def test_multiple_requests_then_rpc_decisions_as_host(self):
        self.approval.multiple_requests = True
        tokens = []
        for email in ("gina@example.com", "bob@example.com"):
            status, data = self.post_request(email)
            self.assertEqual((status, data["booking"]["state"]), (201, "requested"))
            tokens.append(data["booking"]["token"])
        first, second = (self.env["bookme.booking"].search([("access_token", "=", t)]) for t in tokens)
        self.authenticate("bookme_host", "bookme_host")
        self.assertTrue(self.call(first, "action_bookme_approve"))
        self.assertEqual(first.state, "confirmed")
        with self.assertRaises(JsonRpcException) as caught:
            self.call(second, "action_bookme_approve")
        self.assertEqual(str(caught.exception.args[0]), "odoo.exceptions.UserError")
        self.assertEqual(second.state, "requested")
        # Approve with reschedule over RPC: ISO 8601 with offset, internal note, message.
        self.call(
            second,
            "action_bookme_approve",
            new_start="2030-01-08T14:30:00+01:00",
            internal_note=NOTE,
            message=MESSAGE,
        )
        self.assertEqual((second.state, second.start), ("confirmed", naive(TUESDAY_1430)))
        self.assertEqual(second.calendar_event_id.start, naive(TUESDAY_1430))

    def test_rpc_decline_and_strangers(self):
        status, data = self.post_request("gina@example.com")
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        self.authenticate("bookme_other", "bookme_other")
        with self.assertRaises(JsonRpcException):
            self.call(booking, "action_bookme_decline")
        self.assertEqual(booking.state, "requested")
        self.authenticate("bookme_host", "bookme_host")
        mails = self.mails_of(booking)
        self.call(booking, "action_bookme_decline", message="Sorry!", notify=True)
        self.assertEqual(booking.state, "declined")
        self.assertEqual(len(self.mails_of(booking) - mails), 1)
        status, _data = self.post_request("bob@example.com")
        self.assertEqual(status, 201, "the slot can be requested again")

    def test_guest_page_shows_each_state(self):
        status, data = self.post_request("gina@example.com")
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        page = self.url_open(f"/book/booking/{booking.access_token}?new=1").text
        self.assertIn("Your request was received", page)
        self.assertNotIn("/ics", page, "no calendar file for a request")
        page = self.url_open(f"/book/booking/{booking.access_token}").text
        self.assertIn("Waiting for approval", page)
        booking.with_user(self.host).action_bookme_decline(message="Fully booked, sorry.")
        page = self.url_open(f"/book/booking/{booking.access_token}").text
        self.assertIn("Your request was declined", page)
        self.assertIn("Fully booked, sorry.", page)
        self.assertNotIn("/ics", page)
