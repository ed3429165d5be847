from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import BookmeCase, utc


@tagged("post_install", "-at_install")
class TestInstall(BookmeCase):
    """The addon installs, its menus load for a Book Me user, and the two groups see what
    they should."""

    def test_menus_for_bookme_user(self):
        menus = self.env["ir.ui.menu"].with_user(self.host)._visible_menu_ids()
        for xmlid in (
            "menu_bookme_root",
            "menu_bookme_event_types",
            "menu_bookme_bookings",
            "menu_bookme_availability",
        ):
            self.assertIn(self.env.ref(f"crm_bookme.{xmlid}").id, menus, xmlid)
        # The menus' actions open for the user, on their own records.
        with freeze_time("2030-01-04 12:00:00"):
            booking = self.book(self.etype, utc(2030, 1, 7, 8, 0))
        expected = {
            "action_bookme_event_type": self.etype | self.group_type,
            "action_bookme_booking": booking,
        }
        for xmlid, records in expected.items():
            action = self.env.ref(f"crm_bookme.{xmlid}")
            found = self.env[action.res_model].with_user(self.host).search([])
            self.assertLessEqual(records, found, xmlid)
        availability = self.env.ref("crm_bookme.action_bookme_date_availability")
        self.env[availability.res_model].with_user(self.host).check_access("read")

    def test_menus_hidden_without_group(self):
        plain = new_test_user(self.env, login="bookme_plain", groups="base.group_user")
        menus = self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids()
        self.assertNotIn(self.env.ref("crm_bookme.menu_bookme_root").id, menus)
        with self.assertRaises(AccessError):
            self.env["bookme.booking"].with_user(plain).search([])

    def test_user_sees_only_own_records(self):
        other = new_test_user(self.env, login="bookme_other", groups="crm_bookme.group_bookme_user")
        other.write({"bookme_enabled": True})
        other_type = self.env["bookme.event.type"].with_user(other).create({"name": "Other's call"})
        host_types = self.env["bookme.event.type"].with_user(self.host).search([])
        self.assertIn(self.etype, host_types)
        self.assertNotIn(other_type, host_types)
        with self.assertRaises(AccessError):
            other_type.with_user(self.host).write({"name": "Hijacked"})

    def test_manager_sees_everything(self):
        manager = new_test_user(self.env, login="bookme_mgr", groups="crm_bookme.group_bookme_manager")
        types = self.env["bookme.event.type"].with_user(manager).search([])
        self.assertIn(self.etype, types)
        self.etype.with_user(manager).write({"name": "Renamed by the manager"})
        self.assertEqual(self.etype.name, "Renamed by the manager")

    def test_salesman_is_bookme_user(self):
        self.assertTrue(self.host.has_group("crm_bookme.group_bookme_user"))
        self.assertFalse(self.host.has_group("crm_bookme.group_bookme_manager"))

    def test_enabling_gives_slug_resource_and_personal_type(self):
        user = new_test_user(
            self.env, login="bookme_new", name="Åse Ødegård", groups="sales_team.group_sale_salesman"
        )
        self.assertFalse(user.bookme_slug)
        user.write({"bookme_enabled": True})
        self.assertEqual(user.bookme_slug, "ase-odegard")
        self.assertTrue(user.resource_ids, "Book Me users get a resource")
        self.assertFalse(user.resource_calendar_id, "no working hours yet: default hours apply")
        user.resource_calendar_id = self.calendar
        self.assertEqual(user.resource_calendar_id, self.calendar)
        self.assertTrue(user.bookme_personal_type_id.is_personal)
        self.assertTrue(user.bookme_url.endswith("/book/ase-odegard"))

    def test_user_edits_own_preferences(self):
        self.host.with_user(self.host).write(
            {
                "bookme_mode": "manual",
                "bookme_slot_duration_choice": "60",
                "bookme_email_default": True,
            }
        )
        self.assertEqual(self.host.bookme_mode, "manual")
        self.assertEqual(self.host.bookme_slot_duration, 60)
