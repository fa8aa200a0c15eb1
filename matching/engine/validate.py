"""Re-derive every hard constraint of a finished assignment, and score it.

Deliberately independent of the solver's compiled arrays: it reads the problem dataclasses
directly, one rule at a time, so a bug in eligibility cannot hide itself here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from .geo import haversine_km
from .jsonio import load_instance
from .model import (
    LANGUAGE_MISS_KM,
    PREFERENCE_KM,
    MediationAssignment,
    MediationProblem,
    MediationScore,
    StaffingAssignment,
    StaffingProblem,
    StaffingScore,
    Violation,
)

TOLERANCE = 1e-9
StaffingPairs = Iterable[StaffingAssignment | tuple[str, str]]
MediationTeams = Iterable[MediationAssignment | tuple[str, str, str | None]]


def _staffing_pairs(assignments: StaffingPairs) -> list[tuple[str, str]]:
    return [
        (a.slot, a.volunteer) if isinstance(a, StaffingAssignment) else (a[0], a[1])
        for a in assignments
    ]


def _teams(assignments: MediationTeams) -> list[tuple[str, str, str | None]]:
    return [
        (a.dispute, a.lead, a.assistant) if isinstance(a, MediationAssignment) else tuple(a)
        for a in assignments
    ]


def _as_staffing(problem: StaffingProblem | Mapping[str, Any]) -> StaffingProblem:
    if isinstance(problem, StaffingProblem):
        return problem
    loaded = load_instance(problem)
    if not isinstance(loaded, StaffingProblem):
        raise TypeError("not a staffing instance")
    return loaded


def _as_mediation(problem: MediationProblem | Mapping[str, Any]) -> MediationProblem:
    if isinstance(problem, MediationProblem):
        return problem
    loaded = load_instance(problem)
    if not isinstance(loaded, MediationProblem):
        raise TypeError("not a mediation instance")
    return loaded


def validate_staffing(
    problem: StaffingProblem | Mapping[str, Any], assignments: StaffingPairs
) -> list[Violation]:
    """Every broken hard constraint (PROBLEM.md section 3); empty when feasible."""
    problem = _as_staffing(problem)
    vols = {v.id: v for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    venues = {v.id: v for v in problem.venues}
    errors: list[Violation] = []
    seen: set[tuple[str, str]] = set()
    per_slot: dict[str, int] = defaultdict(int)
    per_vol: dict[str, list[str]] = defaultdict(list)
    for sid, vid in _staffing_pairs(assignments):
        if sid not in slots or vid not in vols:
            errors.append(
                Violation("unknown_id", f"unknown slot or volunteer {sid}/{vid}", (sid, vid))
            )
            continue
        if (sid, vid) in seen:
            errors.append(Violation("duplicate", f"{vid} twice on {sid}", (sid, vid)))
            continue
        seen.add((sid, vid))
        slot, vol = slots[sid], vols[vid]
        missing = slot.required_skills - vol.skills
        if missing:
            errors.append(
                Violation("skills", f"{vid} lacks {sorted(missing)} for {sid}", (sid, vid))
            )
        if not any(w.start <= slot.start and slot.end <= w.end for w in vol.availability):
            errors.append(Violation("availability", f"{vid} not available for {sid}", (sid, vid)))
        venue = venues.get(slot.venue)
        if venue is None:
            errors.append(Violation("unknown_id", f"{sid} at unknown venue {slot.venue}", (sid,)))
        elif vol.max_travel_km is not None:
            km = haversine_km(vol.lat, vol.lon, venue.lat, venue.lon)
            if km > vol.max_travel_km + TOLERANCE:
                errors.append(
                    Violation(
                        "travel",
                        f"{vid} travels {km:.2f} km > {vol.max_travel_km} for {sid}",
                        (sid, vid),
                    )
                )
        per_slot[sid] += 1
        per_vol[vid].append(sid)
    for sid, n in per_slot.items():
        if n > slots[sid].needed:
            errors.append(Violation("seats", f"{sid} has {n} > {slots[sid].needed}", (sid,)))
    for vid, taken in per_vol.items():
        spans = sorted((slots[s].start, slots[s].end, s) for s in taken)
        for (_, end1, a), (start2, _, b) in pairwise(spans):
            if start2 < end1:
                errors.append(
                    Violation("overlap", f"{vid} double-booked on {a} and {b}", (vid, a, b))
                )
        hours = sum((e - s).total_seconds() for s, e, _ in spans) / 3600.0
        if hours > vols[vid].max_hours + TOLERANCE:
            errors.append(
                Violation("hours", f"{vid} {hours:.2f} h > max {vols[vid].max_hours}", (vid,))
            )
    return errors


def score_staffing(
    problem: StaffingProblem | Mapping[str, Any], assignments: StaffingPairs
) -> StaffingScore:
    """The objective components of PROBLEM.md section 4 (assumes known ids)."""
    problem = _as_staffing(problem)
    vols = {v.id: v for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    venues = {v.id: v for v in problem.venues}
    distance = pref_sum = cost = 0.0
    misses = 0
    loads: dict[str, float] = defaultdict(float)
    pairs = sorted(set(_staffing_pairs(assignments)))
    for sid, vid in pairs:
        slot, vol = slots[sid], vols[vid]
        venue = venues[slot.venue]
        km = haversine_km(vol.lat, vol.lon, venue.lat, venue.lon)
        pref = vol.preference(slot.venue, slot.activity)
        miss = bool(slot.preferred_language) and slot.preferred_language not in vol.languages
        distance += km
        pref_sum += pref
        misses += miss
        cost += km + PREFERENCE_KM * (1 - pref) + (LANGUAGE_MISS_KM if miss else 0.0)
        loads[vid] += (slot.end - slot.start).total_seconds() / 3600.0
    return StaffingScore(
        filled=len(pairs),
        seats=sum(max(0, s.needed) for s in problem.slots),
        cost=cost,
        distance_km=distance,
        preference_sum=pref_sum,
        language_misses=misses,
        max_load_hours=max(loads.values(), default=0.0),
        sum_sq_load_hours=sum(h * h for h in loads.values()),
        volunteers_used=len(loads),
    )


def validate_mediation(
    problem: MediationProblem | Mapping[str, Any], assignments: MediationTeams
) -> list[Violation]:
    """Every broken hard constraint of PROBLEM.md section 5; empty when feasible."""
    problem = _as_mediation(problem)
    mediators = {m.id: m for m in problem.mediators}
    disputes = {d.id: d for d in problem.disputes}
    errors: list[Violation] = []
    seen: set[str] = set()
    roles: dict[str, int] = defaultdict(int)
    for did, lead, assistant in _teams(assignments):
        if (
            did not in disputes
            or lead not in mediators
            or (assistant is not None and assistant not in mediators)
        ):
            errors.append(
                Violation("unknown_id", f"unknown id in {did}/{lead}/{assistant}", (did,))
            )
            continue
        if did in seen:
            errors.append(Violation("duplicate", f"{did} staffed twice", (did,)))
            continue
        seen.add(did)
        dispute = disputes[did]
        if dispute.requires_pair and assistant is None:
            errors.append(Violation("pair", f"{did} requires an assistant", (did,)))
        if assistant is not None and not dispute.requires_pair:
            errors.append(Violation("pair", f"{did} takes no assistant", (did,)))
        if assistant == lead:
            errors.append(Violation("pair", f"{did}: lead and assistant are one person", (did,)))
        head = mediators[lead]
        if not head.can_lead:
            errors.append(Violation("lead", f"{lead} cannot lead ({did})", (did, lead)))
        if dispute.kind not in head.specialties:
            errors.append(
                Violation(
                    "specialty", f"{lead} lacks specialty {dispute.kind} ({did})", (did, lead)
                )
            )
        team = [lead] + ([assistant] if assistant is not None else [])
        for mid in team:
            m = mediators[mid]
            if dispute.language not in m.languages:
                errors.append(
                    Violation(
                        "language", f"{mid} lacks language {dispute.language} ({did})", (did, mid)
                    )
                )
            if m.compound in dispute.party_compounds:
                errors.append(
                    Violation("conflict", f"{mid} lives in a party's compound ({did})", (did, mid))
                )
            km = haversine_km(m.lat, m.lon, dispute.lat, dispute.lon)
            if m.max_travel_km is not None and km > m.max_travel_km + TOLERANCE:
                errors.append(
                    Violation(
                        "travel",
                        f"{mid} travels {km:.2f} km > {m.max_travel_km} ({did})",
                        (did, mid),
                    )
                )
            roles[mid] += 1
    for mid, n in roles.items():
        m = mediators[mid]
        if m.current_caseload + n > m.caseload_cap:
            errors.append(
                Violation(
                    "caseload",
                    f"{mid} caseload {m.current_caseload}+{n} > {m.caseload_cap}",
                    (mid,),
                )
            )
    return errors


def score_mediation(
    problem: MediationProblem | Mapping[str, Any], assignments: MediationTeams
) -> MediationScore:
    problem = _as_mediation(problem)
    mediators = {m.id: m for m in problem.mediators}
    disputes = {d.id: d for d in problem.disputes}
    teams = {did: (lead, assistant) for did, lead, assistant in _teams(assignments)}
    roles: dict[str, int] = defaultdict(int)
    distance = 0.0
    weight = 0
    for did in sorted(teams):
        lead, assistant = teams[did]
        dispute = disputes[did]
        weight += dispute.weight
        for mid in (lead, assistant):
            if mid is None:
                continue
            m = mediators[mid]
            distance += haversine_km(m.lat, m.lon, dispute.lat, dispute.lon)
            roles[mid] += 1
    utilisation = [
        (m.current_caseload + roles.get(m.id, 0)) / m.caseload_cap
        for m in problem.mediators
        if m.caseload_cap > 0
    ]
    return MediationScore(
        staffed=len(teams),
        disputes=len(disputes),
        urgency_weight=weight,
        urgency_weight_total=sum(d.weight for d in problem.disputes),
        distance_km=distance,
        max_utilisation=max(utilisation, default=0.0),
    )
