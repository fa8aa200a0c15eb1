"""Last-minute backfill: a seat that frees up less than ``BACKFILL_WINDOW_HOURS`` before the
start is offered by SMS, first to the slot's waitlist, then to the free volunteers who fit it
best, ``BACKFILL_ROUND_SIZE`` at a time. The first Y takes the seat (through the sign-up
service, so every rule and the seat count hold); the others are told it is taken. Offers expire
after ``BACKFILL_OFFER_MINUTES``; then the next round goes out. No round starts in quiet hours:
the beat picks it up in the morning if the slot is still ahead. Answers to offers are handled in
``offers``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.tasks import enqueue_on_commit
from notifications.models import OptOut
from notifications.services import (
    QuestionSpec,
    questions_close,
    quiet_hours_end,
    sms_notify,
)
from notifications.texts import sms_time
from volunteers.models import VolunteerProfile

from .. import eligibility
from ..models import Assignment, Backfill, BackfillOffer, Slot, SlotRole
from ..selectors.seats import role_seats_left, slot_roles_with_fill
from ..sms.texts import slot_values

OFFER = "backfill_offer"
# Free volunteers looked at per round before the rules are checked one by one.
_PREFILTER = 200


def _in_window(slot: Slot, now: datetime) -> bool:
    return slot.status == Slot.Status.SCHEDULED and now < slot.starts_at <= now + timedelta(
        hours=settings.BACKFILL_WINDOW_HOURS
    )


def backfill_trigger(*, role_id: int, slot: Slot, now: datetime) -> None:
    """A seat of ``role_id`` was given back: if the start is near, its backfill starts after
    commit (``backfill_start`` checks again then, when the waitlist has had its turn)."""
    if _in_window(slot, now):
        enqueue_on_commit("activities.tasks.backfill_start", role_id)


def backfill_start(*, role_id: int, now: datetime | None = None) -> Backfill | None:
    """Open a backfill for the role if a seat is free and the start is near, and send its first
    round. An open backfill for the role is left to run."""
    now = now or timezone.now()
    with transaction.atomic():
        role = SlotRole.objects.select_for_update().select_related("slot").get(pk=role_id)
        if not _in_window(role.slot, now) or role_seats_left(role=role) <= 0:
            return None
        backfill, created = Backfill.objects.get_or_create(role=role, closed_at=None)
        if created:
            _round(backfill, now=now)
    return backfill


def backfill_advance(*, now: datetime | None = None) -> int:
    """Every minute (beat): expire old offers, close what is done, send the next rounds."""
    now = now or timezone.now()
    rounds = 0
    for backfill_id in Backfill.objects.filter(closed_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            backfill = (
                Backfill.objects.select_for_update()
                .select_related("role__slot")
                .get(pk=backfill_id)
            )
            if backfill.closed_at is not None:
                continue
            expired = backfill.offers.filter(status=BackfillOffer.Status.OPEN, expires_at__lte=now)
            for offer in expired:
                questions_close(kind=OFFER, ref=str(offer.pk))
            expired.update(status=BackfillOffer.Status.EXPIRED)
            if not _in_window(backfill.role.slot, now) or role_seats_left(role=backfill.role) <= 0:
                _close(backfill, now=now)
                continue
            if backfill.offers.filter(status=BackfillOffer.Status.OPEN).exists():
                continue
            if _round(backfill, now=now):
                rounds += 1
    return rounds


def _close(backfill: Backfill, *, now: datetime) -> None:
    for offer in backfill.offers.filter(status=BackfillOffer.Status.OPEN):
        questions_close(kind=OFFER, ref=str(offer.pk))
        offer.status = BackfillOffer.Status.EXPIRED
        offer.save(update_fields=["status"])
    backfill.closed_at = now
    backfill.save(update_fields=["closed_at"])


def _fits(volunteer: VolunteerProfile, role: SlotRole, now: datetime) -> bool:
    slot = role.slot
    if getattr(role, "filled", None) is None:
        role = slot_roles_with_fill(SlotRole.objects.filter(pk=role.pk)).get()
        role.slot = slot
    facts = eligibility.facts_load(volunteer=volunteer, around=(slot.starts_at, slot.ends_at))
    existing = facts.live_by_slot.get(slot.pk)
    verdict = eligibility.slot_verdict(
        facts, slot, roles=[role], role=role, now=now, ignore=existing.pk if existing else None
    )
    return verdict.ok and not verdict.full


def _candidates(backfill: Backfill, *, now: datetime) -> list[VolunteerProfile]:
    """The slot's waitlist first (in the order they joined), then free volunteers: those living
    in the venue's area first, then those with the fewest shifts in the coming week."""
    role = backfill.role
    slot = role.slot
    offered = backfill.offers.values_list("volunteer_id", flat=True)
    reachable = (
        VolunteerProfile.objects.filter(sms_enabled=True, phone__isnull=False)
        .exclude(phone="")
        .exclude(phone__in=OptOut.objects.values("phone"))
        .exclude(pk__in=offered)
        .select_related("user")
    )
    waiting = list(
        reachable.filter(
            assignments__slot=slot, assignments__status=Assignment.Status.WAITLISTED
        ).order_by("assignments__created_at")
    )
    chosen = [v for v in waiting if _fits(v, role, now)][: settings.BACKFILL_ROUND_SIZE]
    if chosen:
        return chosen
    # Nobody already on the slot, nor anyone who just left it.
    free = reachable.exclude(assignments__slot=slot)
    if role.skill_id:
        free = free.filter(skill_links__skill_id=role.skill_id)
    weekday = timezone.localtime(slot.starts_at).weekday()
    # Free that weekday, or free at any time (no weekly times given); ``_fits`` checks the hours.
    free = free.filter(Q(availability__weekday=weekday) | Q(availability__isnull=True)).distinct()
    area_id = slot.activity.venue.area_id
    pool = sorted(
        free[:_PREFILTER],
        key=lambda v: (v.home_area_id != area_id, v.pk),
    )
    for volunteer in pool:
        if _fits(volunteer, role, now):
            chosen.append(volunteer)
            if len(chosen) >= settings.BACKFILL_ROUND_SIZE:
                break
    return chosen


def _round(backfill: Backfill, *, now: datetime) -> bool:
    """Send one round of offers. False when it cannot go now (quiet hours) or nobody is left,
    in which case a backfill with nobody left is closed."""
    if quiet_hours_end(now) is not None:
        return False
    slot = Slot.objects.select_related("activity__venue").get(pk=backfill.role.slot_id)
    candidates = _candidates(backfill, now=now)
    if not candidates:
        _close(backfill, now=now)
        return False
    backfill.round += 1
    backfill.save(update_fields=["round"])
    expires = min(now + timedelta(minutes=settings.BACKFILL_OFFER_MINUTES), slot.starts_at)
    for volunteer in candidates:
        offer = BackfillOffer.objects.create(
            backfill=backfill, volunteer=volunteer, round=backfill.round, expires_at=expires
        )
        user = volunteer.user
        values = slot_values(slot, language=user.preferred_language)
        values["until"] = sms_time(expires, tz=slot.activity.venue.timezone)
        sms_notify(
            user=user,
            kind="backfill_offer",
            values=values,
            immediate=True,
            expires_at=expires,
            question=QuestionSpec(kind=OFFER, ref=str(offer.pk), expires_at=expires),
        )
    return True
