"""The roles a person holds. Pages, the API and the navigation all ask here."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from venues.selectors import coordinator_area_ids


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    HOST = "host"
    COORDINATOR = "coordinator"
    MEDIATOR = "mediator"
    ADMIN = "admin"


MEDIATION_SKILL = "mediation"


def roles_of(user) -> list[str]:
    """Roles in a stable order; cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_roles", None)
    if cached is not None:
        return cached
    roles: list[str] = []
    # RelatedObjectDoesNotExist is an AttributeError, so getattr answers None for non-volunteers.
    profile = getattr(user, "volunteer", None)
    if profile is not None:
        roles.append(Role.VOLUNTEER)
    if user.hosted_venues.exists():
        roles.append(Role.HOST)
    if coordinator_area_ids(user):
        roles.append(Role.COORDINATOR)
    if (
        profile is not None
        and profile.skill_links.filter(
            Q(skill__code=MEDIATION_SKILL), Q(verified_at__isnull=False)
        ).exists()
    ):
        roles.append(Role.MEDIATOR)
    if user.is_superuser:
        roles.append(Role.ADMIN)
    user._roles = roles
    return roles


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)
