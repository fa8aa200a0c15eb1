"""Mediation sessions in a mediator's own calendar feed (``CALENDAR_FEED_PROVIDERS``).

An entry says "Mediation session", the time, the place and her role: never a name, the kind
of dispute or any detail. Public calendars never see sessions.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.calendar import (
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    CalendarEvent,
    FeedVersion,
    calendar_bytes,
)

from .models import MediatorAssignment, Session


def _window_start() -> datetime:
    start = timezone.localdate() - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    return timezone.make_aware(datetime.combine(start, time.min))


def _domain() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"


def session_event(*, session: Session, role_label: str, language: str) -> CalendarEvent:
    venue = session.venue
    with translation.override(language):
        summary = _("Mediation session")
        description = _("Your role: %(role)s") % {"role": role_label}
        place = [
            venue.display_name,
            session.room.name if session.room else "",
            venue.display_address,
        ]
    return CalendarEvent(
        uid=f"mediation-session-{session.pk}@{_domain()}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        tz=venue.timezone or settings.TIME_ZONE,
        summary=summary,
        description=description,
        location=", ".join(p for p in place if p),
        url=settings.PUBLIC_BASE_URL + reverse("mediation_dispute", args=[session.dispute_id]),
        last_modified=session.updated_at,
        created=session.created_at,
        sequence=session.sequence,
        status=STATUS_CANCELLED if session.status == Session.Status.CANCELLED else STATUS_CONFIRMED,
        alarm_minutes=settings.CALENDAR_ALARM_MINUTES
        if session.status == Session.Status.SCHEDULED
        else None,
        alarm_text=summary,
    )


def sessions_of(*, user):
    """Sessions of the cases she works on now, from the feed's window on."""
    return Session.objects.filter(
        dispute__assignments__mediator=user,
        dispute__assignments__ended_at__isnull=True,
        ends_at__gte=_window_start(),
    ).distinct()


class SessionFeedProvider:
    def version(self, *, user) -> FeedVersion:
        figures = sessions_of(user=user).aggregate(
            n=Count("id", distinct=True), seq=Max("sequence"), a=Max("updated_at")
        )
        changed = MediatorAssignment.objects.filter(mediator=user).aggregate(
            n=Count("id"), a=Max("assigned_at"), e=Max("ended_at")
        )
        stamps = [s for s in (figures["a"], changed["a"], changed["e"]) if s is not None]
        newest = max(stamps) if stamps else None
        key = "|".join(
            str(v) for v in (figures["n"], figures["seq"], figures["a"], changed["n"], changed["e"])
        )
        return FeedVersion(newest=newest, key=f"mediation:{key}")

    def events(self, *, user) -> list[CalendarEvent]:
        roles = dict(
            MediatorAssignment.objects.filter(mediator=user, ended_at__isnull=True).values_list(
                "dispute_id", "role"
            )
        )
        labels = dict(MediatorAssignment.Role.choices)
        language = user.preferred_language or settings.LANGUAGE_CODE
        events = []
        for session in (
            sessions_of(user=user).select_related("venue", "room").order_by("starts_at", "pk")
        ):
            with translation.override(language):
                role = str(labels.get(roles.get(session.dispute_id), ""))
            events.append(session_event(session=session, role_label=role, language=language))
        return events


def session_ics(*, session: Session, user) -> bytes:
    """One session as a file to open in a calendar app."""
    role = (
        MediatorAssignment.objects.filter(
            dispute_id=session.dispute_id, mediator=user, ended_at__isnull=True
        )
        .values_list("role", flat=True)
        .first()
    )
    label = str(dict(MediatorAssignment.Role.choices).get(role, _("Coordinator")))
    language = user.preferred_language or settings.LANGUAGE_CODE
    return calendar_bytes([session_event(session=session, role_label=label, language=language)])
