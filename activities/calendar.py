"""Slots, activities and assignments as calendar entries, and the feeds made of them.

``notifications.calendar`` writes iCalendar from plain ``CalendarEvent`` values; this module says
what each entry holds:

- a person's entry for a slot she holds (UID per slot and person, her role in the text, an alarm);
- a slot for anyone ("Add to calendar" without signing in);
- a venue's activities as series: one VEVENT per activity with its RRULE and EXDATEs, and an
  override (RECURRENCE-ID) for each occurrence that was moved, edited on its own or cancelled.

Mediation sessions are confidential: their entries carry the kind of session and the time only,
and they never appear in a venue's public feed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import segno
from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.urls import NoReverseMatch, reverse
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
    feed_providers,
)
from venues.models import Venue

from .models import Activity, Assignment, Slot, SlotRole

PERSONAL_STATUSES = (*Assignment.SEATED,)
FEED_REFRESH = timedelta(hours=1)


# --- Small pieces ----------------------------------------------------------------------------


def uid_domain() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def slot_page_url(slot: Slot) -> str:
    """The slot's own page (sign-up, details, check-in), else the site's front page."""
    try:
        return absolute_url(reverse("slot_detail", args=[slot.pk]))
    except NoReverseMatch:
        return absolute_url(reverse("home"))


def organizer() -> CalendarPerson:
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return CalendarPerson(email=email, name=name or _("Women's Federation volunteers"))


def _tz_name(venue: Venue) -> str:
    try:
        ZoneInfo(venue.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return settings.TIME_ZONE
    return venue.timezone


def is_confidential(activity: Activity) -> bool:
    return activity.kind == Activity.Kind.MEDIATION


def _summary(activity: Activity) -> str:
    if is_confidential(activity):
        return str(activity.get_kind_display())
    return activity.display_title


def _location(activity: Activity) -> str:
    venue = activity.venue
    parts = [venue.display_name, venue.display_address]
    return ", ".join(p for p in parts if p)


def _geo(venue: Venue) -> tuple[float, float] | None:
    if venue.latitude is None or venue.longitude is None:
        return None
    return (float(venue.latitude), float(venue.longitude))


def role_label(role: SlotRole) -> str:
    if role.label:
        return role.label
    if role.skill_id is not None:
        return role.skill.display_name
    return _("Volunteer")


def _newest(*instants: datetime | None) -> datetime:
    return max(i for i in instants if i is not None)


def _alarm_text(activity: Activity, starts_at: datetime, tz: str) -> str:
    local = timezone.localtime(starts_at, ZoneInfo(tz))
    return _("%(title)s starts at %(time)s at %(place)s.") % {
        "title": _summary(activity),
        "time": local.strftime("%H:%M"),
        "place": activity.venue.display_name,
    }


def _slot_status_for(activity: Activity, slot: Slot) -> str:
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
    tz = _tz_name(venue)
    confidential = is_confidential(activity)
    status = _slot_status_for(activity, slot)
    lines: list[str] = []
    attendees: tuple[CalendarPerson, ...] = ()
    sequence = activity.sequence + slot.sequence
    if assignment is not None:
        sequence += assignment.sequence
        label = role_label(assignment.role)
        if assignment.status == Assignment.Status.WAITLISTED:
            if status == STATUS_CONFIRMED:
                status = STATUS_TENTATIVE
            lines.append(_("You are on the waiting list as: %(role)s") % {"role": label})
        else:
            lines.append(_("Your role: %(role)s") % {"role": label})
        if user is not None:
            attendees = (CalendarPerson(email=user.email, name=user.name or user.email),)
    if status == STATUS_CANCELLED:
        lines.append(_("This shift has been cancelled."))
    lines.append(_location(activity))
    if not confidential and activity.display_description:
        lines.append(activity.display_description)
    url = slot_page_url(slot)
    lines.append(_("Details and check-in: %(url)s") % {"url": url})
    uid = (
        person_uid(slot_id=slot.pk, volunteer_id=assignment.volunteer_id)
        if assignment is not None
        else f"slot-{slot.pk}@{uid_domain()}"
    )
    return CalendarEvent(
        uid=uid,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        tz=tz,
        summary=_summary(activity),
        description="\n".join(lines),
        location=_location(activity),
        geo=_geo(venue),
        url=url,
        status=status,
        categories=(str(activity.get_kind_display()),),
        sequence=sequence,
        created=assignment.created_at if assignment is not None else slot.created_at,
        last_modified=_newest(
            slot.updated_at,
            activity.updated_at,
            venue.updated_at,
            assignment.updated_at if assignment is not None else None,
        ),
        alarm_minutes=settings.CALENDAR_ALARM_MINUTES if status != STATUS_CANCELLED else None,
        alarm_text=_alarm_text(activity, slot.starts_at, tz),
        organizer=organizer(),
        attendees=attendees,
    )


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


# --- A person's feed -------------------------------------------------------------------------


def feed_window_start() -> datetime:
    """Shifts that ended before this are left out of the feed (the day's start, local time)."""
    today = timezone.localdate()
    start = today - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    return timezone.make_aware(datetime.combine(start, time.min))


class ShiftFeedProvider:
    """A volunteer's seats: confirmed (and past attended) slots, cancelled ones as cancelled."""

    def _assignments(self, *, user):
        return Assignment.objects.filter(
            volunteer__user=user, slot__ends_at__gte=feed_window_start()
        )

    def version(self, *, user) -> FeedVersion:
        # Every status counts: an assignment that is cancelled leaves the feed, and its
        # updated_at is what says the feed changed.
        figures = self._assignments(user=user).aggregate(
            n=Count("id"),
            seq=Max("sequence"),
            a=Max("updated_at"),
            s=Max("slot__updated_at"),
            act=Max("slot__activity__updated_at"),
            v=Max("slot__activity__venue__updated_at"),
        )
        stamps = [figures[k] for k in ("a", "s", "act", "v") if figures[k] is not None]
        newest = max(stamps) if stamps else None
        key = "|".join(
            [
                str(figures["n"]),
                str(figures["seq"]),
                newest.isoformat() if newest else "-",
                feed_window_start().date().isoformat(),
            ]
        )
        return FeedVersion(newest=newest, key=key)

    def events(self, *, user) -> list[CalendarEvent]:
        assignments = (
            self._assignments(user=user)
            .filter(status__in=PERSONAL_STATUSES)
            .select_related("slot__activity__venue", "role__skill")
            .order_by("slot__starts_at", "id")
        )
        return [slot_event(slot=a.slot, assignment=a, user=user) for a in assignments]


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime | None


def _etag(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _settings_key() -> str:
    return f"{settings.CALENDAR_ALARM_MINUTES}|{settings.PUBLIC_BASE_URL}|{get_language()}"


def personal_feed_state(*, user) -> FeedState:
    versions = [provider.version(user=user) for provider in feed_providers()]
    stamps = [v.newest for v in versions if v.newest is not None]
    return FeedState(
        etag=_etag(
            "personal",
            str(user.pk),
            user.calendar_token,
            _settings_key(),
            *(v.key for v in versions),
        ),
        last_modified=max(stamps) if stamps else None,
    )


def personal_feed_ics(*, user) -> bytes:
    events: list[CalendarEvent] = []
    for provider in feed_providers():
        events.extend(provider.events(user=user))
    return calendar_bytes(
        events,
        name=_("My shifts · Women's Federation volunteers"),
        description=_("Shifts you have signed up for."),
        refresh=FEED_REFRESH,
    )


def qr_svg(data: str, *, title: str) -> str:
    """An inline SVG QR code (phones scan it to subscribe)."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2, title=title)


def feed_user(*, token: str):
    """The active person whose secret feed token this is, or None (wrong or reset token)."""
    from django.contrib.auth import get_user_model

    if not token:
        return None
    return get_user_model().objects.filter(calendar_token=token, is_active=True).first()


def feed_urls(*, user) -> dict[str, str]:
    """The secret feed's addresses: ``https`` (or http) and ``webcal`` for calendar apps."""
    url = absolute_url(reverse("calendar_feed", args=[user.calendar_token]))
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


# --- A venue's feed --------------------------------------------------------------------------


def _venue_activities(venue: Venue):
    return Activity.objects.filter(venue=venue).exclude(kind=Activity.Kind.MEDIATION)


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
        etag=_etag(
            "venue",
            str(venue.pk),
            _settings_key(),
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


def _activity_event(activity: Activity, venue: Venue, tz: str, **overrides) -> CalendarEvent:
    activity.venue = venue
    lines = []
    if activity.display_description:
        lines.append(activity.display_description)
    lines.append(_location(activity))
    values = dict(
        uid=f"activity-{activity.pk}@{uid_domain()}",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        tz=tz,
        summary=_summary(activity),
        description="\n".join(lines),
        location=_location(activity),
        geo=_geo(venue),
        status=STATUS_CANCELLED
        if activity.status == Activity.Status.CANCELLED
        else STATUS_CONFIRMED,
        categories=(str(activity.get_kind_display()),),
        sequence=activity.sequence,
        created=activity.created_at,
        last_modified=_newest(activity.updated_at, venue.updated_at),
        organizer=organizer(),
    )
    values.update(overrides)
    return CalendarEvent(**values)


def venue_feed_events(*, venue: Venue) -> list[CalendarEvent]:
    """One entry per activity; a series carries its rule, and its exceptions follow it."""
    tz = _tz_name(venue)
    zone = ZoneInfo(tz)
    activities = list(_venue_activities(venue).order_by("starts_at", "id"))
    # Only the occurrences the rule does not describe by itself: moved, edited on their own,
    # cancelled, and the one occurrence of an activity that does not repeat.
    slots = (
        Slot.objects.filter(activity__in=[a.pk for a in activities])
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
            status = _slot_status_for(activity, slot)
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
                    last_modified=_newest(activity.updated_at, venue.updated_at, slot.updated_at),
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
                    status=_slot_status_for(activity, slot),
                    sequence=activity.sequence + slot.sequence,
                    created=slot.created_at,
                    url=slot_page_url(slot),
                    last_modified=_newest(activity.updated_at, venue.updated_at, slot.updated_at),
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
