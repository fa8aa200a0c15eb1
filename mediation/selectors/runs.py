"""What a mediation run reads: the instance for the engine, and the report of a finished run."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.engine.geo import haversine_km
from venues.models import Area
from venues.selectors import area_subtree_q, areas_in_scope

from ..models import (
    Dispute,
    MediationGap,
    MediationRun,
    MediatorAssignment,
    MediatorConflict,
    Party,
)
from .candidates import engine_dispute, hard_exclusion, party_compound_ids
from .mediators import engine_mediator, mediator_pool

# The engine's reasons for a dispute left without a team, in words.
GAP_TEXTS = {
    "no_language": gettext_lazy("Nobody free speaks the language of the case."),
    "conflict_of_interest": gettext_lazy("Everyone who could lead lives in a party's compound."),
    "out_of_travel_range": gettext_lazy("Nobody who could lead lives near enough."),
    "no_qualified_lead": gettext_lazy("Nobody can lead this kind of case."),
    "excluded": gettext_lazy("Everyone who could lead was removed or declared a conflict."),
    "all_at_caseload": gettext_lazy("Everyone who could lead has her most cases already."),
    "lost_to_other_disputes": gettext_lazy(
        "The people who could lead are needed for more urgent cases."
    ),
    "needs_two_people": gettext_lazy("Only one person could take it; it needs two."),
    "not_reached": gettext_lazy("The time limit ended the search first."),
}


def gap_text(reason: str) -> str:
    if reason.startswith("assistant_"):
        return _("No assistant: %(why)s") % {"why": gap_text(reason.removeprefix("assistant_"))}
    return str(GAP_TEXTS.get(reason, reason))


@dataclass
class RunInstance:
    instance: dict
    locked: list[tuple[str, str, str | None]]
    excluded: list[tuple[str, str]]
    without_location: int = 0
    places: dict = field(default_factory=dict)

    def distance(self, dispute_key: str, mediator_key: str) -> float:
        d, m = self.places["d"][dispute_key], self.places["m"][mediator_key]
        return haversine_km(d[0], d[1], m[0], m[1])


def run_disputes(*, area: Area) -> QuerySet[Dispute]:
    """Disputes of the area (and below) waiting for a lead."""
    has_lead = MediatorAssignment.objects.filter(
        dispute=OuterRef("pk"), role="lead", ended_at__isnull=True
    )
    return (
        Dispute.objects.filter(
            area_subtree_q([area.pk], prefix="area__"), status__in=Dispute.UNASSIGNED
        )
        .exclude(Exists(has_lead))
        .select_related("compound")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.only("dispute_id", "compound_id"))
        )
    )


def run_instance(*, area: Area, locked: dict, removed: list[tuple[int, int]]) -> RunInstance:
    disputes = list(run_disputes(area=area))
    everyone = mediator_pool()
    pool = [row for row in everyone if row.lat is not None and row.lon is not None]
    without = len(everyone) - len(pool)
    conflicts: dict[int, dict[int, str]] = {}
    for c in MediatorConflict.objects.filter(dispute__in=[d.pk for d in disputes]):
        conflicts.setdefault(c.dispute_id, {})[c.mediator_id] = c.reason
    excluded = {(str(d), str(m)) for d, m in removed}
    engine_disputes = []
    places = {"d": {}, "m": {row.key: (row.lat, row.lon) for row in pool}}
    for d in disputes:
        compounds = party_compound_ids(d)
        shape = engine_dispute(d, compounds)
        engine_disputes.append(shape)
        places["d"][shape["id"]] = (shape["lat"], shape["lon"])
        gendered = d.needs_pair and d.gender_preference
        if d.pk in conflicts or gendered:
            for row in pool:
                if hard_exclusion(
                    dispute=d, row=row, compounds=set(), conflicts=conflicts.get(d.pk, {})
                ):
                    excluded.add((str(d.pk), row.key))
    known = {shape["id"] for shape in engine_disputes}
    keys = set(places["m"])
    teams = []
    for dispute_id, roles in locked.items():
        lead, assistant = roles.get("lead"), roles.get("assistant")
        if str(dispute_id) in known and lead is not None and str(lead) in keys:
            helper = str(assistant) if assistant is not None and str(assistant) in keys else None
            teams.append((str(dispute_id), str(lead), helper))
    return RunInstance(
        instance={
            "meta": {"variant": "mediation", "area": area.pk},
            "mediators": [engine_mediator(row) for row in pool],
            "disputes": engine_disputes,
        },
        locked=teams,
        excluded=sorted(excluded),
        without_location=without,
        places=places,
    )


def runs_visible(*, user) -> QuerySet[MediationRun]:
    return MediationRun.objects.filter(area__in=areas_in_scope(user=user)).select_related("area")


def run_report(*, run: MediationRun) -> dict:
    """Proposed teams per dispute (most urgent first) and the disputes left without one."""
    proposals = list(
        run.proposals.select_related("dispute__area", "dispute__compound", "mediator").order_by(
            "-dispute__urgency", "dispute__created_at", "role"
        )
    )
    teams: dict[int, dict] = {}
    for p in proposals:
        entry = teams.setdefault(p.dispute_id, {"dispute": p.dispute, "members": []})
        entry["members"].append(p)
    gaps = list(MediationGap.objects.filter(run=run).select_related("dispute__area"))
    for gap in gaps:
        gap.text = gap_text(gap.reason)
    # The mediators publishing would assign and text: what its confirmation states.
    notified = len(
        {p.mediator_id for p in proposals if not p.removed and p.outcome == p.Outcome.PENDING}
    )
    return {"teams": list(teams.values()), "gaps": gaps, "notified": notified}
