"""Changing and cancelling occurrences: this one, this and the following, or the whole series.

How a series changes:
- Every slot keeps its occurrence key (``original_start``, the RECURRENCE-ID) in step with the
  rule: when the series' time of day moves, each slot's key moves to the same local date at
  the new time, so regenerating never duplicates an occurrence, and its assignments stay.
- "This occurrence" moves or cancels the one slot and marks it ``detached``; series edits later
  re-key it but leave its own times alone.
- "This and the following" splits the series: the old activity's rule ends just before the
  occurrence (UNTIL), a new activity with the same rule (COUNT reduced by what went before),
  roles and details starts at it, and the slots from that occurrence on move to the new activity
  with their roles and assignments. The change is then applied to the new series as "all".
- Everything happens in one transaction with the activity row locked: every affected slot
  changes, or none does. People on a changed slot keep their place and are told; on a cancelled
  slot their assignment ends and they are told. Each changed slot's ``sequence`` goes up.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed

from .. import notices, recurrence
from ..models import Activity, Assignment, Slot, SlotRole
from .activities import _check_may_post, occurrences_of, slots_generate

Scope = Literal["this", "following", "all"]
SCOPES = ("this", "following", "all")
LIVE = (Assignment.Status.CONFIRMED, Assignment.Status.WAITLISTED)
# Slots this far back are re-keyed with the series too, so that a new time later today does not
# bring back an occurrence that has already happened earlier today.
_REKEY_BACK = timedelta(days=2)


def _live_by_slot(slot_ids) -> dict[int, list[Assignment]]:
    result: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(
        slot_id__in=list(slot_ids), status__in=LIVE
    ).select_related("volunteer__user", "role"):
        result[assignment.slot_id].append(assignment)
    return result


def _locked(slot: Slot) -> tuple[Activity, Slot]:
    activity = Activity.objects.select_for_update().select_related("venue").get(pk=slot.activity_id)
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    return activity, slot


def _check_editable(slot: Slot, scope: str, now: datetime) -> None:
    if scope not in SCOPES:
        raise ValidationFailed(
            {"scope": [_("Choose this occurrence, this and the following, or all.")]}
        )
    if slot.status == Slot.Status.CANCELLED:
        raise Conflict(_("This occurrence is already cancelled."), code="slot_cancelled")
    if slot.ends_at <= now:
        raise Conflict(_("This occurrence has already taken place."), code="slot_past")


def _notify_changed(slots: list[Slot]) -> None:
    live = _live_by_slot(s.pk for s in slots)
    for slot in slots:
        notices.slot_changed(slot, live.get(slot.pk, []))


def _cancel_slots(slots: list[Slot], now: datetime) -> list[Slot]:
    """Cancel scheduled slots; the people on them lose the seat and are told."""
    slots = [s for s in slots if s.status == Slot.Status.SCHEDULED]
    if not slots:
        return []
    live = _live_by_slot(s.pk for s in slots)
    for slot in slots:
        slot.status = Slot.Status.CANCELLED
        slot.sequence += 1
        slot.updated_at = now
    Slot.objects.bulk_update(slots, ["status", "sequence", "updated_at"])
    ended = [a for items in live.values() for a in items]
    for assignment in ended:
        assignment.status = Assignment.Status.CANCELLED
        assignment.cancelled_at = now
        assignment.updated_at = now
    # The calendar invitations raise each assignment's own sequence when they tell her.
    Assignment.objects.bulk_update(ended, ["status", "cancelled_at", "updated_at"])
    for slot in slots:
        notices.slot_cancelled(slot, live.get(slot.pk, []))
    return slots


def _split(activity: Activity, at: Slot, *, by) -> Activity:
    """End ``activity`` before occurrence ``at`` and continue it as a new activity from there.

    Returns the activity that now holds ``at`` (the same one when ``at`` is the first).
    """
    tz = activity.venue.timezone
    earlier = occurrences_of(activity, exdates=False, before=at.original_start)
    if not earlier:
        return activity
    rule = activity.rrule
    count = recurrence.rrule_count(rule)
    zi = recurrence.zone(tz)
    duration = recurrence.local_naive(activity.ends_at, zi) - recurrence.local_naive(
        activity.starts_at, zi
    )
    cut = recurrence.local_naive(at.original_start, zi).date()
    roles = list(activity.roles.all())

    activity.rrule = recurrence.rrule_with_until(rule, until=at.original_start)
    activity.sequence += 1
    activity.save(update_fields=["rrule", "sequence", "updated_at"])

    successor = Activity.objects.get(pk=activity.pk)
    successor.pk = None
    successor.id = None
    successor.starts_at = at.original_start
    successor.ends_at = recurrence.to_utc(
        recurrence.local_naive(at.original_start, zi) + duration, zi
    )
    successor.rrule = (
        recurrence.rrule_with_count(rule, count=count - len(earlier)) if count else rule
    )
    successor.exdates = [d for d in activity.exdates if date.fromisoformat(d) >= cut]
    successor.created_by = by if getattr(by, "is_authenticated", False) else activity.created_by
    successor.sequence = 0
    successor.save(force_insert=True)
    for role in roles:
        old_pk = role.pk
        role.pk = None
        role.id = None
        role.activity = successor
        role.save(force_insert=True)
        SlotRole.objects.filter(
            slot__activity=activity,
            slot__original_start__gte=at.original_start,
            activity_role_id=old_pk,
        ).update(activity_role=role)
    Slot.objects.filter(activity=activity, original_start__gte=at.original_start).update(
        activity=successor
    )
    at.activity = successor
    return successor


def _retime_series(
    activity: Activity,
    *,
    start_time: time,
    duration: timedelta,
    now: datetime,
) -> list[Slot]:
    """Move the series to a new local time of day; returns the slots whose times changed."""
    zi = recurrence.zone(activity.venue.timezone)
    first_day = recurrence.local_naive(activity.starts_at, zi).date()
    first = datetime.combine(first_day, start_time)
    activity.starts_at = recurrence.to_utc(first, zi)
    activity.ends_at = recurrence.to_utc(first + duration, zi)
    activity.sequence += 1
    activity.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])

    slots = list(
        Slot.objects.select_for_update().filter(
            activity=activity, original_start__gte=now - _REKEY_BACK
        )
    )
    changed: list[Slot] = []
    for slot in slots:
        day = recurrence.local_naive(slot.original_start, zi).date()
        wall = datetime.combine(day, start_time)
        slot.original_start = recurrence.to_utc(wall, zi)
        if slot.detached or slot.starts_at < now:
            continue
        new_start, new_end = slot.original_start, recurrence.to_utc(wall + duration, zi)
        if (new_start, new_end) != (slot.starts_at, slot.ends_at):
            slot.starts_at, slot.ends_at = new_start, new_end
            slot.sequence += 1
            changed.append(slot)
        slot.updated_at = now
    # Keys move one date at a time and each date holds one occurrence, so no two rows collide.
    Slot.objects.bulk_update(
        slots, ["original_start", "starts_at", "ends_at", "sequence", "updated_at"], batch_size=500
    )
    return [s for s in changed if s.status == Slot.Status.SCHEDULED]


def _times_validate(starts_at, ends_at, tz: str) -> None:
    errors = recurrence.validate(starts_at=starts_at, ends_at=ends_at, rrule="", exdates=(), tz=tz)
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def slot_update(
    *,
    slot: Slot,
    scope: Scope,
    by,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
) -> list[Slot]:
    """Move one occurrence, it and the following ones, or the whole series to new times.

    Give the new instants (``starts_at``/``ends_at``), or new local times of day
    (``start_time``/``end_time``, on the occurrence's own date in the venue's time zone).
    For a series the day stays and the time of day changes (to change days, edit the rule).
    Returns the slots whose times changed; their people keep their places and are told.
    """
    now = timezone.now()
    activity, slot = _locked(slot)
    _check_may_post(by=by, venue=activity.venue)
    _check_editable(slot, scope, now)
    if starts_at is None and ends_at is None and (start_time or end_time):
        zi = recurrence.zone(activity.venue.timezone)
        start_local = recurrence.local_naive(slot.starts_at, zi)
        end_local = recurrence.local_naive(slot.ends_at, zi)
        day = start_local.date()
        starts_at = recurrence.to_utc(datetime.combine(day, start_time or start_local.time()), zi)
        ends_at = recurrence.to_utc(datetime.combine(day, end_time or end_local.time()), zi)
    _times_validate(starts_at, ends_at, activity.venue.timezone)
    if (starts_at, ends_at) == (slot.starts_at, slot.ends_at):
        return []
    if not activity.rrule or scope == "this":
        slot.starts_at, slot.ends_at = starts_at, ends_at
        slot.detached = bool(activity.rrule)
        slot.sequence += 1
        slot.save(update_fields=["starts_at", "ends_at", "detached", "sequence", "updated_at"])
        if not activity.rrule:
            activity.starts_at, activity.ends_at = starts_at, ends_at
            activity.sequence += 1
            activity.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
        _notify_changed([slot])
        return [slot]

    zi = recurrence.zone(activity.venue.timezone)
    new_start = recurrence.local_naive(starts_at, zi)
    if new_start.date() != recurrence.local_naive(slot.starts_at, zi).date():
        raise ValidationFailed(
            {
                "starts_at": [
                    _(
                        "A series keeps its days: change only the time here, or edit the "
                        "activity's repeat rule to move it to other days."
                    )
                ]
            }
        )
    duration = recurrence.local_naive(ends_at, zi) - new_start
    target = _split(activity, slot, by=by) if scope == "following" else activity
    changed = _retime_series(target, start_time=new_start.time(), duration=duration, now=now)
    _notify_changed(changed)
    slots_generate(activities=[target], now=now)
    return changed


@transaction.atomic
def slot_cancel(*, slot: Slot, scope: Scope, by) -> list[Slot]:
    """Cancel one occurrence, it and the following ones, or the whole series.

    Returns the slots cancelled; the people on them are told and their assignments end.
    """
    now = timezone.now()
    activity, slot = _locked(slot)
    _check_may_post(by=by, venue=activity.venue)
    _check_editable(slot, scope, now)
    if not activity.rrule or scope == "this":
        cancelled = _cancel_slots([slot], now)
        if not activity.rrule:
            activity.status = Activity.Status.CANCELLED
            activity.sequence += 1
            activity.save(update_fields=["status", "sequence", "updated_at"])
        return cancelled
    first = occurrences_of(activity, exdates=False, before=slot.original_start, limit=1)
    if scope == "all" or not first:
        activity.status = Activity.Status.CANCELLED
        qs = Slot.objects.filter(activity=activity, starts_at__gte=now)
    else:
        activity.rrule = recurrence.rrule_with_until(activity.rrule, until=slot.original_start)
        qs = Slot.objects.filter(activity=activity, original_start__gte=slot.original_start)
    activity.sequence += 1
    activity.save(update_fields=["status", "rrule", "sequence", "updated_at"])
    return _cancel_slots(list(qs.select_for_update().order_by("starts_at")), now)


def series_reconcile(activity: Activity, *, now: datetime) -> tuple[list[Slot], int]:
    """After a rule or its excepted dates changed: cancel future slots the rule no longer has,
    create the missing ones. Returns (cancelled, number created)."""
    keys = {occ.key for occ in occurrences_of(activity, after=now)}
    stale = [
        s
        for s in Slot.objects.select_for_update().filter(
            activity=activity, starts_at__gte=now, status=Slot.Status.SCHEDULED
        )
        if s.original_start not in keys
    ]
    cancelled = _cancel_slots(stale, now)
    created = slots_generate(activities=[activity], now=now)
    return cancelled, created
