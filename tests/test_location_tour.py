import base64
from datetime import datetime, time, timedelta, timezone

import icalendar

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import BookmeCase


@tagged("post_install", "-at_install")
class TestLocationTour(HttpCase, BookmeCase):
    """With two locations the invitee chooses one; the event, the email and the .ics
    carry it."""

    def test_pick_location_tour(self):
        self.etype.write(
            {
                "min_notice": 24 * 60,
                "location_ids": [
                    Command.create({"location_type": "phone", "phone": "+47 22 33 44 55"}),
                    Command.create(
                        {
                            "location_type": "in_person",
                            "address": "Storgata 1, Oslo",
                            "phone": "+47 99 88 77 66",
                        }
                    ),
                ],
            }
        )
        self.start_tour("/book/hanne/consultation", "crm_bookme_pick_location", login=None)

        booking = self.env["bookme.booking"].search([("guest_email", "=", "lars@example.com")])
        self.assertEqual(len(booking), 1)
        office = self.etype.location_ids.filtered(lambda loc: loc.location_type == "in_person")
        self.assertEqual(booking.location_id, office)
        self.assertIn("Storgata 1, Oslo", booking.location_text)
        self.assertIn("Storgata 1, Oslo", booking.calendar_event_id.location)
        guest_mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bookme.booking"),
                ("res_id", "=", booking.id),
                ("recipient_ids", "in", booking.partner_id.ids),
            ]
        )
        self.assertEqual(len(guest_mail), 1)
        self.assertIn("Storgata 1, Oslo", guest_mail.body_html)
        ics = guest_mail.attachment_ids.filtered(lambda a: a.mimetype == "text/calendar")
        (vevent,) = icalendar.Calendar.from_ical(base64.b64decode(ics.datas)).walk("VEVENT")
        self.assertIn("Storgata 1, Oslo", str(vevent.get("location")))
        tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
        self.assertGreaterEqual(booking.start, datetime.combine(tomorrow, time.min) - timedelta(hours=2))
