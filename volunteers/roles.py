"""The roles a person holds. Pages, the API and the navigation all ask here."""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Exists, F, OuterRef

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


@functools.cache
def _roles_sql(alias: str, flag_names: tuple[str, ...]) -> tuple[str, tuple]:
    """The statement of ``roles_of`` (its SQL and its fixed parameters; her id is the last
    parameter), made by the ORM once in a process: building the subqueries cost more CPU on
    every page than the database's answer. Her id stands in the outer ``WHERE`` of a select over
    all users, which both PostgreSQL and SQLite fold into the inner query (an index lookup of
    her row); the inner query depends on nothing that changes between requests, as
    ``_role_questions`` and the registered flags promise."""
    questions = _role_questions()
    flags = {f"flag_{name}": _question(_flags[name]) for name in flag_names}
    columns = ["role_volunteer", "role_host", "role_mediator", *flags, "role_area"]
    inner = (
        get_user_model()
        .objects.order_by()
        .annotate(
            role_user=F("pk"),
            role_volunteer=questions["volunteer"],
            role_host=questions["host"],
            role_mediator=questions["mediator"],
            role_area=F("coordinatorships__area_id"),
            **flags,
        )
    )
    sql, params = inner.values_list(*columns, "role_user").query.get_compiler(alias).as_sql()
    name = connections[alias].ops.quote_name
    return (
        f"SELECT {', '.join(map(name, columns))} FROM ({sql}) {name('roles')} "
        f"WHERE {name('role_user')} = %s",
        tuple(params),
    )


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
    alias = router.db_for_read(get_user_model(), instance=user)
    sql, params = _roles_sql(alias, tuple(_flags))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, (*params, user.pk))
        rows = cursor.fetchall()
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
