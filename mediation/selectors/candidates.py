"""Mediators for one dispute: ranked, each with her reasons, and who is excluded and why.

The ranking is the matcher's (``matching.services.mediators_rank``): whoever has a case left
under her cap first, then by distance. Before it, the hard exclusions of this product: a
declared conflict, living in a party's compound, and for domestic violence the gender the
party asked for. Those are listed by name with the reason; people who fail the plainer checks
(language, travel range, cannot lead this kind) are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.engine.geo import haversine_km
from matching.services.mediation import mediators_rank
from volunteers.models import LANGUAGE_CHOICES

from ..models import Dispute, MediatorAssignment, MediatorConflict
from .mediators import MediatorRow, engine_mediator, free_hours, mediator_pool

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


@dataclass
class Candidate:
    mediator: MediatorRow
    role: str
    distance_km: float
    free_roles: int
    in_current_plan: bool
    reasons: list[str] = field(default_factory=list)
    free_hours: float | None = None


@dataclass
class Exclusion:
    mediator: MediatorRow
    code: str
    text: str


@dataclass
class Ranking:
    leads: list[Candidate]
    assistants: list[Candidate]
    excluded: list[Exclusion]
    others: dict[str, int]

    @property
    def first_pair(self) -> tuple[Candidate | None, Candidate | None]:
        lead = next((c for c in self.leads if c.free_roles or c.in_current_plan), None)
        assistant = next(
            (
                c
                for c in self.assistants
                if (c.free_roles or c.in_current_plan)
                and (lead is None or c.mediator.user_id != lead.mediator.user_id)
            ),
            None,
        )
        return lead, assistant


def party_compound_ids(dispute: Dispute) -> set[int]:
    ids = {dispute.compound_id}
    ids.update(p.compound_id for p in dispute.parties.all() if p.compound_id)
    return ids


def engine_urgency(dispute: Dispute) -> int:
    """A safety risk makes a dispute at least urgent."""
    return max(dispute.urgency, 2) if dispute.safety_risk else dispute.urgency


def engine_dispute(dispute: Dispute, compounds: set[int]) -> dict:
    return {
        "id": str(dispute.pk),
        "kind": dispute.kind,
        "language": dispute.language,
        "lat": float(dispute.compound.latitude),
        "lon": float(dispute.compound.longitude),
        "urgency": engine_urgency(dispute),
        "party_compounds": [f"C{c}" for c in sorted(compounds)],
        "requires_pair": dispute.needs_pair,
    }


def hard_exclusion(
    *, dispute: Dispute, row: MediatorRow, compounds: set[int], conflicts: dict[int, str]
) -> tuple[str, str] | None:
    """This product's reasons to keep a mediator off a dispute altogether."""
    if row.user_id in conflicts:
        return "conflict", _("Declared a conflict: %(reason)s") % {"reason": conflicts[row.user_id]}
    if row.compound_id and row.compound_id in compounds:
        return "same_compound", _("Lives in the same compound as a party")
    wanted = dispute.gender_preference
    if dispute.needs_pair and wanted and row.gender != wanted:
        return "gender", (
            _("The party asked for a woman mediator")
            if wanted == Dispute.GenderPreference.FEMALE
            else _("The party asked for a man mediator")
        )
    return None


def conflicts_of(dispute: Dispute) -> dict[int, str]:
    return {
        c.mediator_id: c.get_reason_display()
        for c in MediatorConflict.objects.filter(dispute=dispute)
    }


def current_team(dispute: Dispute) -> tuple[int | None, int | None]:
    team = dict(
        MediatorAssignment.objects.filter(dispute=dispute, ended_at__isnull=True).values_list(
            "role", "mediator_id"
        )
    )
    return team.get("lead"), team.get("assistant")


def _plain_failures(dispute: Dispute, row: MediatorRow, others: dict[str, int]) -> None:
    if row.lat is None or row.lon is None:
        others["no_location"] += 1
    elif dispute.language not in row.languages:
        others["language"] += 1
    elif row.max_travel_km is not None and (
        haversine_km(
            row.lat,
            row.lon,
            float(dispute.compound.latitude),
            float(dispute.compound.longitude),
        )
        > row.max_travel_km
    ):
        others["out_of_range"] += 1


def _reasons(dispute: Dispute, c: Candidate) -> list[str]:
    row = c.mediator
    reasons = []
    if c.in_current_plan:
        reasons.append(_("On this case now"))
    if c.role == "lead":
        reasons.append(
            _("Handles %(kind)s disputes") % {"kind": dispute.get_kind_display().lower()}
        )
    language = LANGUAGE_NAMES.get(dispute.language, dispute.language)
    reasons.append(_("Speaks %(language)s") % {"language": language})
    reasons.append(_("%(km).1f km away") % {"km": c.distance_km})
    reasons.append(
        ngettext(
            "%(n)d of %(cap)d case",
            "%(n)d of %(cap)d cases",
            row.cap,
        )
        % {"n": row.caseload, "cap": row.cap}
    )
    if c.free_hours is not None:
        reasons.append(_("%(h).1f h free in the next 7 days") % {"h": c.free_hours})
    if dispute.needs_pair and dispute.gender_preference:
        reasons.append(_("Matches the gender the party asked for"))
    return reasons


def candidates_rank(*, dispute: Dispute, limit: int = 15, pool=None) -> Ranking:
    """The ranked leads (and assistants, for a pair dispute) with reasons; the excluded."""
    pool = mediator_pool() if pool is None else pool
    compounds = party_compound_ids(dispute)
    conflicts = conflicts_of(dispute)
    lead_id, assistant_id = current_team(dispute)
    excluded: list[Exclusion] = []
    others = {"no_location": 0, "language": 0, "out_of_range": 0, "not_qualified": 0}
    eligible: list[MediatorRow] = []
    for row in pool:
        hard = hard_exclusion(dispute=dispute, row=row, compounds=compounds, conflicts=conflicts)
        if hard is not None:
            excluded.append(Exclusion(row, *hard))
            continue
        if row.lat is None or row.lon is None:
            others["no_location"] += 1
            continue
        eligible.append(row)
    by_key = {row.key: row for row in eligible}
    plan = [(str(dispute.pk), str(lead_id), str(assistant_id) if assistant_id else None)]
    if lead_id is None or str(lead_id) not in by_key:
        plan = []
    ranked = mediators_rank(
        mediators=[engine_mediator(row) for row in eligible],
        dispute=engine_dispute(dispute, compounds),
        plan=plan,
    )
    leads, assistants = [], []
    listed = set()
    for r in ranked:
        row = by_key[r["mediator"]]
        listed.add(row.key)
        target = leads if r["role"] == "lead" else assistants
        if len(target) < limit:
            target.append(
                Candidate(row, r["role"], r["distance_km"], r["free_roles"], r["in_current_plan"])
            )
    for row in eligible:
        if row.key not in listed:
            before = dict(others)
            _plain_failures(dispute, row, others)
            if before == others:
                others["not_qualified"] += 1
    shown = leads + assistants
    hours = free_hours(
        volunteer_ids=list({c.mediator.volunteer_id for c in shown}),
        user_ids=list({c.mediator.user_id for c in shown}),
    )
    for c in shown:
        c.free_hours = hours.get(c.mediator.volunteer_id)
        c.reasons = _reasons(dispute, c)
    excluded.sort(key=lambda e: (e.code, e.mediator.name))
    return Ranking(leads=leads, assistants=assistants, excluded=excluded, others=others)
