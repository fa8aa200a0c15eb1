"""Mediation sessions in a mediator's own calendar feed (``CALENDAR_FEED_PROVIDERS``).

An entry says "Mediation session", the time, the place and her role: never a name, the kind
of dispute or any detail. Public calendars never see sessions.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Subquery
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


class SessionFeedProvider:
    """One query for the version, one for the entries, whatever the number of sessions."""

    def version(self, *, user) -> FeedVersion:
        figures = MediatorAssignment.objects.filter(mediator=user).aggregate(
            n=Count("id", distinct=True),
            a=Max("assigned_at"),
            e=Max("ended_at"),
            s=Max("dispute__sessions__updated_at"),
            seq=Max("dispute__sessions__sequence"),
            ns=Count("dispute__sessions", distinct=True),
        )
        stamps = [figures[k] for k in ("a", "e", "s") if figures[k] is not None]
        newest = max(stamps) if stamps else None
        key = (
            "|".join(str(figures[k]) for k in ("n", "a", "e", "s", "seq", "ns"))
            + f"|{_window_start().date().isoformat()}"
        )
        # Never a mediator on a dispute: no session is hers.
        return FeedVersion(newest=newest, key=f"mediation:{key}", entries=figures["n"] > 0)

    def events(self, *, user) -> list[CalendarEvent]:
        role = MediatorAssignment.objects.filter(
            dispute=OuterRef("dispute"), mediator=user, ended_at__isnull=True
        ).values("role")[:1]
        sessions = (
            Session.objects.annotate(my_role=Subquery(role))
            .filter(my_role__isnull=False, ends_at__gte=_window_start())
            .select_related("venue", "room")
            .order_by("starts_at", "pk")
        )
        labels = dict(MediatorAssignment.Role.choices)
        language = user.preferred_language or settings.LANGUAGE_CODE
        events = []
        for session in sessions:
            with translation.override(language):
                label = str(labels.get(session.my_role, ""))
            events.append(session_event(session=session, role_label=label, language=language))
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
