"""Mediators as the matcher sees them: one row per volunteer with the verified mediation skill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Assignment
from volunteers.models import Availability, VolunteerProfile
from volunteers.roles import MEDIATION_SKILL

from ..models import Dispute, MediatorAssignment, MediatorProfile, Session
from ..models.people import DEFAULT_SPECIALTIES


@dataclass
class MediatorRow:
    user_id: int
    volunteer_id: int
    name: str
    lat: float | None
    lon: float | None
    languages: list[str]
    compound_id: int | None
    gender: str
    cap: int
    can_lead: bool
    specialties: list[str]
    max_travel_km: float | None
    caseload: int
    active: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return str(self.user_id)

    @property
    def free_cases(self) -> int:
        return max(0, self.cap - self.caseload)


def mediator_profiles() -> QuerySet[VolunteerProfile]:
    """Volunteers whose mediation skill is verified, with active accounts."""
    return VolunteerProfile.objects.filter(
        skill_links__skill__code=MEDIATION_SKILL,
        skill_links__verified_at__isnull=False,
        user__is_active=True,
    )


def caseload_subquery():
    return Coalesce(
        Subquery(
            MediatorAssignment.objects.filter(
                mediator=OuterRef("user_id"),
                ended_at__isnull=True,
                dispute__status__in=Dispute.OPEN,
            )
            .values("mediator")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def mediator_pool(*, include_inactive: bool = False, user_ids=None) -> list[MediatorRow]:
    """Every mediator with what ranking and the run need (one query)."""
    qs = mediator_profiles()
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    if not include_inactive:
        qs = qs.filter(Q(mediator__isnull=True) | Q(mediator__active=True))
    rows = qs.annotate(caseload=caseload_subquery()).values(
        "id",
        "user_id",
        "user__name",
        "user__email",
        "latitude",
        "longitude",
        "languages",
        "max_travel_km",
        "mediator__gender",
        "mediator__compound_id",
        "mediator__compound__latitude",
        "mediator__compound__longitude",
        "mediator__caseload_cap",
        "mediator__can_lead",
        "mediator__specialties",
        "mediator__active",
        "caseload",
    )
    pool = []
    for r in rows.order_by("user_id"):
        has_profile = r["mediator__caseload_cap"] is not None
        lat = r["latitude"] if r["latitude"] is not None else r["mediator__compound__latitude"]
        lon = r["longitude"] if r["longitude"] is not None else r["mediator__compound__longitude"]
        pool.append(
            MediatorRow(
                user_id=r["user_id"],
                volunteer_id=r["id"],
                name=r["user__name"] or r["user__email"],
                lat=float(lat) if lat is not None else None,
                lon=float(lon) if lon is not None else None,
                languages=list(r["languages"] or []),
                compound_id=r["mediator__compound_id"],
                gender=r["mediator__gender"] or "",
                cap=r["mediator__caseload_cap"] if has_profile else 3,
                can_lead=r["mediator__can_lead"] if has_profile else True,
                specialties=list(
                    r["mediator__specialties"] if has_profile else DEFAULT_SPECIALTIES
                ),
                max_travel_km=float(r["max_travel_km"]) if r["max_travel_km"] else None,
                caseload=r["caseload"],
                active=r["mediator__active"] if has_profile else True,
            )
        )
    return pool


def engine_mediator(row: MediatorRow) -> dict:
    """A mediator in the engine's shape (the matcher's PROBLEM.md, variant B)."""
    return {
        "id": row.key,
        "specialties": row.specialties,
        "languages": row.languages,
        "lat": row.lat,
        "lon": row.lon,
        "compound": f"C{row.compound_id}" if row.compound_id else "",
        "caseload_cap": row.cap,
        "current_caseload": row.caseload,
        "can_lead": row.can_lead,
        "max_travel_km": row.max_travel_km,
    }


def free_hours(*, volunteer_ids: list[int], user_ids: list[int], days: int = 7) -> dict[int, float]:
    """Hours of her weekly windows in the coming ``days``, less the shifts and sessions she
    already has then; by volunteer id."""
    today = timezone.localdate()
    weekdays = [(today + timedelta(days=i)).weekday() for i in range(days)]
    per_weekday: dict[int, dict[int, float]] = {}
    for a in Availability.objects.filter(volunteer_id__in=volunteer_ids).values(
        "volunteer_id", "weekday", "start", "end"
    ):
        span = datetime.combine(today, a["end"]) - datetime.combine(today, a["start"])
        day = per_weekday.setdefault(a["volunteer_id"], {})
        day[a["weekday"]] = day.get(a["weekday"], 0.0) + span.total_seconds() / 3600
    hours = {
        vid: sum(per_weekday.get(vid, {}).get(w, 0.0) for w in weekdays) for vid in volunteer_ids
    }
    now = timezone.now()
    until = now + timedelta(days=days)
    taken = Assignment.objects.filter(
        volunteer_id__in=volunteer_ids,
        status__in=Assignment.SEATED,
        slot__starts_at__gte=now,
        slot__starts_at__lt=until,
    ).values_list("volunteer_id", "slot__starts_at", "slot__ends_at")
    for vid, start, end in taken:
        hours[vid] -= (end - start).total_seconds() / 3600
    by_user = dict(
        VolunteerProfile.objects.filter(pk__in=volunteer_ids).values_list("user_id", "id")
    )
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=until,
        dispute__assignments__mediator_id__in=user_ids,
        dispute__assignments__ended_at__isnull=True,
    ).values_list("dispute__assignments__mediator_id", "starts_at", "ends_at")
    for uid, start, end in sessions:
        vid = by_user.get(uid)
        if vid in hours:
            hours[vid] -= (end - start).total_seconds() / 3600
    return {vid: round(max(h, 0.0), 1) for vid, h in hours.items()}


def mediators_for_management() -> QuerySet[VolunteerProfile]:
    """Mediators with their settings and open caseload, for the coordinators' list."""
    return (
        mediator_profiles()
        .select_related("user", "mediator__compound")
        .annotate(caseload=caseload_subquery())
        .order_by("user__name", "user__email")
    )


def mediator_settings(*, volunteer: VolunteerProfile) -> MediatorProfile:
    """Her settings, or the defaults (unsaved) when none were recorded."""
    return getattr(volunteer, "mediator", None) or MediatorProfile(volunteer=volunteer)
