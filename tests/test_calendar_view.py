from datetime import datetime, time
from zoneinfo import ZoneInfo

from odoo.tests import HttpCase, tagged

from .common import BookmeCase, naive


@tagged("post_install", "-at_install")
class TestFreeEventsInCalendar(HttpCase, BookmeCase):
    """Free-for-appointment events are visibly different in the host's calendar."""

    def test_free_events_stand_out(self):
        # "Today" as the host's calendar shows it, whatever the hour in UTC.
        oslo = ZoneInfo("Europe/Oslo")
        today = datetime.now(oslo).date()
        for name, free, hour in (("Offered to customers", True, 9), ("Team meeting", False, 13)):
            start = datetime.combine(today, time(hour, 0), oslo)
            self.env["calendar.event"].create(
                {
                    "name": name,
                    "user_id": self.host.id,
                    "bookme_free": free,
                    "partner_ids": [(4, self.host.partner_id.id)],
                    "start": naive(start),
                    "stop": naive(start.replace(hour=hour + 1)),
                }
            )
        self.start_tour("/odoo/calendar", "crm_bookme_free_events_calendar", login="bookme_host")
