from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import Command
from odoo.tests import Form, freeze_time, tagged

from .common import BookmeCase, naive, utc

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = date(2030, 1, 7)


def oslo(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), OSLO).astimezone(ZoneInfo("UTC"))


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestEventTypeSettings(BookmeCase):
    """Each setting of an event type changes the offered slots as PRODUCT.md says,
    through the real models (scheduler, bookings, calendar events, resource calendars)."""

    def day_times(self, etype, day):
        """Offered start times of ``day`` as 'HH:MM' in Oslo."""
        start = datetime.combine(day, time.min, OSLO)
        slots = self.slots(etype, start, start + timedelta(days=1))
        return [s.start.astimezone(OSLO).strftime("%H:%M") for s in slots]

    def test_min_notice_hides_the_next_hours(self):
        self.etype.min_notice = 120
        with freeze_time(oslo(MONDAY, 9).replace(tzinfo=None)):
            self.assertEqual(self.day_times(self.etype, MONDAY)[0], "11:00")
            self.etype.min_notice = 0
            self.assertEqual(self.day_times(self.etype, MONDAY)[0], "09:00")

    def test_daily_limit_closes_the_day(self):
        self.etype.daily_limit = 2
        self.book(self.etype, oslo(MONDAY, 9), email="a@example.com")
        self.assertTrue(self.day_times(self.etype, MONDAY))
        self.book(self.etype, oslo(MONDAY, 10), email="b@example.com")
        self.assertEqual(self.day_times(self.etype, MONDAY), [])
        self.assertTrue(self.day_times(self.etype, MONDAY + timedelta(days=1)))

    def test_buffers_keep_distance_from_other_events(self):
        self.etype.write({"buffer_before": 15, "buffer_after": 15, "increment": 15})
        self.env["calendar.event"].create(
            {
                "name": "Board meeting",
                "user_id": self.host.id,
                "partner_ids": [Command.link(self.host.partner_id.id)],
                "start": naive(oslo(MONDAY, 10)),
                "stop": naive(oslo(MONDAY, 11)),
            }
        )
        times = self.day_times(self.etype, MONDAY)
        self.assertIn("09:15", times)  # ends 09:45, 15 minutes before the meeting
        self.assertNotIn("09:30", times)
        self.assertNotIn("11:00", times)
        self.assertIn("11:15", times)  # starts 15 minutes after the meeting

    def test_buffers_between_bookings(self):
        self.etype.write({"buffer_before": 15, "buffer_after": 15, "increment": 15})
        self.book(self.etype, oslo(MONDAY, 10))
        times = self.day_times(self.etype, MONDAY)
        self.assertNotIn("10:30", times)
        self.assertIn("10:45", times)
        self.assertNotIn("09:30", times)
        self.assertIn("09:15", times)

    def test_group_capacity_three(self):
        start = oslo(MONDAY, 9)
        for i in range(3):
            self.book(self.group_type, start, email=f"p{i}@example.com", name=f"P {i}")
        self.assertNotIn("09:00", self.day_times(self.group_type, MONDAY))
        self.assertIn("10:00", self.day_times(self.group_type, MONDAY))

    def test_date_range_hides_days_outside(self):
        self.etype.write(
            {"date_range_mode": "range", "date_from": date(2030, 1, 8), "date_to": date(2030, 1, 9)}
        )
        self.assertEqual(self.day_times(self.etype, MONDAY), [])
        self.assertTrue(self.day_times(self.etype, date(2030, 1, 8)))
        self.assertTrue(self.day_times(self.etype, date(2030, 1, 9)))
        self.assertEqual(self.day_times(self.etype, date(2030, 1, 10)), [])

    def test_rolling_days(self):
        self.etype.write({"date_range_mode": "rolling", "rolling_days": 4})
        # Friday 4th + 3 days: Monday 7th is the last day offered, Tuesday is not.
        self.assertTrue(self.day_times(self.etype, MONDAY))
        self.assertEqual(self.day_times(self.etype, MONDAY + timedelta(days=1)), [])

    def test_date_specific_availability_opens_a_saturday(self):
        saturday = date(2030, 1, 5)
        self.assertEqual(self.day_times(self.etype, saturday), [])
        self.env["bookme.date.availability"].create(
            {
                "user_id": self.host.id,
                "date": saturday,
                "hour_from": 10.0,
                "hour_to": 12.0,
            }
        )
        self.assertEqual(self.day_times(self.etype, saturday), ["10:00", "10:30", "11:00", "11:30"])

    def test_date_specific_availability_replaces_the_weekly_plan(self):
        self.env["bookme.date.availability"].create(
            {
                "user_id": self.host.id,
                "date": MONDAY,
                "hour_from": 13.0,
                "hour_to": 14.0,
            }
        )
        self.assertEqual(self.day_times(self.etype, MONDAY), ["13:00", "13:30"])

    def test_time_off_closes_a_weekday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist day",
                "resource_id": self.host.resource_ids[0].id,
                "calendar_id": self.calendar.id,
                "date_from": naive(oslo(MONDAY, 0)),
                "date_to": naive(oslo(MONDAY, 23, 59)),
            }
        )
        self.assertEqual(self.day_times(self.etype, MONDAY), [])
        self.assertTrue(self.day_times(self.etype, MONDAY + timedelta(days=1)))

    def test_company_wide_time_off(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": naive(oslo(MONDAY, 0)),
                "date_to": naive(oslo(MONDAY, 23, 59)),
            }
        )
        self.assertEqual(self.day_times(self.etype, MONDAY), [])

    def test_own_weekly_hours(self):
        evenings = self.env["resource.calendar"].create(
            {
                "name": "Tuesday evenings",
                "tz": "Europe/Oslo",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": "Tue",
                            "dayofweek": "1",
                            "hour_from": 18.0,
                            "hour_to": 20.0,
                            "day_period": "afternoon",
                        }
                    )
                ],
            }
        )
        self.etype.write({"use_global_availability": False, "resource_calendar_id": evenings.id})
        self.assertEqual(self.day_times(self.etype, MONDAY), [])
        self.assertEqual(
            self.day_times(self.etype, MONDAY + timedelta(days=1)), ["18:00", "18:30", "19:00", "19:30"]
        )

    def test_several_intervals_per_day(self):
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0").write({"hour_to": 10.0})
        self.env["resource.calendar.attendance"].create(
            {
                "calendar_id": self.calendar.id,
                "name": "Mon afternoon",
                "dayofweek": "0",
                "hour_from": 14.0,
                "hour_to": 15.0,
                "day_period": "afternoon",
            }
        )
        self.assertEqual(self.day_times(self.etype, MONDAY), ["09:00", "09:30", "14:00", "14:30"])

    def test_increment(self):
        self.etype.increment = 15
        self.assertEqual(self.day_times(self.etype, MONDAY)[:4], ["09:00", "09:15", "09:30", "09:45"])
        self.etype.write({"duration": 60, "increment": 60})
        self.assertEqual(self.day_times(self.etype, MONDAY)[:3], ["09:00", "10:00", "11:00"])

    def test_pending_requests_block_unless_multiple_requests(self):
        self.etype.requires_approval = True
        request = self.book(self.etype, oslo(MONDAY, 9))
        self.assertEqual(request.state, "requested")
        self.assertFalse(request.calendar_event_id, "a request gets its event when approved")
        self.assertNotIn("09:00", self.day_times(self.etype, MONDAY))
        self.etype.multiple_requests = True
        self.assertIn("09:00", self.day_times(self.etype, MONDAY))

    def test_unpublished_type_has_no_page_but_keeps_bookings(self):
        booking = self.book(self.etype, oslo(MONDAY, 9))
        event = booking.calendar_event_id
        self.etype.is_published = False
        self.assertFalse(self.etype._bookme_is_public(), "visitors can no longer book it")
        Type = self.env["bookme.event.type"]
        self.assertNotIn(self.etype, Type.search(Type._bookme_public_domain()), "nor find it")
        # the booking made before stands, with its event, and still holds its time
        self.assertEqual(booking.state, "confirmed")
        self.assertTrue(event.active)
        self.assertEqual(booking.calendar_event_id, event)
        self.etype.is_published = True
        self.assertNotIn("09:00", self.day_times(self.etype, MONDAY), "the booked time stays taken")
        self.assertIn("09:30", self.day_times(self.etype, MONDAY))

    def test_dst_week_keeps_wall_clock(self):
        # Oslo moves to summer time on Sunday 2030-03-31: Monday's slots stay 09:00 local.
        with freeze_time("2030-03-28 12:00:00"):
            monday = date(2030, 4, 1)
            times = self.day_times(self.etype, monday)
            self.assertEqual(times[0], "09:00")
            first = self.slots(self.etype, oslo(monday, 0), oslo(monday, 23))[0]
            self.assertEqual(first.start, utc(2030, 4, 1, 7, 0), "CEST is UTC+2")


@tagged("post_install", "-at_install")
class TestEventTypeForm(BookmeCase):
    """Creating an event type: the kind comes first; group types ask for participants."""

    def test_kind_first_and_capacity(self):
        form = Form(self.env["bookme.event.type"].with_user(self.host))
        form.kind = "group"
        self.assertEqual(form.capacity, 10, "a sensible default for groups")
        form.capacity = 6
        form.name = "Pottery class"
        etype = form.save()
        self.assertEqual((etype.kind, etype.capacity, etype.slug), ("group", 6, "pottery-class"))
        form = Form(self.env["bookme.event.type"].with_user(self.host))
        form.name = "Intro call"
        self.assertEqual(form.save().capacity, 1)

    def test_phone_location_defaults_to_host_number(self):
        self.host.partner_id.phone = "+47 22 11 00 00"
        self.etype.location_ids = [Command.create({"location_type": "phone"})]
        self.assertEqual(self.etype.location_ids.phone, "+47 22 11 00 00")
        self.assertIn("+47 22 11 00 00", self.etype.location_ids._bookme_description())
