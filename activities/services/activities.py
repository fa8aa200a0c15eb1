"""Posting activities and keeping their slots generated up to the rolling horizon."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, ValidationFailed
from venues.models import Room, Venue
from venues.selectors import venue_can_edit
from volunteers.models import LANGUAGE_CODES, Skill, Team

from .. import recurrence
from ..models import Activity, ActivityRole, Slot, SlotRole


@dataclass
class RoleSpec:
    """A role a slot needs. ``skill`` and ``language`` None/'' mean anyone may take it."""

    needed: int
    skill: Skill | None = None
    language: str = ""
    label: str = ""
    label_en: str = ""
    id: int | None = None


def _role_specs(roles: Iterable[RoleSpec | dict]) -> list[RoleSpec]:
    specs = []
    for role in roles or ():
        if isinstance(role, RoleSpec):
            specs.append(role)
        else:
            specs.append(
                RoleSpec(
                    needed=role.get("needed"),
                    skill=role.get("skill"),
                    language=role.get("language") or "",
                    label=role.get("label") or "",
                    label_en=role.get("label_en") or "",
                    id=role.get("id"),
                )
            )
    return specs


def roles_validate(specs: Sequence[RoleSpec]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not specs:
        errors["roles"] = [_("Say who the activity needs: at least one role.")]
    for spec in specs:
        try:
            needed = int(spec.needed)
        except (TypeError, ValueError):
            needed = 0
        if needed < 1:
            errors.setdefault("roles", []).append(_("Each role needs at least one seat."))
        if spec.language and spec.language not in LANGUAGE_CODES:
            errors.setdefault("roles", []).append(
                _("“%(code)s” is not a language we know.") % {"code": spec.language}
            )
    return errors


def _check_may_post(*, by, venue: Venue) -> None:
    if not venue_can_edit(user=by, venue=venue):
        raise NotAllowed(
            _("You can post and change activities only at venues you host or coordinate."),
            code="not_your_venue",
        )


def activity_validate(
    *,
    venue: Venue,
    kind: str,
    title: str,
    title_en: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    rrule: str,
    exdates: Iterable,
    roles: Sequence[RoleSpec],
    room: Room | None = None,
    new: bool = True,
) -> dict[str, list[str]]:
    """Every problem with a posting, as ``{field: [messages]}`` (empty when it can be saved)."""
    errors: dict[str, list[str]] = {}
    if kind not in Activity.Kind.values:
        errors["kind"] = [_("Choose what kind of activity this is.")]
    if not (title or "").strip() and not (title_en or "").strip():
        errors["title"] = [_("Give the activity a title, in Chinese or English.")]
    if room is not None and room.venue_id != venue.pk:
        errors["room"] = [_("This room belongs to another venue.")]
    errors.update(
        recurrence.validate(
            starts_at=starts_at, ends_at=ends_at, rrule=rrule, exdates=exdates, tz=venue.timezone
        )
    )
    if new and not rrule and ends_at and "ends_at" not in errors and ends_at <= timezone.now():
        errors.setdefault("starts_at", []).append(_("This time has already passed."))
    for field, messages in roles_validate(roles).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def _first_occurrence(*, starts_at, ends_at, rrule, exdates, tz) -> tuple[datetime, datetime]:
    """A series starts at its first real occurrence (DTSTART may not match BYDAY)."""
    if not rrule:
        return starts_at, ends_at
    found = recurrence.occurrences(
        starts_at=starts_at, ends_at=ends_at, rrule=rrule, exdates=(), tz=tz, limit=1
    )
    return (found[0].starts_at, found[0].ends_at) if found else (starts_at, ends_at)


def occurrences_of(activity: Activity, *, exdates: bool = True, **window) -> list:
    """The activity's occurrences by its rule, in its venue's zone (``exdates=False``: the
    excepted dates too); ``window`` is ``after``, ``before`` and ``limit``."""
    return recurrence.occurrences(
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        rrule=activity.rrule,
        exdates=activity.exdates if exdates else (),
        tz=activity.venue.timezone,
        **window,
    )


def _exdate_strings(exdates: Iterable) -> list[str]:
    return [d.isoformat() for d in recurrence.exdates_parse(exdates)]


@transaction.atomic
def activity_create(
    *,
    by,
    venue: Venue,
    kind: str,
    title: str,
    title_en: str = "",
    description: str = "",
    description_en: str = "",
    audience: str = "",
    team: Team | None = None,
    starts_at: datetime,
    ends_at: datetime,
    rrule: str = "",
    exdates: Iterable[str | date] = (),
    roles: Iterable[RoleSpec | dict],
    room: Room | None = None,
) -> Activity:
    """Post an activity with its roles and create its slots up to the horizon, in one go.

    Raises NotAllowed when ``by`` may not post at ``venue``, ValidationFailed for bad input.
    """
    _check_may_post(by=by, venue=venue)
    specs = _role_specs(roles)
    rrule = rrule or ""
    exdates = list(exdates or ())
    errors = activity_validate(
        venue=venue,
        kind=kind,
        title=title,
        title_en=title_en,
        starts_at=starts_at,
        ends_at=ends_at,
        rrule=rrule,
        exdates=exdates,
        roles=specs,
        room=room,
    )
    if errors:
        raise ValidationFailed(errors)
    rrule = recurrence.rrule_normalize(rrule, tz=venue.timezone)
    starts_at, ends_at = _first_occurrence(
        starts_at=starts_at, ends_at=ends_at, rrule=rrule, exdates=exdates, tz=venue.timezone
    )
    activity = Activity.objects.create(
        venue=venue,
        room=room,
        kind=kind,
        title=(title or "").strip() or title_en.strip(),
        title_en=(title_en or "").strip(),
        description=description or "",
        description_en=description_en or "",
        audience=audience or "",
        team=team,
        starts_at=starts_at,
        ends_at=ends_at,
        rrule=rrule,
        exdates=_exdate_strings(exdates),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    ActivityRole.objects.bulk_create(
        ActivityRole(
            activity=activity,
            skill=spec.skill,
            language=spec.language or "",
            needed=int(spec.needed),
            label=spec.label or "",
            label_en=spec.label_en or "",
        )
        for spec in specs
    )
    slots_generate(activities=[activity])
    return activity


def horizon_end(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(weeks=settings.SLOT_HORIZON_WEEKS)


def slots_generate(
    *,
    activities: Iterable[Activity] | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Create the missing slots (with their roles) of active activities from now to ``until``.

    Idempotent: an occurrence that already has a slot (scheduled, moved or cancelled) is left
    alone, so a run with nothing new reads and writes nothing else. A one-off activity gets its
    single slot whatever the horizon. Activities being edited at this moment are skipped (their
    edit regenerates them). Returns the number of slots created.
    """
    now = now or timezone.now()
    until = until or horizon_end(now)
    with transaction.atomic():
        qs = Activity.objects.filter(status=Activity.Status.ACTIVE)
        if activities is not None:
            qs = qs.filter(pk__in=[a.pk for a in activities])
        qs = qs.exclude(rrule="", starts_at__lt=now)
        rows = list(
            qs.select_related("venue")
            .only("id", "starts_at", "ends_at", "rrule", "exdates", "venue__timezone")
            .select_for_update(of=("self",), skip_locked=True)
        )
        if not rows:
            return 0
        existing_qs = Slot.objects.filter(original_start__gte=now)
        if activities is not None:
            existing_qs = existing_qs.filter(activity_id__in=[a.pk for a in rows])
        else:
            existing_qs = existing_qs.filter(activity__status=Activity.Status.ACTIVE)
        existing = set(existing_qs.order_by().values_list("activity_id", "original_start"))
        new_slots: list[Slot] = []
        for activity in rows:
            for occ in occurrences_of(
                activity, after=now, before=None if not activity.rrule else until
            ):
                if (activity.pk, occ.key) not in existing:
                    new_slots.append(
                        Slot(
                            activity_id=activity.pk,
                            starts_at=occ.starts_at,
                            ends_at=occ.ends_at,
                            original_start=occ.key,
                        )
                    )
        if not new_slots:
            return 0
        Slot.objects.bulk_create(new_slots, batch_size=500)
        roles_by_activity: dict[int, list[ActivityRole]] = defaultdict(list)
        for role in ActivityRole.objects.filter(activity_id__in={s.activity_id for s in new_slots}):
            roles_by_activity[role.activity_id].append(role)
        SlotRole.objects.bulk_create(
            (
                SlotRole(
                    slot_id=slot.pk,
                    activity_role_id=role.pk,
                    skill_id=role.skill_id,
                    language=role.language,
                    needed=role.needed,
                    label=role.label,
                    label_en=role.label_en,
                )
                for slot in new_slots
                for role in roles_by_activity[slot.activity_id]
            ),
            batch_size=1000,
        )
        return len(new_slots)
