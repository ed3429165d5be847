"""Dates and times as a reader of a given language reads them.

One place for every time Book Me writes out for people (booking pages, the guest's booking
page, emails, inbox notices, the .ics description): the date in the language's own long
form (babel's ``full`` date: "Monday, January 7, 2030", "mandag 7. januar 2030",
"יום שני, 7 בינואר 2030"), and the time on the language's clock. The clock follows the
language's Odoo settings (``res.lang.time_format``): 12-hour when it has ``%I`` or ``%p``
(English (US) in Odoo's data), 24-hour otherwise (Norwegian, Italian, Hebrew, Estonian...),
so an administrator who changes a language's time format changes Book Me's times too.
"""

from datetime import timezone
from zoneinfo import ZoneInfo

import babel.dates

from odoo.tools.misc import babel_locale_parse, get_lang

CLOCK_12H = "h:mm a"
CLOCK_24H = "HH:mm"


def _lang(env, lang_code):
    """The installed language ``lang_code`` (the environment's, then English, when it is
    missing or not installed), as ``res.lang._get_data`` gives it."""
    return get_lang(env, lang_code or None)


def uses_12h_clock(env, lang_code=None):
    """Whether readers of ``lang_code`` read times on a 12-hour clock (AM/PM)."""
    time_format = _lang(env, lang_code).time_format or ""
    return "%I" in time_format or "%p" in time_format


def _localized(value, tz):
    """``value`` (a naive UTC datetime as Odoo stores it, or an aware one) in zone ``tz``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(tz or "UTC"))


def format_clock(env, value, tz, lang_code=None):
    """The time of day of ``value`` in ``tz``: ``"9:00 AM"`` or ``"09:00"``."""
    lang = _lang(env, lang_code)
    pattern = CLOCK_12H if uses_12h_clock(env, lang.code) else CLOCK_24H
    return babel.dates.format_time(_localized(value, tz), pattern, locale=babel_locale_parse(lang.code))


def format_day(env, value, tz, lang_code=None):
    """The day of ``value`` in ``tz``, written out: ``"Monday, January 7, 2030"``."""
    lang = _lang(env, lang_code)
    local = _localized(value, tz)
    return babel.dates.format_date(local.date(), "full", locale=babel_locale_parse(lang.code))


def format_when(env, start, tz, lang_code=None, stop=None, show_tz=True):
    """A moment (or, with ``stop``, a time span on one day) for a reader of ``lang_code`` in
    zone ``tz``: ``"Monday, January 7, 2030, 9:00 AM – 9:30 AM (Europe/Oslo)"``,
    ``"mandag 7. januar 2030, 09:00 – 09:30 (Europe/Oslo)"``."""
    if not start:
        return ""
    tz = tz or "UTC"
    lang = _lang(env, lang_code)
    locale = babel_locale_parse(lang.code)
    clock = format_clock(env, start, tz, lang.code)
    if stop:
        clock = f"{clock} – {format_clock(env, stop, tz, lang.code)}"
    # The language's own glue between a date and a time ("{1}, {0}" in most languages).
    glue = str(locale.datetime_formats.get("medium") or "{1}, {0}")
    text = glue.replace("{1}", format_day(env, start, tz, lang.code)).replace("{0}", clock).replace("'", "")
    return f"{text} ({tz})" if show_tz else text
