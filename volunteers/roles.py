"""The roles a person holds. Pages, the API and the navigation all ask here."""

from __future__ import annotations

import functools
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
# app imports none of them. Each function is called once in a process (``_question``): its
# expression may depend on nothing but the user row (not on the moment, nor on the request).
_flags: dict[str, Callable[[], Exists]] = {}


def role_flag_register(name: str, expression: Callable[[], Exists]) -> None:
    _flags[name] = expression


def role_flag(user, name: str) -> bool | None:
    """A registered flag, as read with her roles in this request: None when her roles were not
    read yet or the flag is not registered (the caller then asks in a query of its own)."""
    flags = getattr(user, "_role_flags", None)
    return None if flags is None else flags.get(name)


@functools.cache
def _role_questions() -> dict[str, Exists]:
    """The subqueries of ``roles_of``, each about the user row of the query (``OuterRef``),
    made once in a process rather than on every page: a query works on its own copy of an
    expression, so the same one serves every query. Only the questions are kept, never an
    answer: her roles are read afresh on every request."""
    return {
        "volunteer": Exists(VolunteerProfile.objects.filter(user=OuterRef("pk"))),
        "host": Exists(Venue.hosts.through.objects.filter(user=OuterRef("pk"))),
        "mediator": Exists(
            VolunteerSkill.objects.filter(
                volunteer__user=OuterRef("pk"),
                skill__code=MEDIATION_SKILL,
                verified_at__isnull=False,
            )
        ),
    }


@functools.cache
def _question(expression: Callable[[], Exists]) -> Exists:
    """A registered flag's expression, made once in a process (as ``_role_questions``)."""
    return expression()


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
    flags = {f"flag_{name}": _question(expression) for name, expression in _flags.items()}
    user_model = get_user_model()
    questions = _role_questions()
    volunteer_role, mediator_role = questions["volunteer"], questions["mediator"]
    if user_model.volunteer.is_cached(user):
        # Her profile was read with her (signin.backends): whether she is a volunteer is known,
        # and without a profile she mediates nothing.
        volunteer_role = Value(getattr(user, "volunteer", None) is not None)
        if volunteer_role.value is False:
            mediator_role = Value(False)
    rows = list(
        user_model.objects.filter(pk=user.pk)
        .annotate(
            role_volunteer=volunteer_role,
            role_host=questions["host"],
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
