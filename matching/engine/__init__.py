"""The matching engine: plain Python, numpy and scipy (HiGHS); no Django, nothing else.

Public API (dataclasses in :mod:`.model`, results are plain data):

* :func:`solve_staffing` -- volunteers to slots; :func:`solve_mediation` -- mediators to
  disputes; :func:`rank_mediators` -- the candidates for one dispute; :func:`solve` picks by
  problem type.
* :func:`load_instance` / :func:`dump_solution` -- the benchmark JSON formats.
* :func:`validate_staffing`, :func:`validate_mediation` -- every hard constraint re-derived
  independently of the solver; :func:`score_staffing`, :func:`score_mediation` -- objectives.

How staffing is solved, and why
-------------------------------
The objective is lexicographic: seats, then cost (km + preference + language penalties); the
busiest person's load is reported. Figures below are from the benchmark generator's
instances (seed 1 unless said otherwise) on the two-core machine the anchors were measured on.

* **Eligibility is vectorised** (:mod:`.staffing.compile`): per venue, a latitude band and
  numpy haversine find who lives in range; skills, the availability window (one binary
  search) and hours follow. 717,000 pairs among 20,000 people and 10,000 slots in 1.5 s.
* **Components are independent.** People and slots interact only through possible pairs;
  large splits into five city-sized components (the largest has 316,000 pairs) and many
  small ones. Components up to 4,000 pairs are solved exactly by the HiGHS MIP: small's
  optimum, 184, is proven in 0.04 s.
* **Large components** go through :mod:`.staffing.search`. A scarcity-first greedy fills
  23,923 seats (91.8 % of the LP bound 26,052). Then per-person re-planning (an exact
  interval-scheduling DP over her own slots plus every open seat she fits) alternates with
  augmenting chains (the matching step, generalised to overlaps and weekly hours): 25,656
  seats (98.5 %) in 4 s. Re-planning runs first because it is cheap and makes the moves
  chains cannot (one class for two shorter ones); a first version with chains first and
  without dead marks needed 100 s for this phase. Chains are breadth-first, with
  Hopcroft-Karp dead marks per round:
  depth-first chains found 21 more seats on seed 3 but at 5.40 instead of 4.96 km per seat.
* **Large-neighbourhood search** (:mod:`.staffing.lns`) re-solves each day of each component
  exactly with HiGHS (pieces of at most 8,000 pairs, 0.15 s on average), everything else
  fixed. Coordinated moves of many people, such as packing evening classes across many
  teachers, are beyond one- or two-person moves: +44 seats, and the cost falls from about
  5.3 to 4.6 km-equivalent per seat, in 8 s of solver time on two threads. A second pass
  adds 1-2 seats for as long again; week-long pieces per skill found 14-33 more seats but
  took 8-39 s with unpredictable hard pieces, so neither is used.
* Result: 25,724 seats (98.7 % of the LP bound) at 4.64 km-eq per seat in about 20 s; seeds
  2 and 3 reach 98.7 % and 98.4 % of theirs. CP-SAT is not used: on large it does not finish
  its root relaxation on two cores, and HiGHS does better on the pieces that matter.

Bounds: every component gets a max-flow relaxation (0.4 s for all of large, about 2.5 %
above the LP), the exact solver's bound where it ran, and the LP relaxation from HiGHS in a
background thread, smallest component first, for at most half the time limit and only where
it can finish (the largest component's LP alone takes 40 s). The reported bound is the sum of
the best per component, split by kind. A Lagrangian bound (prices on seats and hours, a
vectorised interval-scheduling DP per person) was tried and dropped: its subgradient steps
stalled 2 % above the LP, no better than the flow bound.

Mediation is a b-matching between roles (lead, assistant) and mediators' free caseload:
components up to 60,000 candidate columns are solved exactly by HiGHS; larger ones by
urgency-ordered augmenting chains (exact for b-matching; pair disputes are staffed
all-or-nothing), bounded by the Lagrangian dual priced by an LP over the 20 nearest
candidates per role, which gives the full LP's value. Large is proven optimal (5,863) in 5 s.

Determinism: ties between equal-cost candidates follow a permutation drawn from ``seed``;
every search runs in a fixed order, threads only work on disjoint components, and HiGHS is
deterministic for a fixed model and node limit. The time limit is a safety net
(``stats["time_limit_hit"]``); only the bound may depend on the clock.
"""

from __future__ import annotations

from typing import Any

from .jsonio import dump_solution, load_instance
from .mediation.solve import rank_mediators, solve_mediation
from .model import (
    MediationProblem,
    MediationResult,
    StaffingProblem,
    StaffingResult,
)
from .staffing.solve import solve_staffing
from .validate import score_mediation, score_staffing, validate_mediation, validate_staffing

__all__ = [
    "dump_solution",
    "load_instance",
    "rank_mediators",
    "score_mediation",
    "score_staffing",
    "solve",
    "solve_mediation",
    "solve_staffing",
    "validate_mediation",
    "validate_staffing",
]


def solve(
    problem: StaffingProblem | MediationProblem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    **pins: Any,
) -> StaffingResult | MediationResult:
    """:func:`solve_staffing` or :func:`solve_mediation`, by the type of ``problem``."""
    if isinstance(problem, StaffingProblem):
        return solve_staffing(problem, time_limit=time_limit, seed=seed, workers=workers, **pins)
    return solve_mediation(problem, time_limit=time_limit, seed=seed, **pins)
