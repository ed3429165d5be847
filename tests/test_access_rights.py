"""Book Me for every role: public visitor, portal customer, plain employee, Book Me user
(salesperson), Book Me administrator and settings administrator. Every flow runs as the
role that performs it (``with_user``, ``Form`` as that user, Odoo's own RPC dispatcher),
never as the superuser."""

import base64
import inspect
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PIL import Image

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw, get_public_method
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..exceptions import BookmeError
from .common import BookmeCase, naive, utc

OSLO = ZoneInfo("Europe/Oslo")
MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo
REFUSED = UserError  # AccessError, ValidationError and MissingError are UserErrors


def png():
    """A small picture of our own, to tell a type's picture from Odoo's placeholder."""
    out = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 30, 30)).save(out, format="PNG")
    return base64.b64encode(out.getvalue())


# Arguments for the required parameters of public methods, by parameter name.
ARGS = {"new_start": "2030-01-07T12:00:00+01:00", "reason": "Taken over by an attacker"}


def crm_bookme_public_methods(env):
    """(model, method name) of every method that Book Me defines and Odoo's RPC would
    call: public names not marked @api.private (ORM CRUD overrides aside)."""
    found = set()
    for model_name in env.registry:
        model = env[model_name]
        for cls in type(model).__mro__:
            if not cls.__module__.startswith("odoo.addons.crm_bookme."):
                continue
            for name, member in vars(cls).items():
                if name.startswith("_") or name in ("create", "write", "unlink"):
                    continue
                if not callable(member) or isinstance(member, staticmethod | classmethod | type):
                    continue
                try:
                    get_public_method(model, name)
                except (AccessError, AttributeError):
                    continue
                found.add((model_name, name))
    return sorted(found)


class AccessCase(BookmeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new = lambda login, groups, **kw: new_test_user(  # noqa: E731
            cls.env, login=login, groups=groups, tz="Europe/Oslo", **kw
        )
        cls.portal = new("bookme_portal", "base.group_portal", name="Paula Portal")
        cls.employee = new("bookme_employee", "base.group_user", name="Emil Employee")
        cls.colleague = new(
            "bookme_colleague",
            "sales_team.group_sale_salesman",
            name="Cole Colleague",
            email="cole@example.com",
        )
        cls.colleague.write({"bookme_enabled": True, "bookme_slug": "cole"})
        cls.colleague.resource_calendar_id = cls.calendar
        cls.bookme_admin = new(
            "bookme_admin", "base.group_user,crm_bookme.group_bookme_manager", name="Bo Admin"
        )
        cls.settings_admin = new(
            "bookme_settings", "base.group_user,base.group_system", name="Sergei Settings"
        )
        cls.newbie = new("bookme_newbie", "sales_team.group_sale_salesman", name="Nina Newbie")
        cls.colleague_type = cls.env["bookme.event.type"].create(
            {
                "name": "Colleague's call",
                "slug": "call",
                "user_id": cls.colleague.id,
                "duration": 30,
                "increment": 30,
                "min_notice": 0,
            }
        )

    def mail_count(self):
        return (
            self.env["mail.mail"].sudo().search_count([]),
            self.env["mail.message"].sudo().search_count([]),
        )


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestRpcRefusals(AccessCase):
    """Portal customers and plain employees reach no Book Me method on records that are
    not theirs: each call is refused and changes nothing."""

    def targets(self, booking):
        """A record of each Book Me model for the methods to be called on."""
        location = self.env["bookme.location"].create(
            {
                "event_type_id": self.etype.id,
                "location_type": "phone",
                "phone": "+47 1234",
            }
        )
        availability = self.env["bookme.availability"].with_user(self.host).create({})
        return {
            "bookme.booking": booking,
            "bookme.event.type": self.etype,
            "bookme.location": location,
            "bookme.date.availability": self.env["bookme.date.availability"].create(
                {
                    "user_id": self.host.id,
                    "date": "2030-01-12",
                }
            ),
            "bookme.availability": availability,
            "bookme.booking.cancel": self.env["bookme.booking.cancel"]
            .with_user(self.host)
            .create({"booking_ids": booking.ids}),
            "bookme.booking.reschedule": self.env["bookme.booking.reschedule"]
            .with_user(self.host)
            .create({"booking_id": booking.id, "new_start": "2030-01-07 11:00:00"}),
            "res.users": self.host,
            "res.partner": booking.partner_id,
            "calendar.event": booking.calendar_event_id,
        }

    def call_args(self, model, name):
        params = list(inspect.signature(getattr(type(model), name)).parameters.values())[1:]
        return [
            ARGS.get(p.name)
            for p in params
            if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]

    def test_guest_actions_are_not_rpc_endpoints(self):
        booking = self.book(self.etype, MONDAY_9)
        for name in (
            "_bookme_guest_cancel",
            "_bookme_guest_reschedule",
            "_bookme_cancel",
            "_bookme_reschedule",
            "_bookme_create",
        ):
            with self.assertRaises(AccessError):
                get_public_method(booking, name)
        params = inspect.signature(type(booking).action_bookme_cancel).parameters
        self.assertEqual(list(params), ["self", "reason"], "the contract's signature")

    def test_portal_cannot_cancel_over_rpc(self):
        """The reproduced attack: a portal user cancelled any booking over RPC."""
        booking = self.book(self.etype, MONDAY_9)
        before = self.mail_count()
        Booking = self.env["bookme.booking"].with_user(self.portal)
        with self.assertRaises(AccessError):
            call_kw(Booking, "action_bookme_cancel", [booking.ids], {"reason": "Mine now"})
        with self.assertRaises(TypeError):
            call_kw(Booking, "action_bookme_cancel", [booking.ids], {"by_guest": True})
        with self.assertRaises(AccessError):
            call_kw(Booking, "action_bookme_reschedule", [booking.ids, ARGS["new_start"]], {})
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))
        self.assertEqual(self.mail_count(), before, "nobody was emailed")

    def test_every_public_method_refuses_portal_and_employee(self):
        booking = self.book(self.etype, MONDAY_9)
        targets = self.targets(booking)
        methods = crm_bookme_public_methods(self.env)
        self.assertIn(("bookme.booking", "action_bookme_cancel"), methods)
        self.assertIn(("res.users", "action_bookme_my_availability"), methods)
        before = self.mail_count()
        checked = 0
        for user in (self.portal, self.employee):
            for model_name, name in methods:
                record = targets.get(model_name)
                if record is None:
                    record = self.env[model_name].sudo().search([], limit=1).sudo(False)
                if not record:
                    continue
                record = record.with_user(user)
                with self.subTest(user=user.login, method=f"{model_name}.{name}"):
                    with self.assertRaises(REFUSED):
                        ids = (
                            [] if getattr(getattr(type(record), name), "_api_model", False) else [record.ids]
                        )
                        call_kw(record, name, [*ids, *self.call_args(record, name)], {})
                    checked += 1
        self.assertGreaterEqual(checked, 20)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))
        self.assertEqual(booking.calendar_event_id.start, naive(MONDAY_9))
        self.assertEqual(self.mail_count(), before, "nobody was emailed")
        self.assertFalse(self.portal.bookme_enabled)
        self.assertFalse(self.employee.bookme_enabled)

    def test_portal_and_employee_cannot_enable_book_me(self):
        for user in (self.portal, self.employee):
            with self.assertRaises(AccessError):
                user.with_user(user).write({"bookme_enabled": True})
            with self.assertRaises(AccessError):
                self.env["res.users"].with_user(user).action_bookme_my_availability()
            self.assertFalse(user.bookme_enabled)
            self.assertFalse(user.resource_ids)


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestSalesperson(AccessCase):
    """A Book Me user manages their own types, availability and bookings, and cannot touch
    a colleague's."""

    def test_own_types_and_bookings(self):
        Type = self.env["bookme.event.type"].with_user(self.host)
        etype = Type.create({"name": "Demo", "duration": 30, "min_notice": 0})
        self.assertEqual(etype.user_id, self.host)
        etype.write(
            {
                "name": "Product demo",
                "location_ids": [
                    (
                        0,
                        0,
                        {
                            "location_type": "online",
                            "online_provider": "custom",
                            "url": "https://meet.example/x",
                        },
                    )
                ],
            }
        )
        booking = self.book(self.etype, MONDAY_9)
        mine = booking.with_user(self.host)
        mine.internal_note = "Bring the contract"
        mine.action_bookme_reschedule(MONDAY_9 + timedelta(hours=2))
        self.assertEqual(booking.start, naive(MONDAY_9 + timedelta(hours=2)))
        mine.action_bookme_cancel(reason="Host is ill")
        self.assertEqual(booking.state, "cancelled")

    def test_colleague_booking_untouchable(self):
        booking = self.book(self.colleague_type, MONDAY_9)
        before = self.mail_count()
        theirs = booking.with_user(self.host)
        with self.assertRaises(AccessError):
            theirs.action_bookme_cancel(reason="Mine now")
        with self.assertRaises(AccessError):
            theirs.action_bookme_reschedule(MONDAY_9 + timedelta(hours=2))
        with self.assertRaises(AccessError):
            theirs.action_cancel_wizard()
        with self.assertRaises(AccessError):
            self.env["bookme.booking.cancel"].with_user(self.host).create(
                {"booking_ids": booking.ids}
            ).action_confirm()
        wizard = (
            self.env["bookme.booking.reschedule"]
            .with_user(self.host)
            .create(
                {
                    "booking_id": booking.id,
                    "date": "2030-01-08",
                    "new_start": "2030-01-08 09:00:00",
                    "client_message": "Moved by someone else",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))
        self.assertFalse(booking.client_message)
        self.assertEqual(self.mail_count(), before)

    def test_colleague_type_untouchable(self):
        with self.assertRaises(AccessError):
            self.colleague_type.with_user(self.host).write({"name": "Hijacked"})
        with self.assertRaises(AccessError):
            self.env["bookme.event.type"].with_user(self.host).create(
                {
                    "name": "For Cole",
                    "user_id": self.colleague.id,
                    "duration": 30,
                }
            )
        self.assertEqual(self.colleague_type.name, "Colleague's call")

    def test_cannot_move_type_or_booking_to_colleague(self):
        """Before: a Book Me user could give their type (and its page) to a colleague."""
        with self.assertRaises(AccessError):
            self.etype.with_user(self.host).write({"user_id": self.colleague.id})
        self.assertEqual(self.etype.user_id, self.host)
        booking = self.book(self.etype, MONDAY_9)
        with self.assertRaises(UserError):
            booking.with_user(self.host).write({"user_id": self.colleague.id})
        self.assertEqual(booking.user_id, self.host)
        # A Book Me administrator may give a type to another host.
        self.etype.with_user(self.bookme_admin).write({"user_id": self.colleague.id})
        self.assertEqual(self.etype.user_id, self.colleague)

    def test_cannot_move_location_to_colleague_type(self):
        location = self.env["bookme.location"].create(
            {
                "event_type_id": self.etype.id,
                "location_type": "phone",
                "phone": "+47 555 00 000",
            }
        )
        with self.assertRaises(AccessError):
            location.with_user(self.host).write({"event_type_id": self.colleague_type.id})
        self.assertEqual(location.event_type_id, self.etype)
        location.with_user(self.host).write({"event_type_id": self.group_type.id})
        self.assertEqual(location.event_type_id, self.group_type)

    def test_availability_of_colleague_refused(self):
        """Before: creating the wizard for a colleague showed their time off."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Cole's surgery",
                "resource_id": self.colleague.resource_ids[:1].id,
                "calendar_id": self.calendar.id,
                "date_from": "2030-01-10 00:00:00",
                "date_to": "2030-01-11 00:00:00",
            }
        )
        Wizard = self.env["bookme.availability"].with_user(self.host)
        with self.assertRaises(AccessError):
            Wizard.create({"user_id": self.colleague.id})
        own = Wizard.create({})
        with self.assertRaises(AccessError):
            own.write({"user_id": self.colleague.id})
        self.assertEqual(own.user_id, self.host)
        self.assertNotIn("Cole's surgery", own.leave_ids.mapped("name"))
        # A Book Me administrator may open anyone's.
        admin_view = (
            self.env["bookme.availability"]
            .with_user(self.bookme_admin)
            .create({"user_id": self.colleague.id})
        )
        self.assertIn("Cole's surgery", admin_view.leave_ids.mapped("name"))

    def test_availability_cannot_write_other_time_off_by_id(self):
        """Before: a leave line naming any resource.calendar.leaves id rewrote it on Save."""
        holiday = self.env["resource.calendar.leaves"].create(
            {
                "name": "National day",
                "calendar_id": self.calendar.id,
                "date_from": "2030-05-17 00:00:00",
                "date_to": "2030-05-18 00:00:00",
            }
        )
        theirs = self.env["resource.calendar.leaves"].create(
            {
                "name": "Cole's holiday",
                "resource_id": self.colleague.resource_ids[:1].id,
                "calendar_id": self.calendar.id,
                "date_from": "2030-02-01 00:00:00",
                "date_to": "2030-02-02 00:00:00",
            }
        )
        for leave in (holiday, theirs):
            wizard = self.env["bookme.availability"].with_user(self.host).create({})
            wizard.leave_ids = [
                (
                    0,
                    0,
                    {
                        "leave_id": leave.id,
                        "name": "Gone",
                        "date_from": "2030-01-01 00:00:00",
                        "date_to": "2030-01-02 00:00:00",
                    },
                )
            ]
            with self.assertRaises(AccessError):
                wizard.action_save()
        self.assertEqual(holiday.name, "National day")
        self.assertEqual(theirs.name, "Cole's holiday")
        self.assertTrue(holiday.exists() and theirs.exists())

    def test_own_time_off_still_editable(self):
        action = self.env["res.users"].with_user(self.host).action_bookme_my_availability()
        form = Form(self.env["bookme.availability"].with_user(self.host).browse(action["res_id"]))
        with form.leave_ids.new() as line:
            line.name = "Skiing"
            line.date_from = naive(datetime.combine(datetime(2030, 1, 8), time(0, 0), OSLO))
            line.date_to = naive(datetime.combine(datetime(2030, 1, 8), time(23, 0), OSLO))
        form.save().action_save()
        action = self.env["res.users"].with_user(self.host).action_bookme_my_availability()
        form = Form(self.env["bookme.availability"].with_user(self.host).browse(action["res_id"]))
        with form.leave_ids.edit(0) as line:
            line.name = "Skiing trip"
        form.save().action_save()
        leave = self.env["resource.calendar.leaves"].search([("bookme_user_id", "=", self.host.id)])
        self.assertEqual(leave.mapped("name"), ["Skiing trip"])


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestAdministrators(AccessCase):
    """Book Me administrators and settings administrators set Book Me up for others."""

    def assert_set_up(self, user, calendar):
        self.assertTrue(user.bookme_enabled)
        self.assertTrue(user.bookme_slug)
        self.assertTrue(user.resource_ids, "a resource, so working hours can be stored")
        self.assertEqual(user.resource_calendar_id, calendar)
        self.assertTrue(user.bookme_personal_type_id)

    def test_settings_admin_on_user_form(self):
        """Before: 'You are not allowed to create Resources'."""
        self.assertFalse(self.newbie.resource_ids)
        form = Form(self.newbie.with_user(self.settings_admin), view="base.view_users_form")
        form.bookme_enabled = True
        form.resource_calendar_id = self.calendar
        form.save()
        self.assert_set_up(self.newbie, self.calendar)

    def test_settings_admin_over_rpc(self):
        Users = self.env["res.users"].with_user(self.settings_admin)
        call_kw(Users, "write", [self.newbie.ids, {"bookme_enabled": True}], {})
        call_kw(Users, "write", [self.newbie.ids, {"resource_calendar_id": self.calendar.id}], {})
        self.assert_set_up(self.newbie, self.calendar)
        other = self.env.company.resource_calendar_id
        call_kw(
            Users, "write", [self.newbie.ids, {"resource_calendar_id": other.id, "bookme_min_gap": 15}], {}
        )
        self.assertEqual(self.newbie.resource_calendar_id, other)
        self.assertEqual(self.newbie.bookme_min_gap, 15)
        read = call_kw(Users, "read", [self.newbie.ids, ["resource_calendar_id"]], {})
        self.assertEqual(read[0]["resource_calendar_id"][0], other.id)

    def test_bookme_admin_on_hosts_form(self):
        form = Form(
            self.newbie.with_user(self.bookme_admin), view="crm_bookme.res_users_view_form_bookme_hosts"
        )
        form.bookme_enabled = True
        form.resource_calendar_id = self.calendar
        form.bookme_secret_code = "4321"
        form.save()
        self.assert_set_up(self.newbie, self.calendar)
        self.assertEqual(self.newbie.bookme_secret_code, "4321")

    def test_bookme_admin_over_rpc(self):
        Users = self.env["res.users"].with_user(self.bookme_admin)
        call_kw(
            Users,
            "write",
            [self.newbie.ids, {"bookme_enabled": True, "resource_calendar_id": self.calendar.id}],
            {},
        )
        self.assert_set_up(self.newbie, self.calendar)
        read = call_kw(Users, "read", [self.newbie.ids, ["resource_calendar_id"]], {})
        self.assertEqual(read[0]["resource_calendar_id"][0], self.calendar.id)
        # Book Me fields only: a Book Me administrator is no user administrator.
        with self.assertRaises(AccessError):
            call_kw(Users, "write", [self.newbie.ids, {"login": "hijacked"}], {})
        with self.assertRaises(AccessError):
            call_kw(Users, "write", [self.newbie.ids, {"bookme_slug": "x", "email": "a@b.c"}], {})
        with self.assertRaises(AccessError):
            call_kw(Users, "write", [self.portal.ids, {"bookme_enabled": True}], {})
        self.assertFalse(self.portal.bookme_enabled)

    def test_privileged_code_enables_and_sets_hours_in_one_write(self):
        """Code running in sudo (imports, set-up scripts) enables Book Me and sets the
        working hours in one write or one create. Before: the hours were dropped, since
        Odoo's related field writes through a resource the user did not have yet."""
        self.newbie.sudo().write({"bookme_enabled": True, "resource_calendar_id": self.calendar.id})
        self.assert_set_up(self.newbie, self.calendar)
        created = (
            self.env["res.users"]
            .sudo()
            .create(
                {
                    "name": "Olga One-Write",
                    "login": "olga-one-write",
                    "email": "olga@example.com",
                    "group_ids": [Command.link(self.env.ref("crm_bookme.group_bookme_user").id)],
                    "bookme_enabled": True,
                    "resource_calendar_id": self.calendar.id,
                }
            )
        )
        self.assert_set_up(created, self.calendar)

    def test_book_me_user_cannot_set_up_colleague(self):
        for vals in ({"bookme_enabled": True}, {"resource_calendar_id": self.calendar.id}):
            with self.assertRaises(AccessError):
                self.newbie.with_user(self.host).write(vals)
        self.assertFalse(self.newbie.bookme_enabled)
        self.assertFalse(self.newbie.resource_ids)

    def test_salesperson_enables_own_book_me(self):
        self.newbie.with_user(self.newbie).write({"bookme_enabled": True})
        self.assertTrue(self.newbie.resource_ids)
        read = self.newbie.with_user(self.newbie).read(["resource_calendar_id", "bookme_slug"])
        self.assertEqual(read[0]["bookme_slug"], "nina-newbie")

    def test_secret_code_readable_by_owner_and_bookme_admin_only(self):
        """Before: every employee read every user's secret code."""
        self.host.with_user(self.host).write({"bookme_secret_code": "1234"})
        own = self.host.with_user(self.host).read(["bookme_secret_code"])
        self.assertEqual(own[0]["bookme_secret_code"], "1234")
        for user in (self.colleague, self.employee, self.portal):
            with self.assertRaises(AccessError):
                self.host.with_user(user).read(["bookme_secret_code"])
        admin = self.host.with_user(self.bookme_admin).read(["bookme_secret_code"])
        self.assertEqual(admin[0]["bookme_secret_code"], "1234")
        with self.assertRaises(AccessError):
            self.env.company.with_user(self.colleague).read(["bookme_secret_code"])
        fields = self.env["res.users"].with_user(self.host).fields_get(["bookme_secret_code"])
        self.assertIn("bookme_secret_code", fields, "the user's own preferences can show it")


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestBookingPathFields(AccessCase):
    """State, time, host and type of a booking change through the booking path only, and
    the booking follows its calendar event."""

    def guest_mails(self, booking):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
            ]
        )

    def free(self, etype, start):
        return start in self.starts(etype, start, start + timedelta(minutes=1))

    def test_direct_writes_refused(self):
        """Before: a kanban drag wrote 'state', a calendar drag wrote 'start'."""
        booking = self.book(self.etype, MONDAY_9)
        for user in (self.host, self.bookme_admin):
            for vals in (
                {"state": "done"},
                {"state": "cancelled"},
                {"start": naive(MONDAY_9 + timedelta(hours=3))},
                {"stop": naive(MONDAY_9 + timedelta(hours=3))},
                {"event_type_id": self.group_type.id},
            ):
                with self.assertRaises(UserError):
                    booking.with_user(user).write(vals)
        with self.assertRaises(UserError):
            self.env["bookme.booking"].with_user(self.bookme_admin).create(
                {
                    "event_type_id": self.etype.id,
                    "user_id": self.host.id,
                    "partner_id": self.host.partner_id.id,
                    "start": naive(MONDAY_9),
                    "stop": naive(MONDAY_9 + timedelta(minutes=30)),
                }
            )
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.start, naive(MONDAY_9))
        booking.with_user(self.host).write({"internal_note": "Fine", "checked_in": True})
        self.assertTrue(booking.checked_in)

    def test_views_offer_actions_not_drags(self):
        Booking = self.env["bookme.booking"].with_user(self.host)
        kanban = Booking.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn('records_draggable="0"', kanban)
        calendar = Booking.get_views([(False, "calendar")])["views"]["calendar"]["arch"]
        self.assertIn('edit="0"', calendar)
        self.assertIn('quick_create="0"', calendar)
        fields = Booking.fields_get(["state", "start", "stop", "user_id", "event_type_id"])
        self.assertTrue(all(f["readonly"] for f in fields.values()))

    def test_event_moved_by_host_moves_booking(self):
        """Before: the booking stayed at the old time, and the new time was bookable."""
        booking = self.book(self.etype, MONDAY_9)
        mails = len(self.guest_mails(booking))
        new_start = MONDAY_9 + timedelta(hours=4)
        booking.calendar_event_id.with_user(self.host).write(
            {
                "start": naive(new_start),
                "stop": naive(new_start + timedelta(minutes=30)),
            }
        )
        self.assertEqual(booking.start, naive(new_start))
        self.assertEqual(booking.stop, naive(new_start + timedelta(minutes=30)))
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(self.free(self.etype, MONDAY_9), "the old time is free")
        self.assertFalse(self.free(self.etype, new_start), "the new time is busy")
        self.assertEqual(len(self.guest_mails(booking)), mails + 1, "the guest is told")

    def test_group_event_moved_moves_every_booking(self):
        first = self.book(self.group_type, MONDAY_9, email="g1@example.com", name="G1")
        second = self.book(self.group_type, MONDAY_9, email="g2@example.com", name="G2")
        new_start = MONDAY_9 + timedelta(hours=2)
        first.calendar_event_id.with_user(self.host).write(
            {
                "start": naive(new_start),
                "stop": naive(new_start + timedelta(hours=1)),
            }
        )
        self.assertEqual((first + second).mapped("start"), [naive(new_start)] * 2)

    def test_event_archived_cancels_booking(self):
        booking = self.book(self.etype, MONDAY_9)
        before = self.guest_mails(booking)
        booking.calendar_event_id.with_user(self.host).action_archive()
        self.assertEqual(booking.state, "cancelled")
        self.assertTrue(self.free(self.etype, MONDAY_9))
        new = self.guest_mails(booking) - before
        self.assertEqual(len(new), 1)
        self.assertIn("ancel", new.subject)

    def test_event_deleted_cancels_booking(self):
        booking = self.book(self.etype, MONDAY_9)
        mails = len(self.guest_mails(booking))
        booking.calendar_event_id.with_user(self.host).unlink()
        self.assertEqual(booking.state, "cancelled")
        self.assertFalse(booking.calendar_event_id)
        self.assertTrue(self.free(self.etype, MONDAY_9))
        self.assertEqual(len(self.guest_mails(booking)), mails + 1)

    def test_booking_path_keeps_its_event(self):
        """The path's own event changes (reschedule, group cancel) do not loop back."""
        booking = self.book(self.etype, MONDAY_9)
        booking.with_user(self.host).action_bookme_reschedule(MONDAY_9 + timedelta(hours=1))
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(booking.calendar_event_id.active)
        first = self.book(self.group_type, MONDAY_9, email="g1@example.com", name="G1")
        second = self.book(self.group_type, MONDAY_9, email="g2@example.com", name="G2")
        first.with_user(self.host).action_bookme_cancel()
        self.assertEqual(second.state, "confirmed")
        second.with_user(self.host).action_bookme_cancel()
        self.assertFalse(second.calendar_event_id.active)


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestGuestFacing(AccessCase):
    """What guests put in and see."""

    def test_note_is_text_in_html_fields(self):
        note = 'Hi <script>alert("x")</script> & <b>bold</b>\nsecond line'
        booking = self.book(self.etype, MONDAY_9, note=note)
        for html in (booking.calendar_event_id.description, booking.lead_id.description):
            self.assertNotIn("<script>", str(html))
            self.assertNotIn("<b>", str(html))
            self.assertIn("&lt;b&gt;bold&lt;/b&gt;", str(html))

    def test_meeting_link_must_be_web_address(self):
        Location = self.env["bookme.location"].with_user(self.host)
        for url in (
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>",
            "//evil.example",
            "https://",
            "https://a.example/\njavascript:x",
        ):
            with self.assertRaises(ValidationError, msg=url):
                Location.create(
                    {
                        "event_type_id": self.etype.id,
                        "location_type": "online",
                        "online_provider": "custom",
                        "url": url,
                    }
                )
        ok = Location.create(
            {
                "event_type_id": self.etype.id,
                "location_type": "online",
                "online_provider": "custom",
                "url": "https://meet.example/abc",
            }
        )
        self.assertEqual(ok.url, "https://meet.example/abc")

    def test_non_web_video_link_is_not_a_link(self):
        booking = self.book(self.etype, MONDAY_9)
        event = booking.calendar_event_id
        for url, link in (
            ("javascript:alert(1)", False),
            ("data:text/html,x", False),
            ("https://meet.example/abc", "https://meet.example/abc"),
        ):
            event.flush_recordset()
            self.env.cr.execute(
                "UPDATE calendar_event SET videocall_location = %s WHERE id = %s", [url, event.id]
            )
            event.invalidate_recordset()
            self.assertEqual(booking._bookme_videocall_url(), link)
            page = self.env["ir.qweb"]._render("crm_bookme.booking_details", {"booking": booking})
            self.assertNotIn('href="javascript', str(page))
            self.assertNotIn('href="data:', str(page))

    def test_ics_names_the_guest_as_typed(self):
        """Before: the .ics showed the stored contact's name of the typed address."""
        self.env["res.partner"].create({"name": "Known Customer Name", "email": "known@example.com"})
        booking = self.book(self.etype, MONDAY_9, email="known@example.com", name="Anon Booker")
        ics = booking._bookme_ics().decode()
        self.assertNotIn("Known Customer Name", ics)
        self.assertIn("Anon Booker", ics)

    def test_guest_reschedule_refused_for_unpublished_type_or_disabled_host(self):
        booking = self.book(self.etype, MONDAY_9)
        self.etype.is_published = False
        with self.assertRaises(BookmeError):
            booking._bookme_guest_reschedule(MONDAY_9 + timedelta(hours=2))
        self.etype.is_published = True
        self.host.bookme_enabled = False
        with self.assertRaises(BookmeError):
            booking._bookme_guest_reschedule(MONDAY_9 + timedelta(hours=2))
        self.assertEqual(booking.start, naive(MONDAY_9))
        self.host.bookme_enabled = True
        booking._bookme_guest_reschedule(MONDAY_9 + timedelta(hours=2))
        self.assertEqual(booking.start, naive(MONDAY_9 + timedelta(hours=2)))

    def test_bookings_name_search(self):
        """Before: _rec_name = 'display_name' made every many2one search on bookings raise."""
        booking = self.book(self.etype, MONDAY_9, name="Gina Guest")
        other = self.book(self.etype, MONDAY_9 + timedelta(hours=1), email="z@example.com", name="Zed Zulu")
        Booking = self.env["bookme.booking"].with_user(self.host)
        found = [r[0] for r in Booking.name_search("Gina")]
        self.assertIn(booking.id, found)
        self.assertNotIn(other.id, found)
        self.assertEqual(Booking.search([("display_name", "ilike", "Zed")]), other)
        self.assertIn(booking.id, [r[0] for r in Booking.name_search("Consultation")])


@tagged("post_install", "-at_install")
class TestPublicPicture(HttpCase):
    """A published type's picture is served to visitors (/web/image), an unpublished one's
    is not."""

    def test_type_picture_for_visitors(self):
        host = new_test_user(self.env, login="bookme_pic_host", groups="sales_team.group_sale_salesman")
        host.bookme_enabled = True
        Type = self.env["bookme.event.type"]
        published = Type.create({"name": "Pictured", "user_id": host.id, "image_1920": png()})
        hidden = Type.create(
            {"name": "Hidden", "user_id": host.id, "image_1920": png(), "is_published": False}
        )
        self.assertTrue(published.is_published, "published by default")
        self.assertTrue(published.website_url.endswith(f"/book/{host.bookme_slug}/pictured"))
        picture = base64.b64decode(published.image_1920)
        response = self.url_open(f"/web/image/bookme.event.type/{published.id}/image_1920")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, picture)
        response = self.url_open(f"/web/image/bookme.event.type/{hidden.id}/image_1920")
        self.assertNotEqual(response.content, picture, "Odoo's placeholder, not the picture")


@tagged("post_install", "-at_install")
class TestRpcOverHttp(HttpCase):
    """The reproduced attack, over Odoo's real JSON-RPC: a logged-in portal customer (and
    a plain employee) calling bookme.booking.action_bookme_cancel on someone's booking;
    a visitor without a session is not even let in."""

    def setUp(self):
        super().setUp()
        self.host = new_test_user(
            self.env, login="bookme_rpc_host", tz="Europe/Oslo", groups="sales_team.group_sale_salesman"
        )
        self.host.bookme_enabled = True
        etype = self.env["bookme.event.type"].create(
            {
                "name": "Call",
                "user_id": self.host.id,
                "min_notice": 0,
                "duration": 30,
            }
        )
        # 09:00 in Oslo on a Monday two weeks ahead (default hours 08:00-12:00).
        day = datetime.now(OSLO).date() + timedelta(days=14)
        day += timedelta(days=-day.weekday())
        start = datetime.combine(day, time(9, 0), OSLO)
        self.booking = self.env["bookme.booking"]._bookme_create(
            etype, start, "Gina Guest", "gina.rpc@example.com"
        )
        self.start = self.booking.start

    def rpc_cancel(self):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/bookme.booking/action_bookme_cancel",
            {
                "model": "bookme.booking",
                "method": "action_bookme_cancel",
                "args": [self.booking.ids],
                "kwargs": {"reason": "Mine now"},
            },
        )

    def test_cancel_over_json_rpc(self):
        mails = self.env["mail.mail"].search_count([])
        for login, groups in (
            ("bookme_rpc_portal", "base.group_portal"),
            ("bookme_rpc_employee", "base.group_user"),
        ):
            new_test_user(self.env, login=login, groups=groups)
            self.authenticate(login, login)
            with self.assertRaises(JsonRpcException) as err:
                self.rpc_cancel()
            self.assertEqual(err.exception.args[0], "odoo.exceptions.AccessError")
        self.authenticate(None, None)
        with self.assertRaises(JsonRpcException):
            self.rpc_cancel()
        self.booking.invalidate_recordset()
        self.assertEqual(self.booking.state, "confirmed")
        self.assertEqual(self.booking.start, self.start)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails, "nobody was emailed")
        self.authenticate("bookme_rpc_host", "bookme_rpc_host")
        self.assertTrue(self.rpc_cancel(), "the host may cancel their booking")
        self.booking.invalidate_recordset()
        self.assertEqual(self.booking.state, "cancelled")
