"""Mediation sessions in a venue's room: booked, told (time and place only), cancelled."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Slot
from core.errors import Conflict, NotFound, ValidationFailed
from notifications.services import sms_notify, sms_queue
from notifications.texts import language_of, sms_text_render, sms_when
from venues.models import Room, Venue

from ..models import MediatorAssignment, Session
from .common import dispute_for, require_open

MAX_HOURS = 8


def _place(venue: Venue, room: Room | None) -> str:
    return f"{venue.name} {room.name}" if room else venue.name


def room_is_free(*, venue: Venue, room: Room | None, starts_at, ends_at, exclude=None) -> bool:
    """No other session, and no activity held in that room, overlaps."""
    if room is None:
        return True
    sessions = Session.objects.filter(
        room=room, status=Session.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude.pk)
    slots = Slot.objects.filter(
        activity__room=room,
        status=Slot.Status.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    return not sessions.exists() and not slots.exists()


def _tell(session: Session, *, kind: str, party_kind: str, text_parties: bool) -> None:
    dispute = session.dispute
    link = settings.PUBLIC_BASE_URL + reverse("mediation_dispute", args=[dispute.pk])
    for a in MediatorAssignment.objects.filter(
        dispute=dispute, ended_at__isnull=True
    ).select_related("mediator"):
        language = language_of(a.mediator.preferred_language)
        sms_notify(
            user=a.mediator,
            kind=kind,
            values={
                "when": sms_when(session.starts_at, language=language),
                "venue": _place(session.venue, session.room),
                "role": a.get_role_display(),
                "link": link,
            },
            dedupe_key=f"{kind}:{session.pk}:{session.sequence}:{a.mediator_id}",
        )
    if not text_parties:
        return
    language = settings.LANGUAGE_CODE
    for party in dispute.parties.all():
        # A party marked unsafe is never texted: someone else may read her phone.
        if party.unsafe_sms or not party.phone:
            continue
        sms_queue(
            to=party.phone,
            body=sms_text_render(
                party_kind,
                language=language,
                values={
                    "when": sms_when(session.starts_at, language=language),
                    "venue": _place(session.venue, session.room),
                },
            ),
            kind=party_kind,
            language=language,
            dedupe_key=f"{party_kind}:{session.pk}:{session.sequence}:{party.pk}",
        )


def session_book(
    *,
    by,
    dispute_id: int,
    venue: Venue | None,
    room: Room | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    text_parties: bool = False,
) -> Session:
    """Book a session. The mediators on the case get a text and a feed entry saying
    "Mediation session", the time and the place; parties not marked unsafe may get the time
    and place too."""
    errors: dict[str, list[str]] = {}
    if venue is None or not venue.is_active:
        errors["venue"] = [_("Choose a venue.")]
    if room is not None and venue is not None and room.venue_id != venue.pk:
        errors["room"] = [_("This room belongs to another venue.")]
    if venue is not None and room is None and venue.rooms.exists():
        errors["room"] = [_("Choose the room.")]
    if starts_at is None:
        errors["starts_at"] = [_("Give the start.")]
    if ends_at is None:
        errors["ends_at"] = [_("Give the end.")]
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors["ends_at"] = [_("The end must come after the start.")]
        elif ends_at - starts_at > timedelta(hours=MAX_HOURS):
            errors["ends_at"] = [_("A session lasts at most %(h)d hours.") % {"h": MAX_HOURS}]
        if starts_at <= timezone.now():
            errors["starts_at"] = [_("A session is booked ahead.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="session", lock=True)
        require_open(dispute)
        if not room_is_free(venue=venue, room=room, starts_at=starts_at, ends_at=ends_at):
            raise Conflict(_("The room is taken at that time."), code="room_taken")
        session = Session.objects.create(
            dispute=dispute,
            venue=venue,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=by,
        )
        _tell(
            session,
            kind="mediation_session",
            party_kind="mediation_session_party",
            text_parties=text_parties,
        )
    return session


def session_cancel(*, by, session_id: int, text_parties: bool = False) -> Session:
    with transaction.atomic():
        session = Session.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            raise NotFound(_("No such session."), code="session_not_found")
        dispute_for(by=by, dispute_id=session.dispute_id, action="session")
        if session.status == Session.Status.CANCELLED:
            return session
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        _tell(
            session,
            kind="mediation_session_cancelled",
            party_kind="mediation_session_party_cancelled",
            text_parties=text_parties,
        )
    return session
