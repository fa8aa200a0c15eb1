"""The roles a person holds. Pages, the API and the navigation all ask here."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Value

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

# Flags about her that a higher app asks on every request too (the mediation app: whether she
# works on a dispute now, whether she answers the hotline), read in the query of her roles
# rather than in one of their own. name → a function returning a boolean expression of the
# user row (``OuterRef("pk")`` is her id), registered by that app's ``AppConfig.ready``: this
# app imports none of them.
_flags: dict[str, Callable[[], Exists]] = {}


def role_flag_register(name: str, expression: Callable[[], Exists]) -> None:
    _flags[name] = expression


def role_flag(user, name: str) -> bool | None:
    """A registered flag, as read with her roles in this request: None when her roles were not
    read yet or the flag is not registered (the caller then asks in a query of its own)."""
    flags = getattr(user, "_role_flags", None)
    return None if flags is None else flags.get(name)


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
    flags = {f"flag_{name}": expression() for name, expression in _flags.items()}
    user_model = get_user_model()
    mediation_skill = {"skill__code": MEDIATION_SKILL, "verified_at__isnull": False}
    if user_model.volunteer.is_cached(user):
        # Her profile was read with her (signin.backends): whether she is a volunteer is known,
        # and her skills are asked by its id.
        profile = getattr(user, "volunteer", None)
        volunteer_role = Value(profile is not None)
        mediator_role = (
            Exists(VolunteerSkill.objects.filter(volunteer_id=profile.pk, **mediation_skill))
            if profile is not None
            else Value(False)
        )
    else:
        volunteer_role = Exists(VolunteerProfile.objects.filter(user=OuterRef("pk")))
        mediator_role = Exists(
            VolunteerSkill.objects.filter(volunteer__user=OuterRef("pk"), **mediation_skill)
        )
    rows = list(
        user_model.objects.filter(pk=user.pk)
        .annotate(
            role_volunteer=volunteer_role,
            role_host=Exists(Venue.hosts.through.objects.filter(user=OuterRef("pk"))),
            role_mediator=mediator_role,
            **flags,
        )
        .values_list(
            "role_volunteer", "role_host", "role_mediator", *flags, "coordinatorships__area_id"
        )
    )
    area_ids = [row[-1] for row in rows if row[-1] is not None]
    coordinator_area_ids_keep(user, area_ids)
    volunteer, host, mediator = rows[0][:3] if rows else (False, False, False)
    user._role_flags = {
        name: bool(rows[0][3 + i]) if rows else False for i, name in enumerate(_flags)
    }
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
