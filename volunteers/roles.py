"""The roles a person holds. Pages, the API and the navigation all ask here."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from venues.models import Venue
from venues.selectors import coordinator_area_ids_keep

from .models import VolunteerProfile, VolunteerSkill


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    HOST = "host"
    COORDINATOR = "coordinator"
    MEDIATOR = "mediator"
    ADMIN = "admin"


MEDIATION_SKILL = "mediation"


def roles_of(user) -> list[str]:
    """Roles in a stable order; cached on the user object for the request.

    One query answers every role (and her coordinator areas, which ``coordinator_area_ids``
    then reads from the same cache): this runs on every page, for the menu and for the
    second-factor rules."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_roles", None)
    if cached is not None:
        return cached
    rows = list(
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            role_volunteer=Exists(VolunteerProfile.objects.filter(user=OuterRef("pk"))),
            role_host=Exists(Venue.hosts.through.objects.filter(user=OuterRef("pk"))),
            role_mediator=Exists(
                VolunteerSkill.objects.filter(
                    volunteer__user=OuterRef("pk"),
                    skill__code=MEDIATION_SKILL,
                    verified_at__isnull=False,
                )
            ),
        )
        .values_list("role_volunteer", "role_host", "role_mediator", "coordinatorships__area_id")
    )
    area_ids = [area_id for *_flags, area_id in rows if area_id is not None]
    coordinator_area_ids_keep(user, area_ids)
    volunteer, host, mediator = rows[0][:3] if rows else (False, False, False)
    roles: list[str] = []
    if volunteer:
        roles.append(Role.VOLUNTEER)
    if host:
        roles.append(Role.HOST)
    if area_ids:
        roles.append(Role.COORDINATOR)
    if volunteer and mediator:
        roles.append(Role.MEDIATOR)
    if user.is_superuser:
        roles.append(Role.ADMIN)
    user._roles = roles
    return roles


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)
