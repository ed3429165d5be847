from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import BookmeCase, naive

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = date(2030, 1, 7)
SATURDAY = date(2030, 1, 5)


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestMyAvailability(BookmeCase):
    """A salesperson (no admin rights) edits weekly hours, date-specific hours and time off
    on one form, and the booking pages follow."""

    def day_times(self, day):
        start = datetime.combine(day, time.min, OSLO)
        slots = self.slots(self.etype, start, start + timedelta(days=1))
        return [s.start.astimezone(OSLO).strftime("%H:%M") for s in slots]

    def open_form(self, user=None):
        user = user or self.host
        action = self.env["res.users"].with_user(user).action_bookme_my_availability()
        wizard = self.env[action["res_model"]].with_user(user).browse(action["res_id"])
        return Form(wizard)

    def test_first_open_gives_own_copy_of_hours(self):
        shared = self.calendar
        form = self.open_form()
        self.assertEqual(form.record.display_name, "My Availability")
        own = self.host.resource_calendar_id
        self.assertNotEqual(own, shared)
        self.assertEqual(own.bookme_owner_id, self.host)
        self.assertEqual(len(form.weekly_ids), 5)
        self.assertEqual(self.day_times(MONDAY)[0], "09:00", "nothing changed by opening it")
        self.open_form()
        self.assertEqual(self.host.resource_calendar_id, own, "made once")

    def test_user_without_hours_gets_default_hours(self):
        self.host.resource_ids.calendar_id = False
        before = self.day_times(MONDAY)
        self.open_form()
        own = self.host.resource_calendar_id
        self.assertEqual(own.bookme_owner_id, self.host)
        self.assertEqual(
            sorted({(a.hour_from, a.hour_to) for a in own.attendance_ids}), [(8.0, 12.0), (15.0, 19.0)]
        )
        self.assertEqual(self.day_times(MONDAY), before, "the same default hours as before")

    def test_weekly_hours_edit(self):
        form = self.open_form()
        with form.weekly_ids.new() as line:
            line.dayofweek = "5"
            line.hour_from = 10.0
            line.hour_to = 11.0
        with form.weekly_ids.edit(0) as line:  # Monday 09:00-17:00 becomes 13:00-14:00
            line.hour_from = 13.0
            line.hour_to = 14.0
        form.save().action_save()
        self.assertEqual(self.day_times(SATURDAY), ["10:00", "10:30"])
        self.assertEqual(self.day_times(MONDAY), ["13:00", "13:30"])
        self.assertFalse(
            self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "5"),
            "the shared calendar is untouched",
        )

    def test_date_specific_hours_edit(self):
        form = self.open_form()
        with form.date_ids.new() as line:
            line.date = MONDAY
            line.hour_from = 16.0
            line.hour_to = 17.0
        form.save().action_save()
        self.assertEqual(self.day_times(MONDAY), ["16:00", "16:30"])
        form = self.open_form()
        self.assertEqual(len(form.date_ids), 1, "the form shows what is saved")
        form.date_ids.remove(0)
        form.save().action_save()
        self.assertEqual(self.day_times(MONDAY)[0], "09:00")

    def test_time_off_edit(self):
        form = self.open_form()
        with form.leave_ids.new() as line:
            line.name = "Skiing"
            line.date_from = naive(datetime.combine(MONDAY, time(0, 0), OSLO))
            line.date_to = naive(datetime.combine(MONDAY, time(23, 59), OSLO))
        form.save().action_save()
        leave = self.env["resource.calendar.leaves"].search([("name", "=", "Skiing")])
        self.assertEqual(leave.resource_id, self.host.resource_ids[:1])
        self.assertEqual(leave.bookme_user_id, self.host)
        self.assertEqual(self.day_times(MONDAY), [])
        self.assertTrue(self.day_times(MONDAY + timedelta(days=1)))
        form = self.open_form()
        with form.leave_ids.edit(0) as line:
            self.assertEqual(line.name, "Skiing")
        form.leave_ids.remove(0)
        form.save().action_save()
        self.assertFalse(leave.exists())
        self.assertTrue(self.day_times(MONDAY))

    def test_bad_hours_refused(self):
        form = self.open_form()
        with form.weekly_ids.new() as line:
            line.hour_from = 18.0
            line.hour_to = 9.0
        with self.assertRaises(ValidationError):
            form.save()
        self.assertEqual(self.day_times(MONDAY)[0], "09:00")

    def test_only_own_availability(self):
        other = new_test_user(self.env, login="bookme_nosy", groups="crm_bookme.group_bookme_user")
        with self.assertRaises(AccessError, msg="not even opened: it shows their time off"):
            self.env["bookme.availability"].with_user(other).create({"user_id": self.host.id})
        wizard = self.env["bookme.availability"].with_user(other).create({})
        with self.assertRaises(AccessError):
            wizard.sudo().write({"user_id": self.host.id})
            wizard.action_save()

    def test_company_holidays_still_apply_to_own_hours(self):
        company_calendar = self.host.company_id.resource_calendar_id
        self.host.resource_ids.calendar_id = company_calendar
        self.open_form()
        self.assertNotEqual(self.host.resource_calendar_id, company_calendar)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "National day",
                "calendar_id": company_calendar.id,
                "date_from": naive(datetime.combine(MONDAY, time(0, 0), OSLO)),
                "date_to": naive(datetime.combine(MONDAY, time(23, 59), OSLO)),
            }
        )
        self.assertEqual(self.day_times(MONDAY), [])
