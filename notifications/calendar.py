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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vRecur, vText

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
    ``newest`` is the time of the latest change; its ``entries`` is False when it already
    shows that ``events`` would be empty (most people have no mediation sessions), and the feed
    then does not ask for them. Providers are listed in the setting ``CALENDAR_FEED_PROVIDERS``
    as dotted paths.
    """

    def version(self, *, user) -> FeedVersion: ...

    def events(self, *, user) -> list[CalendarEvent]: ...


@dataclass(frozen=True)
class FeedVersion:
    newest: datetime | None
    key: str
    entries: bool = True  # False: the provider has nothing for her (``events`` would be [])


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


def event_component(event: CalendarEvent, *, method: str | None = None) -> Event:
    """The VEVENT for ``event``. Attendees are written only in iTIP messages (RFC 5546)."""
    tz = ZoneInfo(event.tz)
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", _utc(event.last_modified))
    if event.created is not None:
        component.add("created", _utc(event.created))
    component.add("last-modified", _utc(event.last_modified))
    component.add("sequence", event.sequence)
    if event.recurrence_id is not None:
        component.add("recurrence-id", _local(event.recurrence_id, tz))
    component.add("dtstart", _local(event.starts_at, tz))
    component.add("dtend", _local(event.ends_at, tz))
    if event.rrule:
        component.add("rrule", vRecur.from_ical(event.rrule.removeprefix("RRULE:")))
    for exdate in event.exdates:
        component.add("exdate", _local(exdate, tz))
    component.add("summary", event.summary)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if event.geo is not None:
        component.add("geo", event.geo)
    if event.url:
        component.add("url", event.url)
    if event.categories:
        component.add("categories", list(event.categories))
    component.add("status", STATUS_CANCELLED if method == METHOD_CANCEL else event.status)
    component.add("class", "PUBLIC")
    component.add("transp", "OPAQUE")
    if method in ITIP_METHODS:
        if event.organizer is None or not event.attendees:
            raise ValueError("An invitation needs an organizer and at least one attendee.")
        component.add("organizer", _address(event.organizer, organizer=True))
        for attendee in event.attendees:
            component.add("attendee", _address(attendee, organizer=False))
    elif event.organizer is not None:
        component.add("organizer", _address(event.organizer, organizer=True))
    if event.alarm_minutes is not None and method != METHOD_CANCEL:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.alarm_text or event.summary)
        alarm.add("trigger", timedelta(minutes=-event.alarm_minutes))
        component.add_component(alarm)
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
    return event_component(event, method=method).to_ical()


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


_TIMES = ("starts_at", "ends_at", "last_modified", "created", "recurrence_id")


def event_to_data(event: CalendarEvent) -> dict:
    """``event`` as plain JSON data (times in ISO 8601 with their offset), so that a row can
    keep the entry exactly as it was and an invitation be built from it later, elsewhere:
    ``event_from_data`` gives back an equal entry, whose bytes are the same."""
    data = {name: getattr(event, name) for name in CalendarEvent.__dataclass_fields__}
    for name in _TIMES:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    data["exdates"] = [instant.isoformat() for instant in event.exdates]
    data["categories"] = list(event.categories)
    data["geo"] = list(event.geo) if event.geo is not None else None
    people = (event.organizer, *event.attendees)
    data["organizer"], *data["attendees"] = (
        None if person is None else person.__dict__.copy() for person in people
    )
    return data


def event_from_data(data: dict) -> CalendarEvent:
    """The entry that ``event_to_data`` wrote."""
    values = dict(data)
    for name in _TIMES:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    values["exdates"] = tuple(datetime.fromisoformat(x) for x in values.get("exdates", ()))
    values["categories"] = tuple(values.get("categories", ()))
    if values.get("geo") is not None:
        values["geo"] = tuple(values["geo"])
    if values.get("organizer") is not None:
        values["organizer"] = CalendarPerson(**values["organizer"])
    values["attendees"] = tuple(CalendarPerson(**a) for a in values.get("attendees", ()))
    return CalendarEvent(**values)


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
