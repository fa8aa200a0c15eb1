"""Editing a whole activity: its details, its times and rule, and the roles its slots need."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from venues.models import Room
from volunteers.models import Team

from .. import recurrence
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

_UNSET: Any = object()
DETAIL_FIELDS = ("kind", "title", "title_en", "description", "description_en", "audience")


def _role_name(role: ActivityRole) -> str:
    return role.label or (role.skill.display_name if role.skill else "") or _("helper")


def _roles_apply(activity: Activity, specs: list[RoleSpec], now: datetime) -> None:
    """Bring the activity's roles, and those of its coming slots, in line with ``specs``."""
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
        }
        if spec.id and spec.id in current:
            ActivityRole.objects.filter(pk=spec.id).update(**values)
            future.filter(activity_role_id=spec.id).update(**values)
        else:
            role = ActivityRole.objects.create(activity=activity, **values)
            SlotRole.objects.bulk_create(
                SlotRole(slot_id=pk, activity_role=role, **values) for pk in slot_ids
            )


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
    """
    now = timezone.now()
    activity = Activity.objects.select_for_update().select_related("venue").get(pk=activity.pk)
    _check_may_post(by=by, venue=activity.venue)
    if activity.status == Activity.Status.CANCELLED:
        raise Conflict(_("This activity is cancelled."), code="activity_cancelled")
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
    if roles is not _UNSET:
        _roles_apply(activity, specs, now)

    new_rule = recurrence.rrule_normalize(new_rule, tz=tz)
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
    _notify_changed([s for s in changed if s.pk not in gone])
    return activity
