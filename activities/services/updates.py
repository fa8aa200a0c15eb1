"""Editing a whole activity: its details, its times and rule, and the roles its slots need."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from venues.models import Room, Venue
from volunteers.models import Team

from .. import notices, recurrence
from ..models import Activity, ActivityRole, Assignment, Slot, SlotRole
from .activities import (
    RoleSpec,
    _check_may_post,
    _exdate_strings,
    _first_occurrence,
    _role_specs,
    activity_validate,
)
from .series import _notify_changed, _retime_series, series_reconcile
from .signup import slot_waitlist_promote

_UNSET: Any = object()
DETAIL_FIELDS = ("kind", "title", "title_en", "description", "description_en", "audience")


def _shown(activity: Activity) -> tuple:
    """What the calendar entries of the activity's slots show, apart from their times."""
    return (
        activity.kind,
        activity.title,
        activity.title_en,
        activity.description,
        activity.description_en,
        activity.room_id,
    )


def _role_names(activity: Activity) -> dict[int, tuple[str, int | None]]:
    # A role is named by its label, else by its skill.
    return {role.pk: (role.label, role.skill_id) for role in activity.roles.all()}


def _details_notify(
    activity: Activity,
    *,
    shown: tuple,
    role_names: dict[int, tuple[str, int | None]],
    told: set[int],
    now: datetime,
) -> None:
    """The entries of coming slots read differently now: raise their sequence and send the
    calendars the update. ``told`` are slots whose people were already sent the new entry
    (their time moved). Only the calendars hear of it: nothing she must act on has changed."""
    text_changed = _shown(activity) != shown
    after = _role_names(activity)
    renamed = {pk for pk, names in role_names.items() if pk in after and after[pk] != names}
    if not text_changed and not renamed:
        return
    if text_changed:
        activity.sequence += 1
        activity.save(update_fields=["sequence", "updated_at"])
    slots = list(
        Slot.objects.select_for_update()
        .filter(activity=activity, status=Slot.Status.SCHEDULED, starts_at__gte=now)
        .exclude(pk__in=told)
        .order_by("starts_at")
    )
    for slot in slots:
        slot.activity = activity
        slot.sequence += 1
        slot.updated_at = now
    Slot.objects.bulk_update(slots, ["sequence", "updated_at"], batch_size=500)
    seats = Assignment.objects.filter(
        slot__in=[s.pk for s in slots], status=Assignment.Status.CONFIRMED
    ).select_related("volunteer__user", "role__skill")
    if not text_changed:
        seats = seats.filter(role__activity_role_id__in=renamed)
    by_slot: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in seats.order_by("pk"):
        by_slot[assignment.slot_id].append(assignment)
    for slot in slots:
        if by_slot.get(slot.pk):
            notices.slot_details_changed(slot, by_slot[slot.pk])


def _role_name(role: ActivityRole) -> str:
    return role.display_name


def _roles_apply(activity: Activity, specs: list[RoleSpec], now: datetime) -> list[int]:
    """Bring the activity's roles, and those of its coming slots, in line with ``specs``.

    Returns the ids of the activity roles whose need went up: their new seats belong to the
    people already waiting, before anyone new."""
    current = {role.pk: role for role in activity.roles.all()}
    future = SlotRole.objects.filter(slot__activity=activity, slot__starts_at__gte=now)
    seated: dict[int, int] = {}
    counted = future.annotate(
        n=Count("assignments", filter=Q(assignments__status__in=Assignment.SEATED))
    ).values_list("activity_role_id", "n")
    for role_id, n in counted:
        seated[role_id] = max(seated.get(role_id, 0), n)
    kept = {spec.id for spec in specs if spec.id}
    errors: list[str] = []
    for pk, role in current.items():
        if pk not in kept and seated.get(pk):
            errors.append(
                _("People have signed up as “%(role)s”: it cannot be removed.")
                % {"role": _role_name(role)}
            )
    for spec in specs:
        if spec.id and spec.id in current and int(spec.needed) < (seated.get(spec.id) or 0):
            errors.append(
                _("%(n)d people already hold seats as “%(role)s”: it needs at least %(n)d.")
                % {"n": seated[spec.id], "role": _role_name(current[spec.id])}
            )
    if errors:
        raise ValidationFailed({"roles": errors})

    raised = [
        spec.id
        for spec in specs
        if spec.id and spec.id in current and int(spec.needed) > current[spec.id].needed
    ]
    removed = [pk for pk in current if pk not in kept]
    if removed:
        future.filter(activity_role_id__in=removed).delete()
        ActivityRole.objects.filter(pk__in=removed).delete()
    slot_ids = list(
        Slot.objects.filter(activity=activity, starts_at__gte=now).values_list("pk", flat=True)
    )
    for spec in specs:
        values = {
            "skill": spec.skill,
            "language": spec.language or "",
            "needed": int(spec.needed),
            "label": spec.label or "",
            "label_en": spec.label_en or "",
        }
        if spec.id and spec.id in current:
            ActivityRole.objects.filter(pk=spec.id).update(**values)
            future.filter(activity_role_id=spec.id).update(**values)
        else:
            role = ActivityRole.objects.create(activity=activity, **values)
            SlotRole.objects.bulk_create(
                SlotRole(slot_id=pk, activity_role=role, **values) for pk in slot_ids
            )
    return raised


def _waitlists_promote(activity: Activity, role_ids: list[int], now: datetime) -> None:
    """Seats added to a role go first to the people waiting for it, in their order."""
    if not role_ids:
        return
    slots = Slot.objects.filter(
        activity=activity,
        status=Slot.Status.SCHEDULED,
        starts_at__gte=now,
        roles__activity_role_id__in=role_ids,
        assignments__status=Assignment.Status.WAITLISTED,
    ).distinct()
    for slot in slots:
        slot_waitlist_promote(slot=slot)


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    kind: str = _UNSET,
    title: str = _UNSET,
    title_en: str = _UNSET,
    description: str = _UNSET,
    description_en: str = _UNSET,
    audience: str = _UNSET,
    venue: Venue = _UNSET,
    team: Team | None = _UNSET,
    room: Room | None = _UNSET,
    starts_at: datetime = _UNSET,
    ends_at: datetime = _UNSET,
    rrule: str = _UNSET,
    exdates: list[str | date] = _UNSET,
    roles: list[RoleSpec | dict] = _UNSET,
) -> Activity:
    """Change the activity as a whole series (arguments left out stay as they are).

    A new time of day moves every coming slot, keeping its people (they are told); a new rule or
    new excepted dates cancel the slots the rule no longer has and create the missing ones.
    A new title, description, room or role name updates the calendar entries of the people on
    the coming slots. An activity stays at its venue: a ``venue`` other than its own is refused.
    """
    now = timezone.now()
    activity = Activity.objects.select_for_update().select_related("venue").get(pk=activity.pk)
    shown, role_names = _shown(activity), _role_names(activity)
    _check_may_post(by=by, venue=activity.venue)
    if activity.status == Activity.Status.CANCELLED:
        raise Conflict(_("This activity is cancelled."), code="activity_cancelled")
    if venue is not _UNSET and venue.pk != activity.venue_id:
        raise ValidationFailed(
            {"venue": [_("An activity stays at its venue: post a new one at the other.")]}
        )
    tz = activity.venue.timezone
    given = {
        "kind": kind,
        "title": title,
        "title_en": title_en,
        "description": description,
        "description_en": description_en,
        "audience": audience,
    }
    details = {k: v for k, v in given.items() if v is not _UNSET}
    new_start = activity.starts_at if starts_at is _UNSET else starts_at
    new_end = activity.ends_at if ends_at is _UNSET else ends_at
    new_rule = activity.rrule if rrule is _UNSET else (rrule or "")
    new_exdates = activity.exdates if exdates is _UNSET else list(exdates or ())
    specs = (
        _role_specs(roles)
        if roles is not _UNSET
        else [RoleSpec(id=r.pk, needed=r.needed) for r in activity.roles.all()]
    )
    errors = activity_validate(
        venue=activity.venue,
        kind=details.get("kind", activity.kind),
        title=details.get("title", activity.title),
        title_en=details.get("title_en", activity.title_en),
        starts_at=new_start,
        ends_at=new_end,
        rrule=new_rule,
        exdates=new_exdates,
        roles=specs,
        room=None if room is _UNSET else room,
        new=False,
    )
    if errors:
        raise ValidationFailed(errors)

    for field, value in details.items():
        setattr(activity, field, (value or "").strip() if "title" in field else value or "")
    if not activity.title:
        activity.title = activity.title_en
    if team is not _UNSET:
        activity.team = team
    if room is not _UNSET:
        activity.room = room
    activity.save()
    raised = _roles_apply(activity, specs, now) if roles is not _UNSET else []

    new_rule = recurrence.rrule_normalize(new_rule, tz=tz)
    told: set[int] = set()
    if not activity.rrule and not new_rule:
        if (new_start, new_end) != (activity.starts_at, activity.ends_at):
            slot = activity.slots.select_for_update().filter(status="scheduled").first()
            activity.starts_at, activity.ends_at = new_start, new_end
            activity.sequence += 1
            activity.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
            if slot is not None:
                slot.starts_at, slot.ends_at = new_start, new_end
                slot.original_start = new_start
                slot.sequence += 1
                slot.save()
                _notify_changed([slot])
                told = {slot.pk}
        _details_notify(activity, shown=shown, role_names=role_names, told=told, now=now)
        _waitlists_promote(activity, raised, now)
        return activity

    zi = recurrence.zone(tz)
    old_wall = (
        recurrence.local_naive(activity.starts_at, zi),
        recurrence.local_naive(activity.ends_at, zi),
    )
    new_wall = (recurrence.local_naive(new_start, zi), recurrence.local_naive(new_end, zi))
    changed: list[Slot] = []
    if (new_wall[0].time(), new_wall[1] - new_wall[0]) != (
        old_wall[0].time(),
        old_wall[1] - old_wall[0],
    ):
        changed = _retime_series(
            activity,
            start_time=new_wall[0].time(),
            duration=new_wall[1] - new_wall[0],
            now=now,
        )
    first_start, first_end = _first_occurrence(
        starts_at=new_start, ends_at=new_end, rrule=new_rule, exdates=(), tz=tz
    )
    rule_changed = (
        new_rule != activity.rrule
        or _exdate_strings(new_exdates) != activity.exdates
        or first_start != activity.starts_at
    )
    if rule_changed:
        activity.starts_at, activity.ends_at = first_start, first_end
        activity.rrule = new_rule
        activity.exdates = _exdate_strings(new_exdates)
        activity.sequence += 1
        activity.save()
    cancelled, _created = series_reconcile(activity, now=now)
    gone = {s.pk for s in cancelled}
    moved = [s for s in changed if s.pk not in gone]
    _notify_changed(moved)
    told = {s.pk for s in moved}
    _details_notify(activity, shown=shown, role_names=role_names, told=told, now=now)
    _waitlists_promote(activity, raised, now)
    return activity
