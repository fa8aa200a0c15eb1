"""One slot as a calendar entry, and the pieces every calendar entry of this app is made of.

A person's entry for a slot she holds has a UID per slot and person (the same in the
invitation, her feed and her download), her role in the text and an alarm; anyone else gets the
slot's public entry. Confidential kinds (mediation, counselling): their entries say the kind
of session, the place and the time, nothing more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from notifications.calendar import (
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    STATUS_TENTATIVE,
    CalendarEvent,
    CalendarPerson,
    FeedVersion,
    calendar_bytes,
)
from venues.models import Venue

from ..models import Activity, Assignment, Slot, SlotRole

FEED_REFRESH = timedelta(hours=1)


# --- Small pieces ----------------------------------------------------------------------------


def uid_domain() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def slot_page_url(slot: Slot) -> str:
    """The slot's own page: sign-up, details, check-in."""
    return absolute_url(reverse("slot_detail", args=[slot.pk]))


@lru_cache(maxsize=4)
def _address(value: str) -> tuple[str, str]:
    return parseaddr(value)


def organizer() -> CalendarPerson:
    name, email = _address(settings.DEFAULT_FROM_EMAIL)
    return CalendarPerson(email=email, name=name or _("Women's Federation volunteers"))


def tz_name(venue: Venue) -> str:
    try:
        ZoneInfo(venue.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return settings.TIME_ZONE
    return venue.timezone


def kind_label(activity: Activity) -> str:
    # Straight from the enum: get_kind_display() rebuilds its lookup on every call, which
    # shows in a feed of a thousand entries.
    try:
        return str(Activity.Kind(activity.kind).label)
    except ValueError:
        return activity.kind


def is_confidential(activity: Activity) -> bool:
    return activity.is_confidential


def summary_of(activity: Activity) -> str:
    if is_confidential(activity):
        return kind_label(activity)
    return activity.display_title


def location_of(activity: Activity) -> str:
    venue = activity.venue
    parts = [venue.display_name, venue.display_address]
    return ", ".join(p for p in parts if p)


def geo_of(venue: Venue) -> tuple[float, float] | None:
    if venue.latitude is None or venue.longitude is None:
        return None
    return (float(venue.latitude), float(venue.longitude))


def role_label(role: SlotRole) -> str:
    return role.display_name


def newest(*instants: datetime | None) -> datetime:
    return max(i for i in instants if i is not None)


def _alarm_text(activity: Activity, starts_at: datetime, tz: str) -> str:
    local = timezone.localtime(starts_at, ZoneInfo(tz))
    return _("%(title)s starts at %(time)s at %(place)s.") % {
        "title": summary_of(activity),
        "time": local.strftime("%H:%M"),
        "place": activity.venue.display_name,
    }


def slot_status(activity: Activity, slot: Slot) -> str:
    if slot.status == Slot.Status.CANCELLED or activity.status == Activity.Status.CANCELLED:
        return STATUS_CANCELLED
    return STATUS_CONFIRMED


# --- One slot --------------------------------------------------------------------------------


def person_uid(*, slot_id: int, volunteer_id: int) -> str:
    """Her entry for this slot: the same in the invitation, the feed and the download."""
    return f"slot-{slot_id}-volunteer-{volunteer_id}@{uid_domain()}"


def slot_event(*, slot: Slot, assignment: Assignment | None = None, user=None) -> CalendarEvent:
    """The entry for one slot; with ``assignment`` (hers, and ``user`` her account), her own.

    SEQUENCE adds the activity's, the slot's and the assignment's counters: each only grows,
    and the invitations raise the assignment's with every message they send.
    """
    activity = slot.activity
    venue = activity.venue
    tz = tz_name(venue)
    confidential = is_confidential(activity)
    status = slot_status(activity, slot)
    lines: list[str] = []
    if assignment is not None:
        label = role_label(assignment.role)
        if assignment.status == Assignment.Status.WAITLISTED:
            if status == STATUS_CONFIRMED:
                status = STATUS_TENTATIVE
            lines.append(_("You are on the waiting list as: %(role)s") % {"role": label})
        else:
            lines.append(_("Your role: %(role)s") % {"role": label})
    if status == STATUS_CANCELLED:
        lines.append(_("This shift has been cancelled."))
    lines.append(location_of(activity))
    if not confidential and activity.display_description:
        lines.append(activity.display_description)
    url = slot_page_url(slot)
    lines.append(_("Details and check-in: %(url)s") % {"url": url})
    return CalendarEvent(
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        tz=tz,
        summary=summary_of(activity),
        description="\n".join(lines),
        location=location_of(activity),
        geo=geo_of(venue),
        url=url,
        status=status,
        categories=(kind_label(activity),),
        alarm_minutes=settings.CALENDAR_ALARM_MINUTES if status != STATUS_CANCELLED else None,
        alarm_text=_alarm_text(activity, slot.starts_at, tz),
        organizer=organizer(),
        **_own_fields(slot=slot, assignment=assignment, user=user),
    )


def slot_event_alike(
    event: CalendarEvent, *, slot: Slot, assignment: Assignment, user
) -> CalendarEvent:
    """``slot_event(slot=slot, assignment=assignment, user=user)``, made from ``event``, the
    entry of another person with the same role and status on ``slot``, in the same language:
    only what is hers is written again."""
    return replace(event, **_own_fields(slot=slot, assignment=assignment, user=user))


def _own_fields(*, slot: Slot, assignment: Assignment | None, user) -> dict:
    """What differs between two people's entries for the same role of a slot."""
    activity = slot.activity
    attendees: tuple[CalendarPerson, ...] = ()
    if assignment is not None and user is not None:
        attendees = (CalendarPerson(email=user.email, name=user.name or user.email),)
    return {
        "uid": person_uid(slot_id=slot.pk, volunteer_id=assignment.volunteer_id)
        if assignment is not None
        else f"slot-{slot.pk}@{uid_domain()}",
        "sequence": activity.sequence
        + slot.sequence
        + (assignment.sequence if assignment is not None else 0),
        "created": assignment.created_at if assignment is not None else slot.created_at,
        "last_modified": newest(
            slot.updated_at,
            activity.updated_at,
            activity.venue.updated_at,
            assignment.updated_at if assignment is not None else None,
        ),
        "attendees": attendees,
    }


def slot_for_calendar(*, slot_id: int) -> Slot | None:
    return (
        Slot.objects.select_related("activity__venue")
        .filter(pk=slot_id, activity__venue__is_active=True)
        .first()
    )


def assignment_of(*, slot: Slot, user) -> Assignment | None:
    """Her live assignment on the slot, if she is a volunteer holding or awaiting a seat."""
    if not user.is_authenticated:
        return None
    return (
        Assignment.objects.select_related("role__skill")
        .filter(slot=slot, volunteer__user=user)
        .exclude(status=Assignment.Status.CANCELLED)
        .first()
    )


def slot_ics(*, slot: Slot, assignment: Assignment | None = None, user=None) -> bytes:
    event = slot_event(slot=slot, assignment=assignment, user=user)
    return calendar_bytes([event], name=event.summary)


# --- What both feeds share -------------------------------------------------------------------


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime | None
    # A person's feed: each provider's version, in the order of ``feed_providers()``.
    versions: tuple[FeedVersion, ...] = ()


def etag_of(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def settings_key() -> str:
    return f"{settings.CALENDAR_ALARM_MINUTES}|{settings.PUBLIC_BASE_URL}|{get_language()}"
