"""The one place the Django side calls the engine (``matching.engine``, plain Python).

The engine takes a staffing problem (built here from the PROBLEM.md-shaped instance the
selectors produce), a time limit, a seed, fixed pairs (seats already held), locked pairs (the
coordinator's locks) and excluded pairs (her removals). It answers assignments, a proven upper
bound and, per slot with empty seats, a reason code with counts. This module turns that answer
into the small shape the services store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine.geo import haversine_km

# PROBLEM.md section 4: cost(v, s) = km + 4 (1 - preference) + 3 [language missed]; the product
# records no preferences, so every pair carries the neutral 0.5.
NEUTRAL_PREFERENCE_KM = 4.0 * (1 - 0.5)
LANGUAGE_MISS_KM = 3.0


@dataclass
class Result:
    # New pairs for open seats: (slot key, volunteer key, cost); proposed or locked.
    assignments: list[tuple[str, str, float]] = field(default_factory=list)
    # {"slot", "empty", "reason", "counts"}
    gaps: list[dict] = field(default_factory=list)
    # Most open seats that could be filled (the engine's bound less the fixed pairs).
    bound: int | None = None
    bound_kind: str = ""
    cost: float = 0.0
    engine_stats: dict = field(default_factory=dict)


def _entry():
    from matching.engine.staffing.solve import solve_staffing

    return solve_staffing


def load(instance: dict):
    """The engine's problem for a PROBLEM.md-shaped instance. The caller may drop the instance
    then: on a district week of 20,000 people its dictionaries hold about 100 MB that the
    solve does not need."""
    from matching.engine.jsonio import load_instance

    return load_instance(instance)


def _pair_costs(problem, pairs: list[tuple[str, str]]) -> list[float]:
    slots = {s.id: s for s in problem.slots}
    venues = {v.id: v for v in problem.venues}
    people = {v.id: v for v in problem.volunteers}
    costs = []
    for slot_key, volunteer_key in pairs:
        slot, person = slots[slot_key], people[volunteer_key]
        venue = venues[slot.venue]
        cost = haversine_km(person.lat, person.lon, venue.lat, venue.lon)
        cost += NEUTRAL_PREFERENCE_KM
        wanted = slot.preferred_language
        if wanted and wanted not in person.languages:
            cost += LANGUAGE_MISS_KM
        costs.append(cost)
    return costs


def solve(
    problem,
    *,
    time_limit: float,
    seed: int,
    fixed: list[tuple[str, str]],
    locked: list[tuple[str, str]],
    excluded: list[tuple[str, str]],
) -> Result:
    """Solve ``problem`` (from :func:`load`, or an instance dictionary)."""
    if isinstance(problem, dict):
        problem = load(problem)
    answer = _entry()(
        problem,
        time_limit=time_limit,
        seed=seed,
        fixed=fixed,
        locked=locked,
        excluded=excluded,
    )
    fixed_set = set(fixed)
    new = [
        (a.slot, a.volunteer)
        for a in answer.assignments
        if (a.slot, a.volunteer) not in fixed_set and getattr(a, "source", "proposed") != "fixed"
    ]
    result = Result()
    for (slot_key, volunteer_key), cost in zip(new, _pair_costs(problem, new), strict=True):
        result.assignments.append((slot_key, volunteer_key, cost))
        result.cost += cost
    result.gaps = [
        {"slot": e.slot, "empty": e.empty, "reason": e.reason, "counts": dict(e.counts)}
        for e in answer.empty_seats
    ]
    bound = getattr(answer, "bound", None)
    if bound is not None:
        result.bound = max(len(result.assignments), int(bound.value) - len(fixed))
        result.bound_kind = bound.kind
    result.engine_stats = dict(getattr(answer, "stats", {}) or {})
    return result


def mediators_rank(
    *,
    mediators: list[dict],
    dispute: dict,
    plan: list[tuple[str, str, str | None]] = (),
    excluded: list[tuple[str, str]] = (),
    limit: int | None = None,
) -> list[dict]:
    """The engine's ranking of mediators for one dispute (PROBLEM.md variant B shapes)."""
    from matching.engine.jsonio import load_instance
    from matching.engine.mediation.solve import rank_mediators

    problem = load_instance(
        {"meta": {"variant": "mediation"}, "mediators": mediators, "disputes": [dispute]}
    )
    ranked = rank_mediators(
        problem, str(dispute["id"]), plan=list(plan), excluded=list(excluded), limit=limit
    )
    return [
        {
            "mediator": r.mediator,
            "role": r.role,
            "distance_km": round(r.distance_km, 3),
            "free_roles": r.free_roles,
            "in_current_plan": r.in_current_plan,
        }
        for r in ranked
    ]
