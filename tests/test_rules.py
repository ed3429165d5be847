"""Each rule that several parts of Book Me rely on has one definition; these tests pin
each one, and check that its users follow it (see README, "Where to change what")."""

from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_bookme import engine
from odoo.addons.crm_bookme.exceptions import BookmeError
from odoo.addons.crm_bookme.models.bookme_event_type import PUBLIC_TYPE_DOMAIN
from odoo.addons.crm_bookme.models.utils import RESERVED_SLUGS, free_slug

from .common import BookmeCase, utc

MONDAY_9 = utc(2030, 1, 7, 8, 0)  # 09:00 in Oslo


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00")
class TestOneRuleEach(BookmeCase):
    # --- Which types a visitor may book --------------------------------------------------

    def test_publicly_bookable_types(self):
        """Active, published, of a host who takes bookings: the record check and the search
        domain say the same, for each way a type stops being bookable."""
        Type = self.env["bookme.event.type"].with_context(active_test=False)
        public = self.etype
        unpublished = public.copy({"name": "Hidden", "slug": "hidden", "is_published": False})
        archived = public.copy({"name": "Old", "slug": "old"})
        archived.active = False
        other_host = new_test_user(
            self.env, login="bookme_rules_off", groups="crm_bookme.group_bookme_user", name="Off Host"
        )
        off = public.copy({"name": "Off", "slug": "off", "user_id": other_host.id})
        self.assertFalse(other_host.bookme_enabled)
        self.assertTrue(public._bookme_is_public())
        for etype in (unpublished, archived, off):
            self.assertFalse(etype._bookme_is_public(), etype.name)
        found = Type.search(
            Type._bookme_public_domain() & Domain("id", "in", (public | unpublished | archived | off).ids)
        )
        self.assertEqual(found, public)
        # the host turns Book Me off: none of their types is bookable any more
        self.host.bookme_enabled = False
        self.assertFalse(public._bookme_is_public())

    def test_composer_link_follows_the_public_rule(self):
        """The composer's field domain lists the rule's terms (for the web client) and its
        check refuses a type the rule refuses."""
        domain = self.env["mail.compose.message"]._fields["bookme_event_type_id"].domain
        for field, _op, value in PUBLIC_TYPE_DOMAIN:
            self.assertIn(repr((field, "=", value)), domain)
        unpublished = self.etype.copy({"name": "Hidden", "slug": "hidden", "is_published": False})
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.host)
            .with_context(default_model="res.partner", default_res_ids=self.host.partner_id.ids)
            .create({"body": "Hi", "bookme_add_link": True, "bookme_event_type_id": self.etype.id})
        )
        with self.assertRaises(ValidationError):
            composer.bookme_event_type_id = unpublished

    def test_guest_reschedule_follows_the_public_rule(self):
        booking = self.book(self.etype, MONDAY_9)
        self.etype.is_published = False
        with self.assertRaises(BookmeError) as err:
            booking._bookme_guest_reschedule(MONDAY_9 + timedelta(hours=1))
        self.assertEqual(err.exception.code, "slot_unavailable")
        self.assertEqual(booking.start.hour, 8, "not moved")

    # --- Link names ----------------------------------------------------------------------

    def test_reserved_link_names_refused_for_hosts_and_types(self):
        """The words of Book Me's own routes: the same list for hosts and for types."""
        self.assertLessEqual({"booking", "embed", "api", "avatar", "unlock", "free"}, RESERVED_SLUGS)
        for word in sorted(RESERVED_SLUGS):
            with self.subTest(word=word), mute_logger("odoo.sql_db"):
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self.host.bookme_slug = word
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self.etype.slug = word

    def test_proposed_link_names_are_unique_and_never_reserved(self):
        self.assertEqual(free_slug("ann", ["ann", "ann-2"]), "ann-3")
        self.assertEqual(free_slug("ann", []), "ann")
        self.assertEqual(free_slug("booking", []), "booking-2")
        # hosts: the name of the page address
        first = new_test_user(
            self.env, login="bookme_rules_ann1", name="Ann Lee", groups="crm_bookme.group_bookme_user"
        )
        second = new_test_user(
            self.env, login="bookme_rules_ann2", name="Ann Lee", groups="crm_bookme.group_bookme_user"
        )
        named_like_a_route = new_test_user(
            self.env, login="bookme_rules_api", name="API", groups="crm_bookme.group_bookme_user"
        )
        (first | second | named_like_a_route).bookme_enabled = True
        self.assertEqual((first.bookme_slug, second.bookme_slug), ("ann-lee", "ann-lee-2"))
        self.assertEqual(named_like_a_route.bookme_slug, "api-2")
        # types: unique per host
        Type = self.env["bookme.event.type"]
        again = Type.create({"name": "Consultation", "user_id": self.host.id, "duration": 30})
        unlock = Type.create({"name": "Unlock", "user_id": self.host.id, "duration": 30})
        self.assertEqual(again.slug, "consultation-2")
        self.assertEqual(unlock.slug, "unlock-2")

    # --- Default hours ---------------------------------------------------------------------

    def test_default_hours_are_the_engines(self):
        """A host without working hours gets, on My Availability, the hours the engine
        offers for them until then."""
        self.host.resource_ids.calendar_id = False
        self.host._bookme_ensure_own_calendar()
        own = self.host.resource_calendar_id
        self.assertEqual(
            sorted((int(a.dayofweek), a.hour_from, a.hour_to) for a in own.attendance_ids),
            sorted((h.weekday, h.hour_from, h.hour_to) for h in engine.DEFAULT_BUSINESS_HOURS),
        )
        self.assertEqual(
            {a.day_period for a in own.attendance_ids if a.hour_to <= 12}, {"morning"}, "morning hours"
        )

    # --- The cancellation deadline -------------------------------------------------------------

    def test_deadline_decides_both_the_page_and_the_action(self):
        """What the guest's page offers (can change) and what the guest's actions accept
        change at the same minute."""
        self.etype.cancel_deadline = 24 * 60
        booking = self.book(self.etype, MONDAY_9)
        with freeze_time(MONDAY_9 - timedelta(days=1, minutes=1)):
            self.assertTrue(booking._bookme_can_change())
        with freeze_time(MONDAY_9 - timedelta(days=1) + timedelta(minutes=1)):
            self.assertFalse(booking._bookme_can_change())
            for action in (
                lambda: booking._bookme_guest_cancel(),
                lambda: booking._bookme_guest_reschedule(MONDAY_9 + timedelta(hours=1)),
            ):
                with self.assertRaises(BookmeError) as err:
                    action()
                self.assertEqual(err.exception.code, "deadline_passed")
        self.assertEqual(booking.state, "confirmed")
        with freeze_time(MONDAY_9 - timedelta(days=1, minutes=1)):
            booking._bookme_guest_cancel()
        self.assertEqual(booking.state, "cancelled")
