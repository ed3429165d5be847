"""The .ics builder (engine/ics.py): what a guest's calendar reads from the file."""

from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.ics import booking_ics

UTC = timezone.utc
START = datetime(2030, 5, 31, 7, 0)


def build(**kw):
    values = {
        "uid": "bookme-7-abc@crm_bookme",
        "state": "confirmed",
        "start": START,
        "stop": START + timedelta(minutes=30),
        "stamp": datetime(2030, 5, 1, 12, 0),
        "summary": "Consultation – Ann",
        "description": "Consultation\nManage your booking: https://x/book/booking/t",
        "location": "Room 1 https://meet.example/abc",
        "url": "https://x/book/booking/t",
        "sequence": 42,
        "organizer": ("host@example.com", "Hope Host"),
        "attendee": ("ann@example.com", "Ann"),
    }
    values.update(kw)
    cal = icalendar.Calendar.from_ical(booking_ics(**values))
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_confirmed_booking_is_published_with_its_times_people_and_link():
    cal, event = build()
    assert str(cal["method"]) == "PUBLISH"
    assert str(cal["prodid"]) == "-//Book Me//crm_bookme//EN"
    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstart") == START.replace(tzinfo=UTC)
    assert event.decoded("dtend") == START.replace(tzinfo=UTC) + timedelta(minutes=30)
    assert str(event["uid"]) == "bookme-7-abc@crm_bookme"
    assert str(event["summary"]) == "Consultation – Ann"
    assert str(event["location"]) == "Room 1 https://meet.example/abc"
    assert str(event["url"]) == "https://x/book/booking/t"
    assert "Manage your booking" in str(event["description"])
    assert int(event["sequence"]) == 42
    assert str(event["organizer"]) == "MAILTO:host@example.com"
    assert event["organizer"].params["cn"] == "Hope Host"
    assert str(event["attendee"]) == "MAILTO:ann@example.com"
    assert event["attendee"].params["cn"] == "Ann"


@pytest.mark.parametrize(
    ("state", "method", "status"),
    [
        ("cancelled", "CANCEL", "CANCELLED"),
        ("declined", "CANCEL", "CANCELLED"),
        ("requested", "PUBLISH", "TENTATIVE"),
        ("done", "PUBLISH", "CONFIRMED"),
    ],
)
def test_state_decides_method_and_status(state, method, status):
    cal, event = build(state=state)
    assert str(cal["method"]) == method
    assert str(event["status"]) == status


def test_aware_times_are_written_in_utc():
    brussels = timezone(timedelta(hours=2))
    _cal, event = build(
        start=datetime(2030, 5, 31, 9, 0, tzinfo=brussels), stop=datetime(2030, 5, 31, 9, 30, tzinfo=brussels)
    )
    assert event.decoded("dtstart") == datetime(2030, 5, 31, 7, 0, tzinfo=UTC)


def test_no_location_no_email_leave_the_lines_out():
    _cal, event = build(location="", organizer=(False, "Hope Host"), attendee=None)
    assert "location" not in event
    assert "organizer" not in event
    assert "attendee" not in event


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r\\")
    | st.sampled_from("\n,;:"),
    min_size=1,
    max_size=200,
)


@given(text=TEXT)
def test_any_text_round_trips(text):
    """Commas, semicolons, line breaks and non-ASCII in what the guest typed read back
    unchanged (backslashes: see the next test)."""
    _cal, event = build(summary=text, description=text, location=text)
    for key in ("summary", "description", "location"):
        assert str(event[key]) == text


def test_backslash_is_escaped_before_the_comma():
    """RFC 5545 escaping of a backslash next to a comma (icalendar's own parser reads
    ``\\\\\\,`` back wrongly, so the written line is checked instead)."""
    values = {"uid": "u", "state": "confirmed", "start": START, "stop": START + timedelta(hours=1)}
    raw = booking_ics(**values, stamp=START, summary="a\\,b")
    assert b"SUMMARY:a\\\\\\,b\r\n" in raw
    # a typed backslash-N stays two characters (icalendar alone would make it a line break)
    raw = booking_ics(**values, stamp=START, summary="a\\Nb")
    assert b"SUMMARY:a\\\\Nb\r\n" in raw
