"""The heuristic pipeline for components too large to solve exactly.

1. **Greedy**: scarce slots first, cheapest free candidates (:mod:`.construct`).
2. **Fill**: alternate per-person re-planning (:mod:`.reopt`) and augmenting chains
   (:mod:`.augment`) until neither finds a seat.
3. **Large-neighbourhood search**: re-solve each day of each component exactly with HiGHS
   (:mod:`.lns`), seats first and cost second; then fill again, since the new arrangement
   opens chains the old one blocked. Components the caller hands over are left to it: it
   improves them at the end around their LP's values (:mod:`.reseat`).
4. **Cost**: per-person re-planning at equal seats, then hand-overs to cheaper free
   candidates (:mod:`.polish`); a last greedy pass takes any seat those moves opened.

Every step only accepts changes that keep all hard constraints, and is deterministic; the
deadline is a safety net that stops a step early (reported as ``cut``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .augment import augment
from .compile import CompiledStaffing
from .construct import greedy_fill, scarcity_order
from .lns import day_pieces, large_neighbourhood_search
from .polish import polish
from .reopt import reoptimise
from .roster import Roster

FILL_ROUNDS = 8
LNS_MAX_PAIRS = 8000
"""Pairs per exactly re-solved piece: HiGHS needs about 0.2 s for one of this size."""
LNS_PASSES = 1


@dataclass
class SearchReport:
    stages: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cut: bool = False


def _fill(
    roster: Roster, order: list[int], vols: list[int], deadline: float
) -> tuple[int, int, bool]:
    """Re-plan people, then run chains, until a round gains nothing: (replan, chains, cut)."""
    replanned = chained = 0
    checked: dict[int, int] = {}
    for _ in range(FILL_ROUNDS):
        r, _, cut = reoptimise(roster, vols, improve_cost=False, deadline=deadline, checked=checked)
        replanned += r
        if cut:
            return replanned, chained, True
        g, cut = augment(roster, order, deadline=deadline)
        chained += g
        if cut:
            return replanned, chained, True
        if r + g == 0:
            break
    return replanned, chained, False


def run_search(
    cs: CompiledStaffing,
    roster: Roster,
    components: list[NDArray[np.int64]],
    *,
    deadline: float,
    workers: int = 2,
    handed_over: frozenset[int] = frozenset(),
) -> SearchReport:
    """Improve ``roster`` on the slots of ``components`` (addable pair indices per component).

    The components ``handed_over`` (positions in ``components``) get no large-neighbourhood
    search: the caller improves them at the end around their LP's values, which finds more
    seats there for the time (:mod:`.reseat`)."""
    report = SearchReport()
    stages, timings = report.stages, report.timings
    slots_by_comp = [np.unique(cs.pair_slot[c]).tolist() for c in components]
    wanted = {s for group in slots_by_comp for s in group}
    vols = sorted({v for c in components for v in np.unique(cs.pair_vol[c]).tolist()})

    mark = time.monotonic()
    order = [s for s in scarcity_order(roster) if s in wanted]
    stages["greedy"] = greedy_fill(roster, order)
    timings["greedy"] = time.monotonic() - mark

    mark = time.monotonic()
    replanned, chained, cut = _fill(roster, order, vols, deadline)
    stages["fill"] = {"replan": replanned, "chains": chained}
    timings["fill"] = time.monotonic() - mark
    if cut:
        report.cut = True
        return report

    mark = time.monotonic()
    pieces = [
        [] if c in handed_over else day_pieces(cs, group, LNS_MAX_PAIRS)
        for c, group in enumerate(slots_by_comp)
    ]
    lns = large_neighbourhood_search(
        cs, roster, pieces, deadline=deadline, workers=workers, passes=LNS_PASSES
    )
    stages["lns"] = {
        "pieces": lns.pieces,
        "improved": lns.improved,
        "seats": lns.seats,
        "cost": round(lns.cost, 3),
    }
    timings["lns"] = time.monotonic() - mark
    if lns.cut:
        report.cut = True
        return report

    mark = time.monotonic()
    replanned, chained, cut = _fill(roster, order, vols, deadline)
    stages["refill"] = {"replan": replanned, "chains": chained}
    timings["refill"] = time.monotonic() - mark
    if cut:
        report.cut = True
        return report

    mark = time.monotonic()
    _, delta, cut = reoptimise(roster, vols, improve_cost=True, deadline=deadline)
    if not cut:
        more, cut = polish(roster, deadline=deadline)
        delta += more
    stages["cost_saved"] = round(-delta, 3)
    # Cheaper plans can move an open seat to where someone free could take it.
    stages["last_fill"] = greedy_fill(roster, order)
    timings["cost"] = time.monotonic() - mark
    report.cut = cut
    return report
