"""Reads of volunteers, skills and teams."""

from __future__ import annotations

import contextlib

from django.db.models import Prefetch, Q, QuerySet

from core.errors import ValidationFailed
from venues.selectors import areas_in_scope, is_district_coordinator

from .models import Skill, Team, TeamMembership, VolunteerProfile, VolunteerSkill
from .phones import phone_normalise


def skills_all() -> QuerySet[Skill]:
    return Skill.objects.order_by("code")


def volunteer_profile_full(*, user) -> VolunteerProfile | None:
    return (
        VolunteerProfile.objects.select_related("user", "home_area")
        .prefetch_related(
            Prefetch("skill_links", queryset=VolunteerSkill.objects.select_related("skill")),
            "availability",
            "absences",
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("team")),
        )
        .filter(user=user)
        .first()
    )


def volunteers_in_scope_q(*, user, prefix: str = "") -> Q:
    """The volunteers a coordinator acts on, as a filter on ``<prefix>home_area``: those living
    in her areas, and, for a coordinator of the whole district, those not yet placed in an
    area. Nobody else's: outside it a volunteer does not exist for her (404)."""
    if user.is_superuser:
        return Q()
    q = Q(**{f"{prefix}home_area__in": areas_in_scope(user=user)})
    if is_district_coordinator(user):
        q |= Q(**{f"{prefix}home_area__isnull": True})
    return q


def volunteers_in_scope(*, user) -> QuerySet[VolunteerProfile]:
    """Volunteers a coordinator may add to teams, verify and list (see volunteers_in_scope_q)."""
    if not user.is_authenticated:
        return VolunteerProfile.objects.none()
    if not user.is_superuser and not areas_in_scope(user=user).exists():
        return VolunteerProfile.objects.none()
    return VolunteerProfile.objects.filter(volunteers_in_scope_q(user=user))


def skill_links_pending(*, user) -> QuerySet[VolunteerSkill]:
    """Skills that need trust and are not yet verified, of volunteers in the coordinator's
    scope (see volunteers_in_scope_q)."""
    return (
        VolunteerSkill.objects.filter(
            skill__needs_verification=True,
            verified_at__isnull=True,
            volunteer__in=volunteers_in_scope(user=user),
        )
        .select_related("skill", "volunteer__user", "volunteer__home_area")
        .order_by("volunteer__user__email", "skill__code")
    )


def teams_visible(*, user) -> QuerySet[Team]:
    """Coordinators see the teams of their area; volunteers the teams they belong to."""
    q = Q(memberships__volunteer__user=user)
    if user.is_superuser:
        q = Q()
    else:
        q |= Q(area__in=areas_in_scope(user=user))
    return Team.objects.filter(q).distinct().select_related("area").order_by("name")


def team_role_of(*, user, team: Team) -> str | None:
    """``coordinator``, ``leader``, ``member`` or None."""
    if user.is_superuser or areas_in_scope(user=user).filter(pk=team.area_id).exists():
        return "coordinator"
    membership = TeamMembership.objects.filter(team=team, volunteer__user=user).first()
    return membership.role if membership else None


def team_members(*, team: Team) -> QuerySet[TeamMembership]:
    return (
        TeamMembership.objects.filter(team=team)
        .select_related("volunteer__user")
        .order_by("-role", "volunteer__user__name", "volunteer__user__email")
    )


def volunteer_find(*, user, who: str) -> VolunteerProfile | None:
    """The volunteer with this email address or mobile number (as people type it), among
    those ``user`` looks after: others do not exist for her."""
    who = (who or "").strip()
    match = Q(user__email__iexact=who)
    with contextlib.suppress(ValidationFailed):
        match |= Q(phone=phone_normalise(who))
    return volunteers_in_scope(user=user).filter(match).first()


def volunteers_search(*, user, query: str, limit: int = 20) -> QuerySet[VolunteerProfile]:
    qs = volunteers_in_scope(user=user).select_related("user")
    if query:
        qs = qs.filter(
            Q(user__email__icontains=query)
            | Q(user__name__icontains=query)
            | Q(phone__contains=query)
        )
    return qs.order_by("user__email")[:limit]
