"""Mediation: the public entry points, :func:`solve_mediation` and :func:`rank_mediators`."""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from ..geo import haversine_many
from ..model import (
    Bound,
    MediationAssignment,
    MediationProblem,
    MediationResult,
    RankedMediator,
)
from ..validate import score_mediation, validate_mediation
from .bound import certified_bound
from .compile import ASSIST, LEAD, CompiledMediation, compile_mediation
from .exact import solve_teams_exact
from .programme import build_team_programme
from .reasons import explain_unstaffed
from .teams import Teams, polish_distance

EXACT_MAX_COLUMNS = 60000
"""Components up to this many candidate columns are solved exactly (about a second)."""
EXACT_NODE_LIMIT = 20000
Team = MediationAssignment | tuple[str, str, str | None]


def _teams_of(items: Iterable[Team]) -> list[tuple[str, str, str | None]]:
    return [
        (t.dispute, t.lead, t.assistant) if isinstance(t, MediationAssignment) else tuple(t)
        for t in items
    ]


def _components(cm: CompiledMediation, open_disputes: NDArray[np.int64]) -> list[NDArray]:
    """Disputes (sorted) per connected component of the candidate graph, by first dispute."""
    nd, nm = cm.n_disputes, cm.n_mediators
    rows, cols = [], []
    for r in (LEAD, ASSIST):
        counts = np.diff(cm.role_ptr[r])
        rows.append(np.repeat(np.arange(nd), counts))
        cols.append(nd + cm.role_med[r])
    graph = sp.coo_matrix(
        (np.ones(sum(x.size for x in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(nd + nm, nd + nm),
    )
    _, label = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for d in open_disputes.tolist():
        groups.setdefault(int(label[d]), []).append(d)
    return [np.asarray(g, dtype=np.int64) for g in sorted(groups.values(), key=lambda g: g[0])]


def _pins(
    cm: CompiledMediation,
    fixed: Iterable[Team],
    locked: Iterable[Team],
    excluded: list[tuple[str, str]],
) -> tuple[dict[int, int], dict[int, str], list[tuple[str, str, str | None]], list]:
    """Pinned roles ``{role: mediator}``, the source per dispute, the pinned teams as given,
    and the excluded ``(dispute, mediator)`` index pairs."""
    pinned: dict[int, int] = {}
    sources: dict[int, str] = {}
    teams: list[tuple[str, str, str | None]] = []
    for kind, items in (("fixed", fixed), ("locked", locked)):
        for did, lead, assistant in _teams_of(items):
            known = did in cm.dispute_index and lead in cm.med_index
            if not known or (assistant is not None and assistant not in cm.med_index):
                raise ValueError(f"{kind} team refers to an unknown id: {did}")
            d = cm.dispute_index[did]
            teams.append((did, lead, assistant))
            for r, mid in ((LEAD, lead), (ASSIST, assistant)):
                if mid is not None and 2 * d + r not in pinned:
                    pinned[2 * d + r] = cm.med_index[mid]
                    sources.setdefault(d, kind)
    barred = [
        (cm.dispute_index[d], cm.med_index[m])
        for d, m in excluded
        if d in cm.dispute_index and m in cm.med_index
    ]
    for d, m in barred:
        if m in (pinned.get(2 * d), pinned.get(2 * d + 1)):
            pair = f"{cm.problem.disputes[d].id}/{cm.problem.mediators[m].id}"
            raise ValueError(f"{pair} is both excluded and kept")
    return pinned, sources, teams, barred


def _greedy(teams: Teams, disputes: NDArray[np.int64], tiebreak: NDArray, deadline: float) -> bool:
    """Staff ``disputes`` most urgent first (then fewest possible leads) by chains.

    For disputes without an assistant this is the greedy of a transversal matroid, which is
    optimal for weighted b-matching; marks of failed searches are kept until the next success,
    as in Kuhn's algorithm. Returns True when the deadline cut it short.
    """
    order = sorted(
        disputes.tolist(),
        key=lambda d: (-teams.weight[d], len(teams.cands[2 * d]), int(tiebreak[d])),
    )
    dead: set[int] = set()
    for d in order:
        if time.monotonic() > deadline:
            return True
        if teams.staff(d, dead):
            dead.clear()
    return False


def solve_mediation(
    problem: MediationProblem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    fixed: Iterable[Team] = (),
    locked: Iterable[Team] = (),
    excluded: Iterable[tuple[str, str]] = (),
    exact_max_columns: int = EXACT_MAX_COLUMNS,
) -> MediationResult:
    """Staff disputes: most urgency weight (1/2/4), then least total distance.

    ``fixed`` and ``locked`` teams ``(dispute_id, lead_id, assistant_id or None)`` are kept
    role by role (a missing assistant of a pair dispute may be added); ``excluded`` pairs
    ``(dispute_id, mediator_id)`` are never proposed for either role. Deterministic for a given
    input and ``seed``; ``time_limit`` is a safety net, reported in ``stats``. Components
    with at most ``exact_max_columns`` candidate columns are solved exactly, larger ones by
    chains and bounded by the Lagrangian dual. Utilisation is reported, not optimised.
    """
    started = time.monotonic()
    deadline = started + max(0.0, time_limit)
    excluded = list(excluded)
    cm = compile_mediation(problem, excluded=excluded)
    timings: dict[str, float] = {"compile": time.monotonic() - started}
    pinned, sources, pinned_teams, barred = _pins(cm, fixed, locked, excluded)
    teams = Teams(cm, sorted(pinned.items()))
    # A pinned lead without her assistant is a team the engine completes, not a violation.
    fixed_violations = [
        v
        for v in validate_mediation(problem, pinned_teams)
        if not (v.code == "pair" and "requires" in v.message)
    ]

    open_disputes = [d for d in range(cm.n_disputes) if not teams.staffed(d)]
    components = _components(cm, np.asarray(open_disputes, dtype=np.int64))
    capacity_left = np.asarray(teams.cap, dtype=np.int64) - np.asarray(teams.load)
    holder_pinned = list(teams.holder)
    still_open = set(open_disputes)
    pinned_weight = sum(int(cm.weight[d]) for d in range(cm.n_disputes) if d not in still_open)
    bound_parts: dict[str, int] = {"pinned": pinned_weight} if pinned_weight else {}
    exact_count = optimal = 0
    time_cut = False
    heuristic: list[NDArray[np.int64]] = []

    mark = time.monotonic()
    for disputes in components:
        programme = build_team_programme(cm, disputes, holder_pinned, capacity_left)
        if programme.role.size > exact_max_columns:
            heuristic.append(disputes)
            continue
        outcome = solve_teams_exact(
            programme,
            cm.weight,
            time_limit=deadline - time.monotonic(),
            node_limit=EXACT_NODE_LIMIT,
        )
        # Leads first, so every assistant finds her dispute's lead in place.
        for role, m in sorted(zip(outcome.roles.tolist(), outcome.meds.tolist(), strict=True)):
            teams.take(m, role)
        kind = "optimal" if outcome.optimal else "mip"
        bound_parts[kind] = bound_parts.get(kind, 0) + outcome.weight_bound
        exact_count += 1
        optimal += outcome.optimal
        time_cut |= not outcome.optimal and time.monotonic() >= deadline
    timings["exact"] = time.monotonic() - mark

    mark = time.monotonic()
    tiebreak = np.random.default_rng(seed).permutation(max(cm.n_disputes, 1))
    for disputes in heuristic:
        time_cut |= _greedy(teams, disputes, tiebreak, deadline)
    km_saved = polish_distance(teams)
    timings["search"] = time.monotonic() - mark

    mark = time.monotonic()
    for disputes in heuristic:
        target = float(sum(teams.weight[d] for d in disputes.tolist() if teams.staffed(d)))
        value = certified_bound(
            cm,
            disputes,
            capacity_left,
            holder_pinned,
            target=target,
            time_limit=max(0.5, deadline - time.monotonic()),
        )
        bound_parts["lagrangian"] = bound_parts.get("lagrangian", 0) + value
    timings["bound"] = time.monotonic() - mark

    mark = time.monotonic()
    unstaffed = explain_unstaffed(cm, teams, barred)
    timings["explain"] = time.monotonic() - mark
    assignments = tuple(
        MediationAssignment(
            dispute=problem.disputes[d].id,
            lead=problem.mediators[lead].id,
            assistant=problem.mediators[asst].id if asst >= 0 else None,
            source=sources.get(d, "proposed"),
        )
        for d, lead, asst in teams.teams()
    )
    kinds = sorted(k for k in bound_parts if k != "pinned")
    timings["total"] = time.monotonic() - started
    return MediationResult(
        assignments=assignments,
        unstaffed=tuple(unstaffed),
        score=score_mediation(problem, assignments),
        bound=Bound(
            value=sum(bound_parts.values()),
            kind=kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "optimal"),
            seconds=timings["bound"] + timings["exact"],
            by_kind=bound_parts,
            complete=not time_cut,
        ),
        stats={
            "seed": seed,
            "components": len(components),
            "exact_components": exact_count,
            "exact_proven_optimal": optimal,
            "km_saved": round(km_saved, 3),
            "time_limit_hit": time_cut,
            "timings": {k: round(v, 3) for k, v in timings.items()},
        },
        fixed_violations=tuple(fixed_violations),
    )


def rank_mediators(
    problem: MediationProblem,
    dispute_id: str,
    *,
    plan: Iterable[Team] = (),
    excluded: Iterable[tuple[str, str]] = (),
    limit: int | None = None,
) -> list[RankedMediator]:
    """Who could lead (and, for a pair dispute, assist) ``dispute_id``, best first.

    Everyone passing the hard checks for a role is listed once per role: whoever holds it in
    ``plan`` (the current teams) or has a role left under it first, then by distance, then by
    id. ``free_roles`` counts the roles she has left under ``plan``.
    """
    disputes = {d.id: d for d in problem.disputes}
    if dispute_id not in disputes:
        raise ValueError(f"unknown dispute {dispute_id}")
    dispute = disputes[dispute_id]
    barred = {m for d, m in excluded if d == dispute_id}
    used: dict[str, int] = {}
    holders: dict[str, str | None] = {"lead": None, "assistant": None}
    for did, lead, assistant in _teams_of(plan):
        for mid in (lead, assistant):
            if mid is not None:
                used[mid] = used.get(mid, 0) + 1
        if did == dispute_id:
            holders = {"lead": lead, "assistant": assistant}
    meds = problem.mediators
    dist = haversine_many(
        dispute.lat, dispute.lon, [m.lat for m in meds], [m.lon for m in meds]
    ).tolist()
    ranked: list[RankedMediator] = []
    roles = ("lead", "assistant") if dispute.requires_pair else ("lead",)
    for role in roles:
        rows: list[RankedMediator] = []
        for m, km in zip(meds, dist, strict=True):
            if m.id in barred or dispute.language not in m.languages:
                continue
            if m.compound in dispute.party_compounds:
                continue
            if m.max_travel_km is not None and km > m.max_travel_km:
                continue
            if role == "lead" and not (m.can_lead and dispute.kind in m.specialties):
                continue
            free = max(0, m.caseload_cap - m.current_caseload - used.get(m.id, 0))
            rows.append(RankedMediator(m.id, role, km, free, holders[role] == m.id))
        rows.sort(
            key=lambda r: (not (r.in_current_plan or r.free_roles), r.distance_km, r.mediator)
        )
        ranked.extend(rows[:limit] if limit is not None else rows)
    return ranked
