"""Reading calendar output back the way calendar apps would: two independent parsers."""

from __future__ import annotations

import icalendar
import vobject
from django.db import connection


def parse_strict(data: bytes) -> icalendar.Calendar:
    """Parse with icalendar and with vobject; fail on any component that did not parse clean,
    a TZID without its VTIMEZONE, or a line longer than 75 octets (RFC 5545 §3.1)."""
    assert max(len(line) for line in data.splitlines()) <= 75
    calendar = icalendar.Calendar.from_ical(data)
    problems = [(c.name, c.errors) for c in calendar.walk() if c.errors]
    assert not problems, problems
    assert calendar.get_missing_tzids() == set()
    parsed = vobject.readOne(data.decode("utf-8"), validate=True)
    assert parsed.name == "VCALENDAR"
    return calendar


def vobject_events(data: bytes) -> list:
    return list(vobject.readOne(data.decode("utf-8")).contents.get("vevent", []))


def raw_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data.split(b"\r\n")[:-1]


def count_queries(request) -> int:
    """SQL statements run by ``request()`` (Django clears its own log when a request starts)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        request()
    return count
