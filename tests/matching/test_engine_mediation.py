"""The mediation engine on random small problems: hard constraints, pins, optimality, ranking."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import rank_mediators, solve_mediation, validate_mediation
from matching.engine.model import Dispute, MediationProblem, Mediator

KINDS = ("family", "neighbour", "domestic-violence")
LANGS = ("de", "tr")
COMPOUNDS = ("K0", "K1", "K2")
WEIGHT = {1: 1, 2: 2, 3: 4}


@st.composite
def problems(draw, max_mediators: int = 6, max_disputes: int = 6) -> MediationProblem:
    mediators = tuple(
        Mediator(
            id=f"M{i}",
            lat=51.0 + draw(st.floats(-0.05, 0.05)),
            lon=10.0 + draw(st.floats(-0.05, 0.05)),
            compound=draw(st.sampled_from(COMPOUNDS)),
            caseload_cap=(cap := draw(st.integers(1, 3))),
            current_caseload=draw(st.integers(0, cap)),
            can_lead=draw(st.booleans()),
            specialties=frozenset(draw(st.sets(st.sampled_from(KINDS)))),
            languages=frozenset(draw(st.sets(st.sampled_from(LANGS), min_size=1))),
            max_travel_km=draw(st.sampled_from([None, 2.0, 10.0])),
        )
        for i in range(draw(st.integers(1, max_mediators)))
    )
    disputes = tuple(
        Dispute(
            id=f"D{j}",
            kind=(kind := draw(st.sampled_from(KINDS))),
            language=draw(st.sampled_from(LANGS)),
            lat=51.0 + draw(st.floats(-0.05, 0.05)),
            lon=10.0 + draw(st.floats(-0.05, 0.05)),
            urgency=draw(st.integers(1, 3)),
            party_compounds=frozenset(draw(st.sets(st.sampled_from(COMPOUNDS), max_size=2))),
            requires_pair=kind == "domestic-violence" or draw(st.booleans()),
        )
        for j in range(draw(st.integers(1, max_disputes)))
    )
    return MediationProblem(mediators=mediators, disputes=disputes)


def km(a: Mediator, d: Dispute) -> float:
    p1, p2 = math.radians(a.lat), math.radians(d.lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d.lon - a.lon) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def can_serve(m: Mediator, d: Dispute, lead: bool) -> bool:
    return (
        d.language in m.languages
        and m.compound not in d.party_compounds
        and (m.max_travel_km is None or km(m, d) <= m.max_travel_km)
        and (not lead or (m.can_lead and d.kind in m.specialties))
    )


def feasible(problem: MediationProblem, teams: list[tuple[str, str, str | None]]) -> bool:
    meds = {m.id: m for m in problem.mediators}
    disputes = {d.id: d for d in problem.disputes}
    if len({t[0] for t in teams}) != len(teams):
        return False
    used: dict[str, int] = {}
    for did, lead, assistant in teams:
        d = disputes[did]
        if d.requires_pair != (assistant is not None) or lead == assistant:
            return False
        if not can_serve(meds[lead], d, True):
            return False
        if assistant is not None and not can_serve(meds[assistant], d, False):
            return False
        for mid in (lead, assistant):
            if mid is not None:
                used[mid] = used.get(mid, 0) + 1
    return all(meds[m].current_caseload + n <= meds[m].caseload_cap for m, n in used.items())


def brute_force_weight(problem: MediationProblem) -> int:
    options = []
    for d in problem.disputes:
        mine: list[tuple[str, str, str | None] | None] = [None]
        for lead in problem.mediators:
            if not can_serve(lead, d, True):
                continue
            if not d.requires_pair:
                mine.append((d.id, lead.id, None))
                continue
            for a in problem.mediators:
                if a.id != lead.id and can_serve(a, d, False):
                    mine.append((d.id, lead.id, a.id))
        options.append(mine)
    weights = {d.id: WEIGHT[d.urgency] for d in problem.disputes}
    best = 0
    for combo in itertools.product(*options):
        teams = [t for t in combo if t is not None]
        if feasible(problem, teams):
            best = max(best, sum(weights[t[0]] for t in teams))
    return best


def teams_of(result) -> list[tuple[str, str, str | None]]:
    return [(a.dispute, a.lead, a.assistant) for a in result.assignments]


MODES = st.sampled_from([{}, {"exact_max_columns": 0}])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), mode=MODES)
def test_no_hard_constraint_is_ever_broken(problem, mode):
    result = solve_mediation(problem, time_limit=20, **mode)
    teams = teams_of(result)
    assert validate_mediation(problem, teams) == []
    assert feasible(problem, teams)
    assert result.score.urgency_weight <= result.bound.value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_mediators=4, max_disputes=3), mode=MODES)
def test_tiny_problems_reach_the_brute_force_optimum_exactly(problem, mode):
    best = brute_force_weight(problem)
    result = solve_mediation(problem, time_limit=20, **mode)
    if not mode:
        assert result.score.urgency_weight == best
    assert result.score.urgency_weight <= best <= result.bound.value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), mode=MODES, data=st.data())
def test_fixed_teams_stay_and_excluded_pairs_never_appear(problem, mode, data):
    possible = [
        (d.id, m.id) for d in problem.disputes for m in problem.mediators if can_serve(m, d, False)
    ]
    excluded = data.draw(st.lists(st.sampled_from(possible), unique=True)) if possible else []
    fixed = []
    for d in problem.disputes:
        for lead in problem.mediators:
            team = (d.id, lead.id, None)
            if (
                not d.requires_pair
                and (d.id, lead.id) not in excluded
                and feasible(problem, [team])
            ):
                fixed = [team]
                break
        if fixed:
            break
    result = solve_mediation(problem, time_limit=20, fixed=fixed, excluded=excluded, **mode)
    teams = teams_of(result)
    assert set(fixed) <= set(teams)
    for did, lead, assistant in teams:
        assert (did, lead) not in excluded
        assert (did, assistant) not in excluded
    assert validate_mediation(problem, teams) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), mode=MODES)
def test_same_input_gives_the_same_teams(problem, mode):
    assert (
        solve_mediation(problem, time_limit=20, **mode).assignments
        == solve_mediation(problem, time_limit=20, **mode).assignments
    )


def _ranking_problem() -> MediationProblem:
    near = dict(lat=51.0, lon=10.0, compound="K9", caseload_cap=2, languages=frozenset({"de"}))
    return MediationProblem(
        mediators=(
            Mediator("M0", **near, can_lead=True, specialties=frozenset({"family"})),
            Mediator(
                "M1", **{**near, "lon": 10.01}, can_lead=True, specialties=frozenset({"family"})
            ),
            Mediator("M2", **near, can_lead=False, specialties=frozenset({"family"})),
            Mediator("M3", **{**near, "compound": "K1"}, can_lead=True),
        ),
        disputes=(
            Dispute(
                "D0",
                "family",
                "de",
                51.0,
                10.0,
                urgency=2,
                party_compounds=frozenset({"K1"}),
                requires_pair=True,
            ),
        ),
    )


def test_ranking_lists_qualified_people_nearest_first_per_role():
    ranked = rank_mediators(_ranking_problem(), "D0")
    leads = [r.mediator for r in ranked if r.role == "lead"]
    assistants = [r.mediator for r in ranked if r.role == "assistant"]
    assert leads == ["M0", "M1"]  # M2 cannot lead, M3 lives in a party's compound
    assert assistants == ["M0", "M2", "M1"]


def test_ranking_puts_people_without_a_free_role_last_and_marks_the_plan():
    problem = _ranking_problem()
    busy = [("D0", "M1", "M0"), ("X", "M0", None)]
    ranked = rank_mediators(problem, "D0", plan=busy)
    leads = [(r.mediator, r.free_roles, r.in_current_plan) for r in ranked if r.role == "lead"]
    assert leads == [("M1", 1, True), ("M0", 0, False)]
    with pytest.raises(ValueError, match="unknown dispute"):
        rank_mediators(problem, "nope")
