"""notifications.calendar: iCalendar from plain data, read back by icalendar and vobject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest

from notifications.calendar import (
    METHOD_CANCEL,
    METHOD_REQUEST,
    STATUS_CANCELLED,
    CalendarEvent,
    CalendarPerson,
    calendar_build,
    calendar_bytes,
    event_from_data,
    event_to_data,
    invitation_bytes,
    invitation_message,
)

from .ical_checks import parse_strict, raw_lines, vobject_events

CHANGED = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
TRICKY = "洋妈妈文化交流, 第二期; 欢迎\n第二行：带上孩子 \\ 以及朋友"


def make_event(**overrides) -> CalendarEvent:
    values = dict(
        uid="slot-7-volunteer-3@example.org",
        starts_at=datetime(2026, 3, 10, 11, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 10, 13, 0, tzinfo=UTC),
        tz="Asia/Shanghai",
        summary=TRICKY,
        description="Your role: 讲师\n" + "很长的说明文字，" * 30,
        location="幸福路 88 号, 妇女之家",
        geo=(31.230416, 121.473701),
        url="https://example.org/slots/7/",
        sequence=2,
        created=CHANGED - timedelta(days=3),
        last_modified=CHANGED,
        alarm_minutes=120,
        alarm_text="Reminder",
        organizer=CalendarPerson(email="noreply@example.org", name="妇联志愿者"),
        attendees=(CalendarPerson(email="li.na@example.org", name="李娜"),),
    )
    values.update(overrides)
    return CalendarEvent(**values)


def test_an_event_reads_back_with_every_field():
    data = calendar_bytes([make_event()], name="我的岗位")
    calendar = parse_strict(data)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "slot-7-volunteer-3@example.org"
    assert str(event["SUMMARY"]) == TRICKY
    assert str(event["LOCATION"]) == "幸福路 88 号, 妇女之家"
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTSTAMP") == CHANGED
    assert event.decoded("LAST-MODIFIED") == CHANGED
    assert event["SEQUENCE"] == 2
    assert (event["GEO"].latitude, event["GEO"].longitude) == (31.230416, 121.473701)
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(hours=-2)
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "ATTENDEE" not in event  # published entries name no attendees (RFC 5546)

    [vevent] = vobject_events(data)
    assert vevent.summary.value == TRICKY
    assert vevent.location.value == "幸福路 88 号, 妇女之家"
    assert vevent.dtstart.value == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def test_text_is_escaped_and_lines_are_folded_at_75_octets():
    data = calendar_bytes([make_event()])
    lines = raw_lines(data)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the long description is folded"
    # Folding never splits a UTF-8 character: every physical line decodes on its own.
    for line in lines:
        line.decode("utf-8")
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    assert "SUMMARY:洋妈妈文化交流\\, 第二期\\; 欢迎\\n第二行：带上孩子 \\\\ 以及朋友" in unfolded


def test_every_time_zone_used_gets_its_vtimezone_in_a_stable_order():
    events = [
        make_event(uid="a@x", tz="Europe/Berlin"),
        make_event(uid="b@x", tz="Asia/Shanghai"),
        make_event(uid="c@x", tz="America/New_York"),
    ]
    data = calendar_bytes(events)
    calendar = parse_strict(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
        "America/New_York",
        "Asia/Shanghai",
        "Europe/Berlin",
    ]
    assert calendar_bytes(list(reversed(events))).count(b"BEGIN:VTIMEZONE") == 3


def test_the_same_input_gives_the_same_bytes():
    events = [make_event(uid=f"{n}@x") for n in range(3)]
    assert calendar_bytes(events, name="x") == calendar_bytes(events, name="x")
    assert b"UID:" not in calendar_bytes(events).split(b"BEGIN:VTIMEZONE")[0]


def test_a_series_carries_its_rule_exceptions_and_an_override():
    tz_start = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 19:00 in Shanghai
    master = make_event(
        uid="activity-1@x",
        starts_at=tz_start,
        ends_at=tz_start + timedelta(hours=2),
        rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330T155959Z",
        exdates=(tz_start + timedelta(weeks=1),),
        alarm_minutes=None,
    )
    override = make_event(
        uid="activity-1@x",
        recurrence_id=tz_start + timedelta(weeks=2),
        starts_at=tz_start + timedelta(weeks=2),
        ends_at=tz_start + timedelta(weeks=2, hours=2),
        status=STATUS_CANCELLED,
        alarm_minutes=None,
    )
    calendar = parse_strict(calendar_bytes([master, override]))
    first, second = calendar.walk("VEVENT")
    assert first["RRULE"]["FREQ"] == ["WEEKLY"]
    assert first["EXDATE"].dts[0].dt == tz_start + timedelta(weeks=1)
    assert first["EXDATE"].params["TZID"] == "Asia/Shanghai"
    assert second.decoded("RECURRENCE-ID") == tz_start + timedelta(weeks=2)
    assert str(second["STATUS"]) == "CANCELLED"


def test_an_invitation_names_organizer_and_attendee_and_its_method():
    data = invitation_bytes(make_event(), method=METHOD_REQUEST)
    calendar = parse_strict(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:noreply@example.org"
    assert str(event["ATTENDEE"]) == "mailto:li.na@example.org"
    assert event["ATTENDEE"].params["CN"] == "李娜"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"

    cancel = parse_strict(invitation_bytes(make_event(), method=METHOD_CANCEL))
    [event] = cancel.walk("VEVENT")
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert not event.walk("VALARM")


def test_an_invitation_without_attendee_is_refused():
    with pytest.raises(ValueError):
        invitation_bytes(make_event(attendees=()), method=METHOD_REQUEST)
    with pytest.raises(ValueError):
        invitation_bytes(make_event(), method="PUBLISH")


def test_the_email_carries_an_inline_itip_part_and_an_attachment():
    ics = invitation_bytes(make_event(), method=METHOD_REQUEST).decode()
    message = invitation_message(
        to=["li.na@example.org"], subject="岗位确认", body="正文", ics=ics, method=METHOD_REQUEST
    )
    parsed = message_from_bytes(message.message().as_bytes())
    parts = {part.get_content_type(): part for part in parsed.walk()}
    calendar_part = parts["text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    inline = calendar_part.get_payload(decode=True)
    # Mail moves lines to the transport's line ending; the folded lines stay intact.
    assert inline.decode("utf-8").replace("\r\n", "\n") == ics.replace("\r\n", "\n")
    assert str(parse_strict(inline.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))["METHOD"]) == (
        "REQUEST"
    )
    attachment = parts["application/ics"]
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True).decode("utf-8") == ics
    assert parts["text/plain"].get_payload(decode=True).decode("utf-8") == "正文"


def test_bytes_are_exactly_what_the_library_writes_for_the_whole_calendar():
    events = [make_event(uid=f"{n}@x", tz=tz) for n, tz in enumerate(["Asia/Shanghai", "UTC"])]
    options = dict(
        name="我的岗位", description="说明", refresh=timedelta(hours=1), url="https://x/"
    )
    assert calendar_bytes(events, **options) == calendar_build(events, **options).to_ical()
    assert calendar_bytes([], name="空") == calendar_build([], name="空").to_ical()


def test_utc_times_need_no_vtimezone():
    calendar = parse_strict(calendar_bytes([make_event(tz="UTC")]))
    assert calendar.walk("VTIMEZONE") == []
    assert b"DTSTART:20260310T110000Z" in calendar.to_ical()


def test_an_entry_kept_as_data_gives_back_the_same_invitation():
    """An outbox row keeps the entry as JSON data; the invitation sent later is byte for byte
    the one the entry gave when it was queued, in another zone and with a series' fields too."""
    import json

    series = make_event(
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=(datetime(2026, 3, 17, 11, 0, tzinfo=UTC),),
        recurrence_id=datetime(2026, 3, 10, 11, 0, tzinfo=UTC),
        categories=("文化", "Culture"),
    )
    for event in (make_event(), series, make_event(geo=None, created=None, organizer=None)):
        kept = event_from_data(json.loads(json.dumps(event_to_data(event))))
        assert kept == event
        if event.organizer is not None:
            for method in (METHOD_REQUEST, METHOD_CANCEL):
                assert invitation_bytes(kept, method=method) == invitation_bytes(
                    event, method=method
                )
        assert calendar_bytes([kept]) == calendar_bytes([event])
