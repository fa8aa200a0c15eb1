"""Lists and figures of disputes, always within what the person sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ..models import (
    Dispute,
    Escalation,
    FollowUp,
    MediatorAssignment,
    Party,
    Session,
    Visit,
)
from .access import disputes_visible

ACTIVE = Prefetch(
    "assignments",
    queryset=MediatorAssignment.objects.filter(ended_at__isnull=True).select_related("mediator"),
    to_attr="team",
)


@dataclass
class DisputeFilters:
    status: str = ""
    kind: str = ""
    level: str = ""
    urgency: str = ""
    unassigned: bool = False
    q: str = ""


def disputes_list(*, user, filters: DisputeFilters | None = None) -> QuerySet[Dispute]:
    """The disputes she sees, filtered; search by reference or compound name (names of
    parties are encrypted and never searched)."""
    f = filters or DisputeFilters()
    qs = disputes_visible(user=user).select_related("area", "compound").prefetch_related(ACTIVE)
    if f.status == "open":
        qs = qs.filter(status__in=Dispute.OPEN)
    elif f.status in Dispute.Status.values:
        qs = qs.filter(status=f.status)
    if f.kind in Dispute.Kind.values:
        qs = qs.filter(kind=f.kind)
    if f.level.isdigit():
        qs = qs.filter(level=int(f.level))
    if f.urgency.isdigit():
        qs = qs.filter(urgency=int(f.urgency))
    if f.unassigned:
        qs = qs.filter(status__in=Dispute.UNASSIGNED)
    q = (f.q or "").strip()
    if q:
        qs = qs.filter(
            Q(reference__iexact=q.upper().lstrip("#"))
            | Q(compound__name__icontains=q)
            | Q(compound__name_en__icontains=q)
        )
    return qs.order_by("-urgency", "-created_at", "-id")


def dispute_detail(*, dispute: Dispute) -> dict:
    """Everything the case page shows (the caller has checked she may see it)."""
    today = timezone.localdate()
    return {
        "parties": list(Party.objects.filter(dispute=dispute).select_related("compound")),
        "team": sorted(
            MediatorAssignment.objects.filter(
                dispute=dispute, ended_at__isnull=True
            ).select_related("mediator"),
            key=lambda a: a.role != MediatorAssignment.Role.LEAD,
        ),
        "visits": list(
            Visit.objects.filter(dispute=dispute)
            .prefetch_related("mediators")
            .order_by("-visited_on", "-id")
        ),
        "escalations": list(
            Escalation.objects.filter(dispute=dispute).prefetch_related("contacts")
        ),
        "sessions": list(Session.objects.filter(dispute=dispute).select_related("venue", "room")),
        "follow_ups": list(FollowUp.objects.filter(dispute=dispute)),
        "conflicts": list(dispute.conflicts.select_related("mediator")),
        "today": today,
    }


def cases_of_mediator(*, user) -> dict:
    """Her page: open cases, next visits and sessions, what is overdue."""
    today = timezone.localdate()
    mine = MediatorAssignment.objects.filter(mediator=user, ended_at__isnull=True)
    roles = dict(mine.values_list("dispute_id", "role"))
    cases = list(
        Dispute.objects.filter(pk__in=roles)
        .select_related("area", "compound")
        .prefetch_related(ACTIVE)
        .order_by("-urgency", "created_at")
    )
    for case in cases:
        case.my_role = roles[case.pk]
    open_cases = [c for c in cases if c.status in Dispute.OPEN or c.status == "resolved"]
    visits = list(
        Visit.objects.filter(dispute_id__in=roles, next_visit_on__isnull=False)
        .order_by("dispute_id", "-visited_on", "-id")
        .select_related("dispute")
    )
    latest: dict[int, Visit] = {}
    for v in visits:
        latest.setdefault(v.dispute_id, v)
    next_visits = sorted(
        (v for v in latest.values() if v.dispute.status in Dispute.OPEN),
        key=lambda v: v.next_visit_on,
    )
    sessions = list(
        Session.objects.filter(
            dispute_id__in=roles, status=Session.Status.SCHEDULED, ends_at__gte=timezone.now()
        )
        .select_related("venue", "room", "dispute")
        .order_by("starts_at")
    )
    follow_ups = list(
        FollowUp.objects.filter(
            dispute_id__in=roles, done_at__isnull=True, dispute__status="resolved"
        )
        .select_related("dispute")
        .order_by("due_on")
    )
    overdue_visits = [v for v in next_visits if v.next_visit_on < today]
    overdue_follow_ups = [f for f in follow_ups if f.due_on < today]
    return {
        "cases": open_cases,
        "past_cases": [c for c in cases if c not in open_cases],
        "next_visits": next_visits,
        "sessions": sessions,
        "follow_ups": follow_ups,
        "overdue_visits": overdue_visits,
        "overdue_follow_ups": overdue_follow_ups,
        "today": today,
    }


def coordinator_figures(*, user) -> dict:
    """Counts for a coordinator's home page: open, unassigned, overdue follow-ups."""
    visible = disputes_visible(user=user)
    today = timezone.localdate()
    overdue = FollowUp.objects.filter(
        dispute__in=visible.filter(status=Dispute.Status.RESOLVED),
        done_at__isnull=True,
        due_on__lt=today,
    )
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status__in=Dispute.OPEN)),
        unassigned=Count("pk", filter=Q(status__in=Dispute.UNASSIGNED)),
        urgent=Count(
            "pk",
            filter=Q(status__in=Dispute.UNASSIGNED) & (Q(urgency__gte=2) | Q(safety_risk=True)),
        ),
    )
    counts["overdue_follow_ups"] = overdue.count()
    return counts


def disputes_for_export(*, user) -> QuerySet[Dispute]:
    """What the CSV export holds: no names, numbers or narratives, only the case's facts."""
    visits = Visit.objects.filter(dispute=OuterRef("pk"))
    return (
        disputes_visible(user=user)
        .select_related("area", "compound")
        .prefetch_related(ACTIVE)
        .annotate(visit_count=Count("visits", distinct=True), visited=Exists(visits))
        .order_by("created_at", "id")
    )
