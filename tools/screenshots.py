"""Regenerate every picture of the README (docs/screenshots/*.png) from a running Odoo.

Run ``tools/screenshots``: it makes a throwaway database with Book Me's demo data (plus the
records some pictures show, see ``tools/screenshots_seed.py``), serves it, runs this script
against it, and removes the database again. Directly, against an Odoo already serving such
a database:

    .venv/bin/python tools/screenshots.py --base http://127.0.0.1:8069 [--ids ids.json] [NAME...]

Each picture is one row of :data:`SHOTS`; to add one, add a row (and reference the file in
the README: ``tests/engine/test_screenshots.py`` checks that both lists agree):

- ``name``: the file in docs/screenshots;
- ``url``: the path to open, ``{key}`` replaced by the ids the seed script wrote
  (``{discovery}``, ``{automation}``...);
- ``size``: ``(width, height)`` of the viewport, which is also the picture's size
  (``mobile`` for a phone: touch, mobile viewport);
- ``login``: ``"login:password"`` for back-office pages (``None``: a visitor);
- ``wait``: a CSS selector shown once the page is ready;
- ``clicks``: CSS selectors clicked in turn, each waited for first;
- ``after``: a CSS selector shown once the clicks took effect (optional);
- ``type``: ``(selector, text)`` typed into that field after the clicks;
- ``focus`` then ``keys``: focus the first element matching ``focus``, then press those
  keys (``"Tab"``, ``"ArrowRight"``...) as a keyboard user would;
- ``tz``: the browser's time zone (default :data:`VISITOR_TZ`).
"""

import argparse
import base64
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import screenshot

ADMIN = "admin:admin"
DESKTOP = (1280, 900)
PHONE = (360, 780)
# A booking widget that has loaded its times (its first button, a day or a time, is shown).
WIDGET_READY = ".o_bookme_widget button"
TIMES_READY = ".o_bookme_widget .o_bookme_slot"  # the chosen day's times are shown
TYPE_PAGE = "/book/mitchell-admin/discovery-call"
VISITOR_TZ = "Europe/Brussels"  # the browser's zone (a row's "tz" changes it), the demo host's

SHOTS = [
    # --- The public booking pages ------------------------------------------------------------
    {"name": "host-page.png", "url": "/book/mitchell-admin", "size": (1200, 857), "wait": WIDGET_READY},
    {
        "name": "booking-form.png",
        "url": TYPE_PAGE,
        "size": (1200, 1157),
        "wait": WIDGET_READY,
        "clicks": [".o_bookme_slot"],
        "after": "#bookme_email",
    },
    {"name": "booking-page-desktop.png", "url": TYPE_PAGE, "size": DESKTOP, "wait": WIDGET_READY},
    {"name": "booking-page-phone.png", "url": TYPE_PAGE, "size": PHONE, "mobile": True, "wait": WIDGET_READY},
    {
        "name": "booking-page-desktop-rtl.png",
        "url": "/he" + TYPE_PAGE,
        "size": DESKTOP,
        "wait": "html[dir=rtl] " + WIDGET_READY,
    },
    {
        "name": "booking-page-phone-rtl.png",
        "url": "/he" + TYPE_PAGE,
        "size": PHONE,
        "mobile": True,
        "wait": "html[dir=rtl] " + WIDGET_READY,
    },
    # --- The picker: month calendar, times, zone list, keyboard focus -----------------------
    {"name": "picker-desktop.png", "url": TYPE_PAGE, "size": (1280, 820), "wait": TIMES_READY},
    {"name": "picker-phone.png", "url": TYPE_PAGE, "size": (360, 740), "mobile": True, "wait": TIMES_READY},
    {
        "name": "picker-zone-search.png",
        "url": TYPE_PAGE,
        "size": (1280, 820),
        "wait": TIMES_READY,
        "clicks": [".o_bookme_tz_toggle"],
        "type": (".o_bookme_tz_search", "new y"),
        "after": ".o_bookme_tz_option",
    },
    {
        "name": "picker-keyboard-focus.png",
        "url": "/book/mitchell-admin/product-workshop",
        "size": (1280, 820),
        "wait": TIMES_READY,
        "focus": ".o_bookme_cal_day[tabindex='0']",
        "keys": ["ArrowRight"],
    },
    # --- The back office ---------------------------------------------------------------------
    {
        "name": "calendar-free-time.png",
        "url": "/odoo/action-calendar.action_calendar_event",
        "size": (1200, 657),
        "login": ADMIN,
        "wait": ".o_calendar_renderer .fc-event",
    },
    {
        "name": "my-availability.png",
        "url": "/odoo/action-crm_bookme.action_bookme_my_availability",
        "size": (1200, 617),
        "login": ADMIN,
        "wait": ".o_form_view .o_field_widget",
    },
    {
        "name": "new-event-type.png",
        "url": "/odoo/action-crm_bookme.action_bookme_event_type/new",
        "size": (1200, 617),
        "login": ADMIN,
        "wait": ".o_bookme_kind_first",
    },
    {
        "name": "automation-form.png",
        "url": "/odoo/action-crm_bookme.action_bookme_automation/{automation}",
        "size": (1200, 757),
        "login": ADMIN,
        "wait": ".o_form_view .alert",
    },
    {
        "name": "google-calendar-choice.png",
        "url": "/odoo/action-crm_bookme.action_bookme_event_type/{discovery}",
        "size": (1200, 1007),
        "login": ADMIN,
        "wait": ".o_form_view .o_notebook",
        "clicks": [".o_notebook_headers a[name=google_calendar]", "div[name=google_calendar_id] input"],
        "after": ".o-autocomplete--dropdown-menu",
    },
]

KEY_CODES = {"Tab": 9, "Enter": 13, "ArrowLeft": 37, "ArrowUp": 38, "ArrowRight": 39, "ArrowDown": 40}

OUT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "screenshots")


def take(shot, base, ids, out_dir=OUT_DIR):
    """Take one picture; returns the problems seen (console errors, selectors not found)."""
    width, height = shot["size"]
    browser = screenshot.Browser(width, height)
    problems = []
    try:
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=bool(shot.get("mobile")),
        )
        browser.call("Emulation.setTimezoneOverride", timezoneId=shot.get("tz", VISITOR_TZ))
        if shot.get("mobile"):
            browser.call("Emulation.setTouchEmulationEnabled", enabled=True)
        if shot.get("login"):
            _base, session_id = screenshot.odoo_session(base, shot["login"])
            browser.call("Network.enable")
            browser.call("Network.setCookie", name="session_id", value=session_id, url=base)
        browser.call("Page.navigate", url=base + shot["url"].format(**ids))
        if not browser.wait_for(shot["wait"], timeout=60):
            problems.append(f"not shown: {shot['wait']}")
        for selector in shot.get("clicks", []):
            if not browser.wait_for(selector, timeout=30):
                problems.append(f"nothing to click: {selector}")
                continue
            browser.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
            time.sleep(0.8)
        if shot.get("type"):
            selector, text = shot["type"]
            browser.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
            browser.call("Input.insertText", text=text)
            time.sleep(0.8)
        if shot.get("focus"):
            browser.evaluate(f"document.querySelector({json.dumps(shot['focus'])}).focus()")
        for key in shot.get("keys", []):
            for kind in ("keyDown", "keyUp"):
                browser.call(
                    "Input.dispatchKeyEvent",
                    type=kind,
                    key=key,
                    code=key,
                    windowsVirtualKeyCode=KEY_CODES[key],
                )
            time.sleep(0.3)
        if shot.get("after") and not browser.wait_for(shot["after"], timeout=30):
            problems.append(f"not shown after the clicks: {shot['after']}")
        time.sleep(1.0)  # fonts, images and transitions
        data = browser.call("Page.captureScreenshot", format="png")
        with open(os.path.join(out_dir, shot["name"]), "wb") as fh:
            fh.write(base64.b64decode(data["data"]))
        problems += [f"console error: {error}" for error in browser.errors]
    finally:
        browser.close()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these pictures (default: all)")
    parser.add_argument("--base", default="http://127.0.0.1:8069")
    parser.add_argument("--ids", help="the JSON file of ids the seed script wrote")
    parser.add_argument("--out", default=OUT_DIR)
    args = parser.parse_args()
    ids = {}
    if args.ids:
        with open(args.ids) as fh:
            ids = json.load(fh)
    unknown = set(args.names) - {shot["name"] for shot in SHOTS}
    if unknown:
        parser.error(f"no such picture: {', '.join(sorted(unknown))}")
    failed = 0
    for shot in SHOTS:
        if args.names and shot["name"] not in args.names:
            continue
        problems = take(shot, args.base.rstrip("/"), ids, args.out)
        print(f"{'!!' if problems else 'ok'} {shot['name']}")
        for problem in problems:
            print(f"   {problem}")
        failed += any(not p.startswith("console error") for p in problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
