import json
import re

from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.mail.tests.common import MailCase

from .common import BookmeCase

MONDAY_9 = "2030-01-07T09:00:00+01:00"
# The Book Me button of an email: the page's path and the invite token.
LINK_RE = re.compile(r'href="(?:https?://[^/"]+)?(/book/hanne[^"?]*)\?invite=([\w-]+)"')
COMPOSER_VIEW = "mail.email_compose_message_wizard_form"


@tagged("post_install", "-at_install")
@freeze_time("2030-01-04 12:00:00", tick=True)
class TestComposer(HttpCase, MailCase, BookmeCase):
    """The "Add my Book Me link" option of the email composer: each recipient gets a
    personal, signed link that pre-fills the booking page and links the booking to the
    recipient's partner and to the document the email was written on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host.bookme_email_default = True
        Partner = cls.env["res.partner"]
        cls.pia = Partner.create({"name": "Pia Partner", "email": "pia@example.com"})
        cls.paul = Partner.create({"name": "Paul Partner", "email": "paul@example.com"})
        cls.quinn = Partner.create({"name": "Quinn Partner", "email": "quinn@example.com"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Big deal",
                "type": "opportunity",
                "partner_id": cls.pia.id,
                "user_id": cls.host.id,
            }
        )
        cls.olaf = new_test_user(
            cls.env,
            login="bookme_olaf",
            name="Olaf Other",
            email="olaf@example.com",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.Invite = cls.env["bookme.invite"]

    # --- helpers -----------------------------------------------------------------------------

    def composer(self, user, model, res_ids, mode="comment", partners=None, **values):
        """Fill the composer form as ``user`` would (defaults and onchanges included)."""
        ctx = {
            "default_model": model,
            "default_res_ids": res_ids,
            "default_composition_mode": mode,
        }
        if partners is not None:
            ctx["default_partner_ids"] = partners.ids
        form = Form(self.env["mail.compose.message"].with_user(user).with_context(**ctx), view=COMPOSER_VIEW)
        form.subject = "Let's meet"
        form.body = "<p>Hello, shall we talk?</p>"
        for name, value in values.items():
            setattr(form, name, value)
        return form

    def send(self, form):
        composer = form.save()
        with self.mock_mail_gateway():
            composer.action_send_mail()
        return composer

    def mails_to(self, partner):
        return self._new_mails.filtered(lambda mail: partner in mail.recipient_ids)

    def sent_to(self, partner):
        return [m for m in self._mails if partner.email in " ".join(m["email_to"])]

    def link(self, html):
        found = LINK_RE.findall(html or "")
        self.assertEqual(len(found), 1, f"one Book Me link in {html}")
        return found[0]

    def post_booking(self, path, body):
        res = self.url_open(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        return res.status_code, res.json()

    def booking_body(self, token, **kw):
        return {
            "start": MONDAY_9,
            "name": "Pia Partner",
            "email": "pia@example.com",
            "tz": "Europe/Oslo",
            "invite": token,
            **kw,
        }

    def counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in ("bookme.booking", "calendar.event", "res.partner", "mail.mail", "crm.lead")
        )

    # --- the option --------------------------------------------------------------------------

    def test_option_follows_preference(self):
        form = self.composer(self.host, "crm.lead", self.lead.ids, partners=self.pia)
        self.assertTrue(form.bookme_link_available)
        self.assertTrue(form.bookme_add_link, "ticked: the user's preference is on")
        self.host.bookme_email_default = False
        form = self.composer(self.host, "crm.lead", self.lead.ids, partners=self.pia)
        self.assertTrue(form.bookme_link_available)
        self.assertFalse(form.bookme_add_link, "unticked: the user's preference is off")
        form.bookme_add_link = True  # still offered

    def test_code_made_composers_do_not_add_the_link(self):
        """Only the composer a user opens starts ticked: composers created by code
        (reminders, mailings...) never grow a Book Me link by themselves."""
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.host)
            .with_context(
                default_model="crm.lead",
                default_res_ids=self.lead.ids,
            )
            .create({"subject": "Reminder", "body": "<p>Hi</p>", "partner_ids": self.pia.ids})
        )
        self.assertFalse(composer.bookme_add_link)

    # --- comment mode (the chatter's composer) ------------------------------------------------

    def test_from_lead_link_prefills_and_books_for_partner_and_lead(self):
        form = self.composer(self.host, "crm.lead", self.lead.ids, partners=self.pia)
        self.send(form)

        # The sent mail.mail to Pia carries her personal link to the Book Me page ...
        mail = self.mails_to(self.pia)
        self.assertEqual(len(mail), 1)
        self.assertIn("Book an appointment", mail.body_html)
        path, token = self.link(mail.body_html)
        self.assertEqual(path, "/book/hanne")
        # ... and so does the email that actually left.
        sent = self.sent_to(self.pia)
        self.assertEqual(len(sent), 1)
        self.assertEqual(self.link(sent[0]["body"]), (path, token))
        # The token is signed, not the partner id in clear.
        self.assertNotIn(f"partner={self.pia.id}", mail.body_html)
        invite = self.Invite._bookme_read(token, self.host)
        self.assertEqual(invite.partner, self.pia)
        self.assertEqual(invite.record, self.lead)
        # The chatter keeps the button with the plain page link, never a personal token.
        message = self.lead.message_ids.filtered(lambda m: m.subject == "Let's meet")
        self.assertIn("Book an appointment", message.body)
        self.assertNotIn("invite=", message.body)

        # Opening the link shows the booking page pre-filled with Pia's details.
        res = self.url_open(f"{path}?invite={token}")
        self.assertEqual(res.status_code, 200)
        self.assertIn('data-prefill-name="Pia Partner"', res.text)
        self.assertIn('data-prefill-email="pia@example.com"', res.text)
        self.assertIn(f'data-invite="{token}"', res.text)
        self.assertNotIn("o_bookme_invite_invalid", res.text)
        # The meetings listed on the page keep the invitation.
        self.assertIn(f"/book/hanne/consultation?invite={token}", res.text)

        # Booking through it books for Pia, on the lead (and so the meeting's opportunity).
        partners_before = self.env["res.partner"].search_count([])
        status, data = self.post_booking("/book/api/v1/hanne/consultation/bookings", self.booking_body(token))
        self.assertEqual(status, 201, data)
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        self.assertEqual(booking.partner_id, self.pia)
        self.assertEqual(booking.lead_id, self.lead)
        self.assertEqual(booking.calendar_event_id.opportunity_id, self.lead)
        self.assertEqual(booking.calendar_event_id.res_model, "crm.lead")
        self.assertEqual(booking.calendar_event_id.res_id, self.lead.id)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_each_recipient_gets_their_own_link(self):
        self.lead.message_subscribe(partner_ids=self.olaf.partner_id.ids)  # internal follower
        form = self.composer(self.host, "crm.lead", self.lead.ids, partners=self.pia | self.paul)
        self.send(form)
        message = self.lead.message_ids.filtered(lambda m: m.subject == "Let's meet")
        tokens = {}
        for partner in (self.pia, self.paul):
            mail = self.mails_to(partner)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.recipient_ids, partner, "one email per customer")
            _path, token = self.link(mail.body_html)
            self.assertEqual(self.Invite._bookme_read(token, self.host).partner, partner)
            tokens[partner] = token
            notif = self.env["mail.notification"].search(
                [
                    ("mail_message_id", "=", message.id),
                    ("res_partner_id", "=", partner.id),
                ]
            )
            self.assertEqual(notif.mail_mail_id, mail, "the notification follows the email")
            sent = self.sent_to(partner)
            self.assertEqual(len(sent), 1, "every customer email was sent")
            self.assertEqual(self.link(sent[0]["body"])[1], token)
        self.assertNotEqual(tokens[self.pia], tokens[self.paul])
        # The internal follower is notified as usual, with the plain link.
        olaf_mail = self.mails_to(self.olaf.partner_id)
        self.assertEqual(len(olaf_mail), 1)
        self.assertIn("Book an appointment", olaf_mail.body_html)
        self.assertFalse(LINK_RE.search(olaf_mail.body_html))
        self.assertEqual(len(self.sent_to(self.olaf.partner_id)), 1)

    def test_link_to_chosen_meeting(self):
        form = self.composer(
            self.host, "crm.lead", self.lead.ids, partners=self.pia, bookme_event_type_id=self.etype
        )
        self.send(form)
        path, token = self.link(self.mails_to(self.pia).body_html)
        self.assertEqual(path, "/book/hanne/consultation")
        res = self.url_open(f"{path}?invite={token}")
        self.assertEqual(res.status_code, 200)
        self.assertIn('data-prefill-name="Pia Partner"', res.text)
        self.assertIn(f'data-invite="{token}"', res.text)

    def test_meeting_choice_limited_to_own_published_types(self):
        other_type = self.env["bookme.event.type"].create(
            {
                "name": "Olaf's call",
                "slug": "call",
                "user_id": self.olaf.id,
            }
        )
        unpublished = self.env["bookme.event.type"].create(
            {
                "name": "Hidden",
                "slug": "hidden",
                "user_id": self.host.id,
                "is_published": False,
            }
        )
        Composer = (
            self.env["mail.compose.message"]
            .with_user(self.host)
            .with_context(
                default_model="crm.lead",
                default_res_ids=self.lead.ids,
            )
        )
        for etype in (other_type, unpublished, self.host.bookme_personal_type_id):
            with self.assertRaises(ValidationError, msg=etype.name):
                Composer.create(
                    {
                        "subject": "x",
                        "body": "<p>x</p>",
                        "bookme_add_link": True,
                        "bookme_event_type_id": etype.id,
                    }
                )

    def test_unticked_adds_no_link(self):
        form = self.composer(self.host, "crm.lead", self.lead.ids, partners=self.pia, bookme_add_link=False)
        self.send(form)
        mail = self.mails_to(self.pia)
        self.assertEqual(len(mail), 1)
        self.assertNotIn("/book/", mail.body_html)
        self.assertNotIn("Book an appointment", mail.body_html)

    def test_disabled_user_not_offered_and_never_linked(self):
        form = self.composer(self.olaf, "crm.lead", self.lead.ids, partners=self.pia)
        self.assertFalse(form.bookme_link_available)
        self.assertFalse(form.bookme_add_link)
        with self.assertRaises(AssertionError, msg="the option is invisible"):
            form.bookme_add_link = True
        # Forced anyway (RPC), it has no effect.
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.olaf)
            .with_context(
                default_model="crm.lead",
                default_res_ids=self.lead.ids,
            )
            .create(
                {
                    "subject": "Forced",
                    "body": "<p>Hi</p>",
                    "partner_ids": self.pia.ids,
                    "bookme_add_link": True,
                }
            )
        )
        with self.mock_mail_gateway():
            composer.action_send_mail()
        mail = self.mails_to(self.pia)
        self.assertEqual(len(mail), 1)
        self.assertNotIn("/book/", mail.body_html)

    def test_log_note_gets_no_link(self):
        form = Form(
            self.env["mail.compose.message"]
            .with_user(self.host)
            .with_context(
                default_model="crm.lead",
                default_res_ids=self.lead.ids,
                default_subtype_xmlid="mail.mt_note",
            ),
            view=COMPOSER_VIEW,
        )
        self.assertFalse(form.bookme_add_link)
        form.body = "<p>Internal</p>"
        composer = form.save()
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertNotIn("/book/", self.lead.message_ids[0].body)

    # --- mass mailing mode -----------------------------------------------------------------------

    def test_mass_mail_each_recipient_own_link(self):
        partners = self.pia | self.paul | self.quinn
        form = self.composer(self.host, "res.partner", partners.ids, mode="mass_mail")
        self.assertTrue(form.bookme_add_link)
        self.send(form)
        tokens = set()
        for partner in partners:
            mail = self.mails_to(partner)
            self.assertEqual(len(mail), 1)
            path, token = self.link(mail.body_html)
            self.assertEqual(path, "/book/hanne")
            invite = self.Invite._bookme_read(token, self.host)
            self.assertEqual(invite.partner, partner)
            self.assertEqual(invite.record, partner)
            sent = self.sent_to(partner)
            self.assertEqual(len(sent), 1)
            self.assertEqual(self.link(sent[0]["body"])[1], token)
            tokens.add(token)
        self.assertEqual(len(tokens), 3, "three different links")

    def test_mass_mail_on_leads_links_each_lead(self):
        lead2 = self.env["crm.lead"].create(
            {
                "name": "Other deal",
                "type": "opportunity",
                "partner_id": self.paul.id,
                "user_id": self.host.id,
            }
        )
        leads = self.lead | lead2
        form = self.composer(self.host, "crm.lead", leads.ids, mode="mass_mail")
        self.send(form)
        for lead in leads:
            mail = self._new_mails.filtered(lambda m, lead=lead: m.res_id == lead.id)
            self.assertEqual(len(mail), 1)
            invite = self.Invite._bookme_read(self.link(mail.body_html)[1], self.host)
            self.assertEqual(invite.partner, lead.partner_id)
            self.assertEqual(invite.lead, lead)
        status, data = self.post_booking(
            "/book/api/v1/hanne/consultation/bookings",
            self.booking_body(
                self.link(self.mails_to(self.paul).body_html)[1],
                name="Paul Partner",
                email="paul@example.com",
            ),
        )
        self.assertEqual(status, 201, data)
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        self.assertEqual((booking.partner_id, booking.lead_id), (self.paul, lead2))

    def test_mass_mail_to_lead_without_partner(self):
        """A lead mailed at its email address (no contact yet): the link pre-fills the
        lead's contact and the booking lands on that lead."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Web enquiry",
                "contact_name": "Lena Lead",
                "email_from": "lena@example.com",
                "user_id": self.host.id,
            }
        )
        self.assertFalse(lead.partner_id)
        form = self.composer(self.host, "crm.lead", lead.ids, mode="mass_mail")
        self.send(form)
        mail = self._new_mails.filtered(lambda m: m.res_id == lead.id)
        self.assertEqual(len(mail), 1)
        self.assertIn("lena@example.com", mail.email_to)
        path, token = self.link(mail.body_html)
        invite = self.Invite._bookme_read(token, self.host)
        self.assertFalse(invite.partner)
        self.assertEqual(invite.lead, lead)
        res = self.url_open(f"{path}?invite={token}")
        self.assertIn('data-prefill-name="Lena Lead"', res.text)
        self.assertIn('data-prefill-email="lena@example.com"', res.text)
        status, data = self.post_booking(
            "/book/api/v1/hanne/consultation/bookings",
            self.booking_body(token, name="Lena Lead", email="lena@example.com"),
        )
        self.assertEqual(status, 201, data)
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        self.assertEqual(booking.partner_id.email, "lena@example.com")
        self.assertEqual(booking.lead_id, lead)

    # --- the public side of the token ---------------------------------------------------------

    def test_tampered_token_refused_and_changes_nothing(self):
        token = self.Invite._bookme_token(self.host, self.pia, self.lead)
        middle = len(token) // 2
        tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
        other_host = self.Invite._bookme_token(self.olaf, self.pia, self.lead)
        for bad in (tampered, other_host, "not-a-token", "x" * 2000, token[:-10]):
            res = self.url_open(f"/book/hanne/consultation?invite={bad}")
            self.assertEqual(res.status_code, 200, "the page still lets the visitor book")
            self.assertIn("o_bookme_invite_invalid", res.text)
            self.assertIn("This invitation link is not valid", res.text)
            self.assertIn('data-prefill-name=""', res.text)
            self.assertIn('data-invite=""', res.text)
            res = self.url_open(f"/book/hanne?invite={bad}")
            self.assertEqual(res.status_code, 200)
            self.assertIn("o_bookme_invite_invalid", res.text)

            before = self.counts()
            status, data = self.post_booking(
                "/book/api/v1/hanne/consultation/bookings", self.booking_body(bad)
            )
            self.assertEqual(status, 400, bad)
            self.assertEqual(data["error"]["code"], "invalid_invite")
            self.assertEqual(data["error"]["field"], "invite")
            self.assertTrue(data["error"]["message"])
            self.assertEqual(self.counts(), before, "a refused invitation writes nothing")
        status, data = self.post_booking("/book/api/v1/hanne/consultation/bookings", self.booking_body(12345))
        self.assertEqual((status, data["error"]["code"]), (400, "invalid_invite"))

    def test_expired_token_refused(self):
        token = self.Invite._bookme_token(self.host, self.pia, self.lead)
        self.assertTrue(self.Invite._bookme_read(token, self.host))
        with freeze_time("2030-08-01 12:00:00"):
            self.assertIsNone(self.Invite._bookme_read(token, self.host))
            res = self.url_open(f"/book/hanne?invite={token}")
            self.assertIn("o_bookme_invite_invalid", res.text)

    def test_forwarded_link_books_under_own_address_on_the_lead(self):
        token = self.Invite._bookme_token(self.host, self.pia, self.lead)
        status, data = self.post_booking(
            "/book/api/v1/hanne/consultation/bookings",
            self.booking_body(token, name="Fred Friend", email="fred@example.com"),
        )
        self.assertEqual(status, 201, data)
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        self.assertNotEqual(booking.partner_id, self.pia, "Pia's partner is not Fred's")
        self.assertEqual(booking.partner_id.email, "fred@example.com")
        self.assertEqual(booking.lead_id, self.lead)

    def test_invite_from_any_document_links_the_booking(self):
        acme = self.env["res.partner"].create({"name": "Acme Corp", "is_company": True})
        token = self.Invite._bookme_token(self.host, self.pia, acme)
        body = self.booking_body(token, idempotency_key="acme-1")
        status, data = self.post_booking("/book/api/v1/hanne/consultation/bookings", body)
        self.assertEqual(status, 201, data)
        booking = self.env["bookme.booking"].search([("access_token", "=", data["booking"]["token"])])
        self.assertEqual(booking.partner_id, self.pia)
        self.assertEqual(booking.calendar_event_id.res_model, "res.partner")
        self.assertEqual(booking.calendar_event_id.res_id, acme.id)

        def notes():
            return acme.message_ids.filtered(lambda m: f"/odoo/bookme.booking/{booking.id}" in m.body)

        self.assertEqual(len(notes()), 1, "the document's chatter tells about the booking")
        status, _data = self.post_booking("/book/api/v1/hanne/consultation/bookings", body)
        self.assertEqual(status, 201)
        self.assertEqual(self.env["bookme.booking"].search_count([]), 1)
        self.assertEqual(len(notes()), 1, "a retried request does not repeat the note")
