"""A venue's public feed: each activity once, a series with its rule and its exceptions.

Only the occurrences the rule does not describe by itself are written out: moved ones, those
edited on their own, and cancelled ones, each as an override with its RECURRENCE-ID.
Mediation sessions never appear here.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.calendar import STATUS_CANCELLED, STATUS_CONFIRMED, CalendarEvent, calendar_bytes
from venues.models import Venue

from ..models import Activity, Slot
from .entries import (
    FEED_REFRESH,
    FeedState,
    absolute_url,
    etag_of,
    geo_of,
    kind_label,
    location_of,
    newest,
    organizer,
    settings_key,
    slot_page_url,
    slot_status,
    summary_of,
    tz_name,
    uid_domain,
)


def _venue_activities(venue: Venue):
    return Activity.objects.public().filter(venue=venue)


def venue_feed_state(*, venue: Venue) -> FeedState:
    figures = _venue_activities(venue).aggregate(
        n_activities=Count("id", distinct=True),
        n_slots=Count("slots"),
        a=Max("updated_at"),
        s=Max("slots__updated_at"),
    )
    stamps = [x for x in (figures["a"], figures["s"], venue.updated_at) if x is not None]
    newest = max(stamps)
    return FeedState(
        etag=etag_of(
            "venue",
            str(venue.pk),
            settings_key(),
            str(figures["n_activities"]),
            str(figures["n_slots"]),
            newest.isoformat(),
        ),
        last_modified=newest,
    )


def _local_exdates(activity: Activity, tz: ZoneInfo) -> tuple[datetime, ...]:
    """EXDATEs as the starts they cancel: the series' local start time on each excepted date."""
    local_start = activity.starts_at.astimezone(tz)
    days = sorted({date.fromisoformat(str(d)[:10]) for d in activity.exdates or ()})
    return tuple(datetime.combine(day, local_start.timetz().replace(tzinfo=tz)) for day in days)


def venue_page_url(venue: Venue) -> str:
    return absolute_url(reverse("venue_public", args=[venue.pk]))


def _activity_event(activity: Activity, venue: Venue, tz: str, **overrides) -> CalendarEvent:
    activity.venue = venue
    lines = []
    if activity.display_description:
        lines.append(activity.display_description)
    lines.append(location_of(activity))
    values = dict(
        uid=f"activity-{activity.pk}@{uid_domain()}",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        tz=tz,
        summary=summary_of(activity),
        description="\n".join(lines),
        location=location_of(activity),
        geo=geo_of(venue),
        status=STATUS_CANCELLED
        if activity.status == Activity.Status.CANCELLED
        else STATUS_CONFIRMED,
        categories=(kind_label(activity),),
        sequence=activity.sequence,
        created=activity.created_at,
        last_modified=newest(activity.updated_at, venue.updated_at),
        organizer=organizer(),
        url=venue_page_url(venue),
    )
    values.update(overrides)
    return CalendarEvent(**values)


def venue_feed_events(*, venue: Venue) -> list[CalendarEvent]:
    """One entry per activity; a series carries its rule, and its exceptions follow it."""
    tz = tz_name(venue)
    zone = ZoneInfo(tz)
    activities = list(_venue_activities(venue).order_by("starts_at", "id"))
    # Only the occurrences the rule does not describe by itself: moved, edited on their own,
    # cancelled, and the one occurrence of an activity that does not repeat.
    slots = (
        Slot.objects.public()
        .filter(activity__venue=venue)
        .filter(
            Q(status=Slot.Status.CANCELLED)
            | Q(detached=True)
            | ~Q(starts_at=F("original_start"))
            | Q(activity__rrule="")
        )
        .order_by("original_start", "id")
    )
    exceptions: dict[int, list[Slot]] = {}
    for slot in slots:
        exceptions.setdefault(slot.activity_id, []).append(slot)
    events: list[CalendarEvent] = []
    for activity in activities:
        own = exceptions.get(activity.pk, [])
        if not activity.rrule:
            slot = own[0] if own else None
            if slot is None:
                events.append(_activity_event(activity, venue, tz))
                continue
            status = slot_status(activity, slot)
            events.append(
                _activity_event(
                    activity,
                    venue,
                    tz,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    status=status,
                    sequence=activity.sequence + slot.sequence,
                    url=slot_page_url(slot),
                    last_modified=newest(activity.updated_at, venue.updated_at, slot.updated_at),
                )
            )
            continue
        events.append(
            _activity_event(
                activity,
                venue,
                tz,
                rrule=activity.rrule,
                exdates=_local_exdates(activity, zone),
            )
        )
        for slot in own:
            events.append(
                _activity_event(
                    activity,
                    venue,
                    tz,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    recurrence_id=slot.original_start,
                    status=slot_status(activity, slot),
                    sequence=activity.sequence + slot.sequence,
                    created=slot.created_at,
                    url=slot_page_url(slot),
                    last_modified=newest(activity.updated_at, venue.updated_at, slot.updated_at),
                )
            )
    return events


def venue_feed_ics(*, venue: Venue) -> bytes:
    return calendar_bytes(
        venue_feed_events(venue=venue),
        name=_("%(venue)s · activities") % {"venue": venue.display_name},
        description=venue.display_address,
        refresh=FEED_REFRESH,
        url=absolute_url(reverse("calendar_venue", args=[venue.pk])),
    )


def venue_for_calendar(*, venue_id: int) -> Venue | None:
    return Venue.objects.filter(pk=venue_id, is_active=True).first()
