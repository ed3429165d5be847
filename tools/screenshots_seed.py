# Run by tools/screenshots inside `odoo-bin shell` (``env`` is the superuser's) on its
# throwaway database: what some README pictures show beyond the demo data. Writes the ids
# the pictures' URLs need, as JSON, to the file named by $BOOKME_SHOTS_IDS.
# ruff: noqa: F821 (env is given by odoo-bin shell)
import json
import os

from odoo import Command

admin = env.ref("base.user_admin")
discovery = env.ref("crm_bookme.demo_type_discovery")

# Hebrew on the website, for the right-to-left pictures (/he/...), with Odoo's translations;
# English stays the website's default and the admin's language.
english = env.ref("base.lang_en")
hebrew = env["res.lang"]._activate_lang("he_IL")
env["ir.module.module"].search([("state", "=", "installed")])._update_translations("he_IL")
website = env["website"].get_current_website()
website.language_ids |= hebrew | english
website.default_lang_id = english
admin.write({"lang": "en_US"})

# An automation read back as a sentence.
template = env["mail.template"].create(
    {
        "name": "Loyalty offer",
        "model_id": env.ref("crm_bookme.model_bookme_booking").id,
        "subject": "A thank-you for your 10th class",
        "body_html": "<p>Thank you for coming back!</p>",
    }
)
automation = env["bookme.automation"].create(
    {
        "name": "Loyalty offer after 10 classes",
        "trigger": "nth_checkin",
        "nth": 10,
        "event_type_ids": [Command.set(discovery.ids)],
        "action": "email_client",
        "template_id": template.id,
        "delay": 2,
        "delay_unit": "days",
        "once_per_client": True,
        "user_id": admin.id,
    }
)

# Two connected Google accounts (no tokens: nothing is ever sent to Google from here).
for email, calendars in (
    (
        "mitchell.admin@gmail.com",
        [("primary", "mitchell.admin@gmail.com", True), ("family", "Family", False)],
    ),
    (
        "mitchell@work.example",
        [
            ("primary-work", "mitchell@work.example", True),
            ("coaching", "Coaching", False),
            ("webinars", "Webinars", False),
        ],
    ),
):
    env["bookme.google.account"].create(
        {
            "user_id": admin.id,
            "email": email,
            "calendar_ids": [
                Command.create({"google_id": gid, "name": name, "primary": primary})
                for gid, name, primary in calendars
            ],
        }
    )
coaching = env["bookme.google.calendar"].search([("google_id", "=", "coaching")], limit=1)
discovery.write({"google_calendar_enabled": True, "google_calendar_id": coaching.id})
env.cr.commit()

with open(os.environ["BOOKME_SHOTS_IDS"], "w") as fh:
    json.dump({"discovery": discovery.id, "automation": automation.id}, fh)
print("seeded", {"discovery": discovery.id, "automation": automation.id})
