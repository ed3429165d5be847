from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import BookmeCase, naive, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestModes(BookmeCase):
    """The three slot selection modes of the personal page, through the real models."""

    def setUp(self):
        super().setUp()
        self.personal = self.host.bookme_personal_type_id
        self.day = (MONDAY_9 - timedelta(hours=1), MONDAY_9 + timedelta(hours=10))

    def free(self, start, hours):
        return self.env["calendar.event"].create(
            {
                "name": "Free for appointment",
                "user_id": self.host.id,
                "bookme_free": True,
                "partner_ids": [(4, self.host.partner_id.id)],
                "start": naive(start),
                "stop": naive(start + timedelta(hours=hours)),
            }
        )

    def busy(self, start, hours):
        return self.env["calendar.event"].create(
            {
                "name": "Meeting",
                "user_id": self.host.id,
                "partner_ids": [(4, self.host.partner_id.id)],
                "start": naive(start),
                "stop": naive(start + timedelta(hours=hours)),
            }
        )

    def test_free_event_is_never_busy(self):
        event = self.free(MONDAY_9, 2)
        self.assertEqual(event.show_as, "free")
        # The same hours are still offered by a regular event type.
        self.assertIn(MONDAY_9, self.starts(self.etype, *self.day))

    def test_semi_automatic_splits_free_events(self):
        self.host.write({"bookme_mode": "semi_automatic", "bookme_slot_duration": 30})
        self.free(MONDAY_9, 2)
        slots = self.slots(self.personal, *self.day)
        self.assertEqual([s.start for s in slots], [MONDAY_9 + timedelta(minutes=30 * i) for i in range(4)])
        self.assertTrue(all(s.end - s.start == timedelta(minutes=30) for s in slots))

    def test_manual_one_slot_per_free_event(self):
        self.host.write({"bookme_mode": "manual"})
        self.free(MONDAY_9, 2)
        (slot,) = self.slots(self.personal, *self.day)
        self.assertEqual((slot.start, slot.end), (MONDAY_9, MONDAY_9 + timedelta(hours=2)))

    def test_booking_a_semi_automatic_slot(self):
        self.host.write({"bookme_mode": "semi_automatic", "bookme_slot_duration": 60})
        self.free(MONDAY_9, 2)
        booking = self.book(self.personal, MONDAY_9)
        self.assertEqual(booking.stop, naive(MONDAY_9 + timedelta(hours=1)))
        self.assertEqual(self.starts(self.personal, *self.day), [MONDAY_9 + timedelta(hours=1)])

    def test_automatic_uses_gaps_in_working_hours(self):
        self.host.write({"bookme_mode": "automatic", "bookme_slot_duration": 30, "bookme_min_gap": 60})
        self.busy(MONDAY_9 + timedelta(hours=2), 1)  # 11:00-12:00 Oslo
        starts = self.starts(self.personal, *self.day)
        self.assertIn(MONDAY_9, starts)
        self.assertNotIn(MONDAY_9 + timedelta(hours=2), starts)
        self.assertNotIn(MONDAY_9 + timedelta(hours=2.5), starts)
        self.assertIn(MONDAY_9 + timedelta(hours=3), starts)
        self.assertEqual(starts[-1], MONDAY_9 + timedelta(hours=7.5), "last slot ends at 17:00")
        # A minimum gap longer than the morning's 2 hours drops the morning.
        self.host.bookme_min_gap = 180
        starts = self.starts(self.personal, *self.day)
        self.assertNotIn(MONDAY_9, starts)
        self.assertIn(MONDAY_9 + timedelta(hours=3), starts)

    def test_automatic_default_business_hours(self):
        self.host.resource_calendar_id = False
        self.host.write({"bookme_mode": "automatic", "bookme_slot_duration": 60, "bookme_min_gap": 0})
        starts = self.starts(self.personal, *self.day)
        # 08:00-12:00 and 15:00-19:00 Oslo = 07:00-11:00 and 14:00-18:00 UTC.
        self.assertEqual(starts[0], utc(2030, 1, 7, 7, 0))
        self.assertNotIn(utc(2030, 1, 7, 11, 0), starts)
        self.assertIn(utc(2030, 1, 7, 14, 0), starts)
        self.assertEqual(starts[-1], utc(2030, 1, 7, 17, 0))

    def test_personal_page_offers_from_next_day(self):
        self.host.write({"bookme_mode": "semi_automatic", "bookme_slot_duration": 30})
        today = utc(2030, 1, 4, 14, 0)  # later today, Friday
        self.free(today, 1)
        self.free(MONDAY_9, 1)
        starts = self.starts(self.personal, today - timedelta(hours=1), MONDAY_9 + timedelta(hours=2))
        self.assertNotIn(today, starts)
        self.assertIn(MONDAY_9, starts)
        self.env["ir.config_parameter"].sudo().set_param("crm_bookme.personal_notice", "none")
        starts = self.starts(self.personal, today - timedelta(hours=1), MONDAY_9 + timedelta(hours=2))
        self.assertIn(today, starts)

    def test_declined_invitation_is_not_busy(self):
        other = self.env["calendar.event"].create(
            {
                "name": "Someone else's meeting",
                "user_id": self.env.ref("base.user_admin").id,
                "partner_ids": [(4, self.host.partner_id.id)],
                "start": naive(MONDAY_9),
                "stop": naive(MONDAY_9 + timedelta(hours=1)),
            }
        )
        self.assertNotIn(MONDAY_9, self.starts(self.etype, *self.day))
        other.attendee_ids.filtered(lambda a: a.partner_id == self.host.partner_id).do_decline()
        self.assertIn(MONDAY_9, self.starts(self.etype, *self.day))

    def test_automatic_booking_splits_the_gap(self):
        self.host.write({"bookme_mode": "automatic", "bookme_slot_duration": 60, "bookme_min_gap": 120})
        # 09:00-17:00 is one 8-hour gap; a booking at 10:00-11:00 leaves 09:00-10:00 (too
        # short for the 2-hour minimum) and 11:00-17:00.
        booking = self.book(self.personal, MONDAY_9 + timedelta(hours=1))
        starts = self.starts(self.personal, *self.day)
        self.assertNotIn(MONDAY_9, starts)
        self.assertIn(MONDAY_9 + timedelta(hours=2), starts)
        # Rescheduling does not collide with the booking's own old time.
        booking.action_bookme_reschedule(MONDAY_9 + timedelta(hours=2))
        self.assertEqual(booking.start, naive(MONDAY_9 + timedelta(hours=2)))
