"""A booking as an iCalendar file (RFC 5545), from plain values.

No Odoo import: ``bookme.booking._bookme_ics`` reads the record and calls
:func:`booking_ics`; tested by ``tests/engine/test_ics.py``. It needs the ``icalendar``
package (unlike the rest of the engine, which is standard library only), so it is not
imported by :mod:`crm_bookme.engine` itself.
"""

from datetime import timezone

import icalendar

UTC = timezone.utc
PRODID = "-//Book Me//crm_bookme//EN"
# A booking's state -> the event's STATUS (anything else: CONFIRMED).
STATUS = {"cancelled": "CANCELLED", "declined": "CANCELLED", "requested": "TENTATIVE"}


def _utc(value):
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Text(icalendar.vText):
    """Text escaped as RFC 5545 says, and only so: icalendar's own escaping first turns a
    typed backslash-N into a line break (``a\\Nb`` would read as two lines)."""

    def to_ical(self):
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return text.replace("\r\n", "\\n").replace("\n", "\\n").encode(self.encoding)


def booking_ics(
    *,
    uid,
    state,
    start,
    stop,
    stamp,
    summary,
    description="",
    location="",
    url=None,
    sequence=0,
    organizer=None,
    attendee=None,
):
    """The iCalendar file (bytes) of one booking.

    ``start``, ``stop``, ``stamp``: datetimes (naive ones are UTC); ``state``: the booking's
    state (a cancelled or declined booking is a ``METHOD:CANCEL`` with
    ``STATUS:CANCELLED``, a request ``TENTATIVE``); ``organizer`` and ``attendee``:
    ``(email, name)`` pairs, or None/an empty email to leave them out.
    """
    status = STATUS.get(state, "CONFIRMED")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if status == "CANCELLED" else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(start))
    event.add("dtend", _utc(stop))
    event.add("summary", _Text(summary))
    event.add("sequence", sequence)
    event.add("status", status)
    if location:
        event.add("location", _Text(location))
    event.add("description", _Text(description))
    if url:
        event.add("url", url)
    for role, person in (("organizer", organizer), ("attendee", attendee)):
        email, name = person or (None, None)
        if email:
            address = icalendar.vCalAddress(f"MAILTO:{email}")
            address.params["cn"] = icalendar.vText(name or email)
            event.add(role, address)
    cal.add_component(event)
    return cal.to_ical()
