"""The benchmark JSON formats (see the matcher's PROBLEM.md): instances in, solutions out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .model import (
    Dispute,
    MediationProblem,
    MediationResult,
    Mediator,
    Slot,
    StaffingProblem,
    StaffingResult,
    TimeWindow,
    Venue,
    Volunteer,
)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


class _Windows:
    """Availability windows read once per distinct text: a district's 20,000 people share a
    few hundred windows between them (340,000 in a week), and the windows are immutable."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], TimeWindow] = {}

    def __call__(self, raw: Mapping[str, Any]) -> TimeWindow:
        key = (raw["start"], raw["end"])
        window = self.seen.get(key)
        if window is None:
            window = self.seen[key] = TimeWindow(_dt(key[0]), _dt(key[1]))
        return window


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _volunteer(raw: Mapping[str, Any], window=None) -> Volunteer:
    prefs = raw.get("preferences") or {}
    window = window or _Windows()
    return Volunteer(
        id=str(raw["id"]),
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        skills=frozenset(raw.get("skills") or ()),
        languages=frozenset(raw.get("languages") or ()),
        availability=tuple(window(w) for w in raw.get("availability") or ()),
        max_hours=float(raw.get("max_hours") or 0),
        max_travel_km=_optional_float(raw.get("max_travel_km")),
        activity_preferences={str(k): float(v) for k, v in (prefs.get("activities") or {}).items()},
        venue_preferences={str(k): float(v) for k, v in (prefs.get("venues") or {}).items()},
        team=raw.get("team"),
    )


def _slot(raw: Mapping[str, Any]) -> Slot:
    return Slot(
        id=str(raw["id"]),
        venue=str(raw["venue"]),
        activity=str(raw.get("activity") or ""),
        start=_dt(raw["start"]),
        end=_dt(raw["end"]),
        needed=int(raw["needed"]),
        required_skills=frozenset(raw.get("required_skills") or ()),
        preferred_language=raw.get("preferred_language") or None,
    )


def _mediator(raw: Mapping[str, Any]) -> Mediator:
    return Mediator(
        id=str(raw["id"]),
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        compound=str(raw.get("compound") or ""),
        caseload_cap=int(raw["caseload_cap"]),
        current_caseload=int(raw.get("current_caseload") or 0),
        can_lead=bool(raw.get("can_lead")),
        specialties=frozenset(raw.get("specialties") or ()),
        languages=frozenset(raw.get("languages") or ()),
        max_travel_km=_optional_float(raw.get("max_travel_km")),
    )


def _dispute(raw: Mapping[str, Any]) -> Dispute:
    return Dispute(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        language=str(raw["language"]),
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        urgency=int(raw.get("urgency") or 1),
        party_compounds=frozenset(raw.get("party_compounds") or ()),
        requires_pair=bool(raw.get("requires_pair")),
    )


def load_instance(data: Mapping[str, Any]) -> StaffingProblem | MediationProblem:
    """Build a problem from a parsed instance; the variant comes from ``meta.variant``."""
    meta = dict(data.get("meta") or {})
    variant = meta.get("variant")
    if variant == "staffing":
        window = _Windows()
        return StaffingProblem(
            volunteers=tuple(_volunteer(v, window) for v in data["volunteers"]),
            venues=tuple(
                Venue(str(v["id"]), float(v["lat"]), float(v["lon"])) for v in data["venues"]
            ),
            slots=tuple(_slot(s) for s in data["slots"]),
            meta=meta,
        )
    if variant == "mediation":
        return MediationProblem(
            mediators=tuple(_mediator(m) for m in data["mediators"]),
            disputes=tuple(_dispute(d) for d in data["disputes"]),
            meta=meta,
        )
    raise ValueError(f"unknown instance variant {variant!r}")


def _bound_dict(result: StaffingResult | MediationResult) -> dict[str, Any]:
    b = result.bound
    return {
        "value": b.value,
        "kind": b.kind,
        "seconds": round(b.seconds, 3),
        "by_kind": dict(b.by_kind),
        "complete": b.complete,
    }


def dump_solution(
    problem: StaffingProblem | MediationProblem,
    result: StaffingResult | MediationResult,
    *,
    solver: str = "matching.engine",
) -> dict[str, Any]:
    """The solution envelope: ``instance`` (the meta), ``solver``, ``assignments``, ``stats``."""
    stats: dict[str, Any] = dict(result.stats)
    stats["bound"] = _bound_dict(result)
    if isinstance(result, StaffingResult):
        s = result.score
        assignments: list[dict[str, Any]] = [
            {"slot": a.slot, "volunteer": a.volunteer} for a in result.assignments
        ]
        stats["objective"] = {
            "filled": s.filled,
            "seats": s.seats,
            "ratio_to_bound": round(s.filled / result.bound.value, 5) if result.bound.value else 1,
            "cost": round(s.cost, 3),
            "cost_per_seat": round(s.cost_per_seat, 4),
            "distance_km": round(s.distance_km, 3),
            "preference_sum": round(s.preference_sum, 3),
            "language_misses": s.language_misses,
            "max_load_h": s.max_load_hours,
            "sum_sq_load_h2": round(s.sum_sq_load_hours, 3),
            "volunteers_used": s.volunteers_used,
        }
        stats["empty_seats"] = [
            {"slot": e.slot, "empty": e.empty, "reason": e.reason, "counts": dict(e.counts)}
            for e in result.empty_seats
        ]
    else:
        m = result.score
        assignments = [
            {"dispute": a.dispute, "lead": a.lead, "assistant": a.assistant}
            for a in result.assignments
        ]
        stats["objective"] = {
            "urgency_weight": m.urgency_weight,
            "urgency_weight_total": m.urgency_weight_total,
            "staffed": m.staffed,
            "disputes": m.disputes,
            "ratio_to_bound": (
                round(m.urgency_weight / result.bound.value, 5) if result.bound.value else 1
            ),
            "distance_km": round(m.distance_km, 3),
            "max_utilisation": round(m.max_utilisation, 4),
        }
        stats["unstaffed"] = [
            {"dispute": u.dispute, "reason": u.reason, "counts": dict(u.counts)}
            for u in result.unstaffed
        ]
    if result.fixed_violations:
        stats["fixed_violations"] = [v.message for v in result.fixed_violations]
    return {
        "instance": dict(problem.meta),
        "solver": solver,
        "bound_only": False,
        "assignments": assignments,
        "stats": stats,
    }
