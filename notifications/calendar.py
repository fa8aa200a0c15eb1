"""iCalendar documents from plain data: files, feeds and invitations (RFC 5545, 5546, 7986).

This module knows nothing of the apps that use it. They describe each entry as a
``CalendarEvent`` and get back bytes: a file to download, a feed to subscribe to, or an iTIP
message (``METHOD:REQUEST``/``CANCEL``) to send by email. Escaping, folding at 75 octets and the
``VTIMEZONE`` components are left to the icalendar library.

The output is a pure function of its input: no "now", no random identifiers. Feeds built twice
from unchanged records are byte-identical, which is what lets ``ETag`` and ``Last-Modified`` hold
and calendar apps that poll get ``304 Not Modified``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vRecur, vText
from icalendar.caselessdict import canonsort_keys

PRODID = "-//District Women's Federation//Volunteer platform//EN"

STATUS_CONFIRMED = "CONFIRMED"
STATUS_TENTATIVE = "TENTATIVE"
STATUS_CANCELLED = "CANCELLED"

METHOD_PUBLISH = "PUBLISH"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
ITIP_METHODS = (METHOD_REQUEST, METHOD_CANCEL)


@dataclass(frozen=True)
class CalendarPerson:
    """An organizer or attendee (RFC 5545 CAL-ADDRESS, always ``mailto:``)."""

    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"
    partstat: str = "ACCEPTED"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. Times are aware datetimes; they are written on the wall clock of ``tz``.

    ``last_modified`` is the time of the record's last change: it becomes both ``DTSTAMP`` and
    ``LAST-MODIFIED``, so that an unchanged record gives an unchanged entry. ``sequence`` must
    grow with every change the attendee should notice (RFC 5546 §2.1.4).
    """

    uid: str
    starts_at: datetime
    ends_at: datetime
    tz: str
    summary: str
    last_modified: datetime
    sequence: int = 0
    created: datetime | None = None
    description: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    url: str = ""
    status: str = STATUS_CONFIRMED
    categories: tuple[str, ...] = ()
    # Recurrence (a series): the RRULE value without the "RRULE:" prefix, and the starts of the
    # occurrences that do not take place.
    rrule: str = ""
    exdates: tuple[datetime, ...] = ()
    # An override of one occurrence of a series: the start the rule gave it.
    recurrence_id: datetime | None = None
    alarm_minutes: int | None = None
    alarm_text: str = ""
    organizer: CalendarPerson | None = None
    attendees: tuple[CalendarPerson, ...] = field(default_factory=tuple)


class FeedProvider(Protocol):
    """A source of entries for a person's feed (her shifts; later, mediation sessions).

    ``version`` is cheap (one query): it changes whenever ``events`` would change, and its
    ``newest`` is the time of the latest change. Providers are listed in the setting
    ``CALENDAR_FEED_PROVIDERS`` as dotted paths.
    """

    def version(self, *, user) -> FeedVersion: ...

    def events(self, *, user) -> list[CalendarEvent]: ...


@dataclass(frozen=True)
class FeedVersion:
    newest: datetime | None
    key: str


def feed_providers() -> list[FeedProvider]:
    return [import_string(path)() for path in settings.CALENDAR_FEED_PROVIDERS]


@lru_cache(maxsize=32)
def _vtimezone(tzid: str) -> Timezone:
    # Computing the transitions takes milliseconds; the library asks callers to cache them.
    return Timezone.from_tzid(tzid)


def _local(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz)


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(microsecond=0)


def _address(person: CalendarPerson, *, organizer: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    if not organizer:
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["ROLE"] = person.role
        address.params["PARTSTAT"] = person.partstat
        address.params["RSVP"] = "FALSE"
    return address


def _properties(event: CalendarEvent, method: str | None) -> list[tuple[str, Hashable]]:
    """The VEVENT's properties as ``(name, value)`` in the order they are added, each value a
    plain hashable one (``_property_add`` makes the library's value of it)."""
    tz = ZoneInfo(event.tz)
    found: list[tuple[str, Hashable]] = [
        ("UID", event.uid),
        ("DTSTAMP", _utc(event.last_modified)),
    ]
    if event.created is not None:
        found.append(("CREATED", _utc(event.created)))
    found.append(("LAST-MODIFIED", _utc(event.last_modified)))
    found.append(("SEQUENCE", event.sequence))
    if event.recurrence_id is not None:
        found.append(("RECURRENCE-ID", _local(event.recurrence_id, tz)))
    found.append(("DTSTART", _local(event.starts_at, tz)))
    found.append(("DTEND", _local(event.ends_at, tz)))
    if event.rrule:
        found.append(("RRULE", event.rrule.removeprefix("RRULE:")))
    found.extend(("EXDATE", _local(exdate, tz)) for exdate in event.exdates)
    found.append(("SUMMARY", event.summary))
    if event.description:
        found.append(("DESCRIPTION", event.description))
    if event.location:
        found.append(("LOCATION", event.location))
    if event.geo is not None:
        found.append(("GEO", event.geo))
    if event.url:
        found.append(("URL", event.url))
    if event.categories:
        found.append(("CATEGORIES", event.categories))
    found.append(("STATUS", STATUS_CANCELLED if method == METHOD_CANCEL else event.status))
    found.append(("CLASS", "PUBLIC"))
    found.append(("TRANSP", "OPAQUE"))
    if method in ITIP_METHODS:
        if event.organizer is None or not event.attendees:
            raise ValueError("An invitation needs an organizer and at least one attendee.")
        found.append(("ORGANIZER", event.organizer))
        found.extend(("ATTENDEE", attendee) for attendee in event.attendees)
    elif event.organizer is not None:
        found.append(("ORGANIZER", event.organizer))
    return found


def _property_add(component: Event, name: str, value: Hashable) -> None:
    if name in ("ORGANIZER", "ATTENDEE"):
        component.add(name, _address(value, organizer=name == "ORGANIZER"))
    elif name == "RRULE":
        component.add(name, vRecur.from_ical(value))
    elif name == "CATEGORIES":
        component.add(name, list(value))
    else:
        component.add(name, value)


def _alarm(event: CalendarEvent, method: str | None) -> tuple[str, int] | None:
    """The reminder's text and minutes before the start, if the entry has one."""
    if event.alarm_minutes is None or method == METHOD_CANCEL:
        return None
    return event.alarm_text or event.summary, event.alarm_minutes


def _alarm_component(text: str, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def event_component(event: CalendarEvent, *, method: str | None = None) -> Event:
    """The VEVENT for ``event``. Attendees are written only in iTIP messages (RFC 5546)."""
    component = Event()
    for name, value in _properties(event, method):
        _property_add(component, name, value)
    alarm = _alarm(event, method)
    if alarm is not None:
        component.add_component(_alarm_component(*alarm))
    return component


def _calendar_shell(
    tzids: Iterable[str],
    *,
    method: str | None,
    name: str,
    description: str,
    refresh: timedelta | None,
    url: str,
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        # NAME (RFC 7986) and X-WR-CALNAME, which Apple, Google and Outlook read.
        calendar.calendar_name = name
    if description:
        calendar.add("x-wr-caldesc", vText(description))
        calendar.add("description", description)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    if url:
        calendar.add("source", url, parameters={"VALUE": "URI"})
    # Sorted so that a calendar with several zones comes out the same every time.
    # UTC times are written with "Z" and need no VTIMEZONE (RFC 5545 §3.2.19).
    for tzid in sorted(set(tzids) - {"UTC"}):
        calendar.add_component(_vtimezone(tzid))
    return calendar


def calendar_build(
    events: Iterable[CalendarEvent],
    *,
    method: str | None = METHOD_PUBLISH,
    name: str = "",
    description: str = "",
    refresh: timedelta | None = None,
    url: str = "",
) -> Calendar:
    """A VCALENDAR holding ``events``, with a VTIMEZONE for every time zone they use."""
    events = list(events)
    calendar = _calendar_shell(
        (e.tz for e in events),
        method=method,
        name=name,
        description=description,
        refresh=refresh,
        url=url,
    )
    for event in events:
        calendar.add_component(event_component(event, method=method))
    return calendar


@lru_cache(maxsize=20_000)
def _event_bytes(event: CalendarEvent, method: str | None) -> bytes:
    """``event_component(event, method=method).to_ical()``, byte for byte, each property's
    line serialised once per process: the invitations of one slot share all their lines but
    her name, address and entry's UID (and the feeds' entries of one slot most of theirs)."""
    lines: dict[str, list[bytes]] = {}
    for name, value in _properties(event, method):
        lines.setdefault(name, []).append(_property_line(name, value, _written_as(value)))
    # The library's order: its canonical properties first, then the others by name.
    body = b"".join(
        line for name in canonsort_keys(list(lines), Event.canonical_order) for line in lines[name]
    )
    alarm = _alarm(event, method)
    return (
        b"BEGIN:VEVENT\r\n"
        + body
        + (_alarm_bytes(*alarm) if alarm is not None else b"")
        + b"END:VEVENT\r\n"
    )


def _written_as(value: Hashable) -> tuple:
    """What equal values may still differ in when written: their types (1 and 1.0), and the
    zone an instant is written in (equal instants in two zones are equal values)."""
    items = value if isinstance(value, tuple) else (value,)
    return tuple((type(v).__name__, str(getattr(v, "tzinfo", "") or "")) for v in items)


@lru_cache(maxsize=50_000)
def _property_line(name: str, value: Hashable, _written: tuple) -> bytes:
    component = Event()
    _property_add(component, name, value)
    return component.content_line(name, component[name]).to_ical() + b"\r\n"


@lru_cache(maxsize=256)
def _alarm_bytes(text: str, minutes: int) -> bytes:
    return _alarm_component(text, minutes).to_ical()


_END = b"END:VCALENDAR\r\n"


def calendar_bytes(
    events: Iterable[CalendarEvent],
    *,
    method: str | None = METHOD_PUBLISH,
    name: str = "",
    description: str = "",
    refresh: timedelta | None = None,
    url: str = "",
) -> bytes:
    """``calendar_build(...).to_ical()``, byte for byte, with each VEVENT serialised once.

    Serialising is most of a feed's cost, and feeds are fetched again and again with most
    entries unchanged; an entry is a frozen value, so its bytes are kept (per process) under it.
    """
    events = list(events)
    shell = _shell_bytes(
        tuple(sorted({e.tz for e in events})), method, name, description, refresh, url
    )
    body = b"".join(_event_bytes(event, method) for event in events)
    return shell + body + _END


@lru_cache(maxsize=256)
def _shell_bytes(
    tzids: tuple[str, ...],
    method: str | None,
    name: str,
    description: str,
    refresh: timedelta | None,
    url: str,
) -> bytes:
    """The calendar around the events, without its end: the same for every invitation in one
    zone (its VTIMEZONE is most of an invitation's cost), so serialised once per process."""
    shell = _calendar_shell(
        tzids, method=method, name=name, description=description, refresh=refresh, url=url
    ).to_ical()
    if not shell.endswith(_END):
        raise ValueError("unexpected end of calendar")
    return shell[: -len(_END)]


def invitation_bytes(event: CalendarEvent, *, method: str) -> bytes:
    """An iTIP message (RFC 5546) for one attendee: the event, or its cancellation."""
    if method not in ITIP_METHODS:
        raise ValueError(f"method must be one of {ITIP_METHODS}")
    return calendar_bytes([event], method=method)


def invitation_message(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    ics: str,
    method: str,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """An email that mail programs show as an invitation: the iTIP part inline as
    ``text/calendar; method=…`` and the same data as an ``.ics`` attachment for the others."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    message.attach_alternative(ics, f"text/calendar; method={method}")
    filename = "cancel.ics" if method == METHOD_CANCEL else "invite.ics"
    message.attach(filename, ics.encode("utf-8"), "application/ics")
    return message
