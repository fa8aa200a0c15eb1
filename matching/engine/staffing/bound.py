"""Proven upper bounds on the seats a staffing problem can fill.

Components (volunteers and slots linked by a possible pair) are bounded independently and the
bounds add up. Three methods, the best per component counts:

* **flow** (well under a second for the whole large benchmark): a max-flow relaxation. Each
  person gets as many units as slots she could ever hold at once (the fewer of: her shortest
  slots that fit her weekly hours, and her most non-overlapping slots per day), each day as
  many as she can hold that day, each pair one unit, each slot its open seats. Every real
  assignment is such a flow, so the max flow is an upper bound. It is loose (about 2.5 %
  above the LP on the benchmark) because it cannot weigh a three-hour against a two-hour
  slot; its minimum cut, though, is a good split for the next method.
* **lagrangian** (:mod:`.dual`): seats priced, every person's best week at those prices,
  computed exactly. Prices come from the flow's cut, the LP's duals and subgradient steps.
* **lp**: the bound the LP's duals prove, from HiGHS (simplex on small components, PDLP on
  large ones), with per-person week cuts (:func:`with_week_cuts`).

The lagrangian and lp bounds of large components are computed by :class:`BoundRun` beside
the search, until the search's deadline: in :class:`DualBoundWorker`, a thread, or on large
instances in a process of its own (:mod:`.bound_process`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .compile import CompiledStaffing
from .dual import ComponentDual, most_slots
from .lpmodel import PairProgramme, build_programme, highs_of, pinned_load
from .roster import Roster

DAY = 86400
PDLP_MIN_PAIRS = 4000
"""Larger programmes are priced by PDLP, a first-order method: on medium seed 2's component of
19,000 pairs (with week cuts) it takes 0.4 s of CPU where the simplex method takes 5.8 s, for
the same bound; on the largest components the simplex method needs minutes."""
PDLP_ITERATIONS = 250
"""Enough for prices whose split proves within a few seats of what more iterations prove..."""
PDLP_ITERATIONS_LARGE = (160, 110, 70)
"""...and on programmes larger than :data:`EARLY_LP_MAX_PAIRS`: with week cuts, without them
up to :data:`FEW_ITERATIONS_PAIRS`, and without them beyond. The first and the last from these
tables: the least a component's bound proves (its LP's, its splits', its priced one) against
PDLP's iterations, and PDLP's CPU seconds, one process, at load 1.5-2.5 (large instances):

===========================  ============  ============  ============  =============
with week cuts (pairs)       100           160           250           1,000
===========================  ============  ============  ============  =============
seed 5, 285,572              10,380, 2.2s  10,350, 3.0s  10,345, 4.1s  10,338, 13.3s
seed 5, 434,217              11,606, 3.3s  11,597, 4.3s  11,597, 6.1s  11,597, 19.5s
seed 9, 303,787              8,511 at 120, 2.5s; 8,509 at 170, 3.2s     8,508, 12.1s
===========================  ============  ============  ============  =============

===========================  ============  ============  ============  =============
without (pairs)              40            70            100           130
===========================  ============  ============  ============  =============
seed 3, 968,747              21,158, 3.4s  21,095, 4.1s  21,087, 5.3s  21,083, 6.6s
seed 2, 1,064,988                          18,821, 4.9s  18,817, 6.3s  18,815, 6.7s
===========================  ============  ============  ============  =============

With 250 iterations for every LP they did not all fit: on large seed 9 (four components of
154,000-304,000 pairs) the smallest three had theirs and the largest none, keeping its flow's
split, 218 seats above what its LP proves (1.67 % proven for 0.85 %). The time saved goes to the
LPs after them and to re-seating (:mod:`.bound_process`). Seed 9 still misses its last LP when
the machine is slow (at load 2, three LPs took 10 s where they take 7 s of CPU alone). The
largest first was tried for that: seed 9 then proved 1.15 % (its smallest LP cut short), but
seed 2 1.35 % for 1.11 % (the LP of its component of 138,659 pairs, after the one of a million,
cut short), so the smallest stay first. Fewer iterations for each LP when the time the earlier
ones took said the rest would not fit (never below 70) was tried as well: in turns at load 2,
seed 2 1.23 -> 1.18 %, seed 5 1.61 -> 1.51 %, seed 9 1.78 % both, but seed 10 0.77 -> 0.96 %
(the time an LP takes includes building its programme and pricing its splits, so the rest
looked dearer than it was and an LP that had the time got fewer iterations): not kept. What
fitted them in was the LP without week cuts from 100,000 pairs (:data:`WEEK_CUT_MAX_PAIRS`),
with 110 iterations up to 500,000: seed 9's four LPs took 1.2-3.9 s of PDLP each, where with
cuts the third, of 266,561 pairs, was cut at 3.4 s proving 8,352 (7,777 without) and the fourth
never started."""
WEEK_CUT_MAX_PAIRS = 100_000
"""Larger components are priced by the LP without week cuts; the exact weeks of their priced
bound do what the cuts would. The cuts double a programme's nonzeros (on large seed 3's
component of 968,747 pairs, 7.6 million against 3.7: there 120 PDLP iterations without them
took 11 s of CPU and proved 21,081, 250 with them 23 s for 21,077), and on mid-sized
components building them costs seconds of its own: on large seed 1's of 315,864 pairs, 2.0 s
to build and 3.6 s of PDLP, cut short by the deadline, at load 2 (without cuts, the
components of 150,000-434,000 pairs of seeds 5 and 9 build in 0.1-0.3 s). With cuts up to
500,000 pairs, the LPs of large seeds 1, 5, 7 and 9 did not all fit when the machine was busy.
In turns, one run of each at load 1.1-2.2, with cuts up to 500,000 pairs (160 iterations)
against up to 100,000 (110 iterations without them up to 500,000): seed 9 1.70 -> 0.96 %, seed
5 2.20 -> 1.35 %, seed 1 1.17 -> 0.99 %, seed 7 1.07 -> 0.92 % (each cut short before, none
after), seed 2 1.32 -> 1.26 %, seed 6 0.88 % both, seed 10 0.92 -> 0.98 % (its bound 2 seats
higher, its fill 14 seats lower). Where every LP fitted either way, the bound without cuts was
2-11 seats higher."""
FEW_ITERATIONS_PAIRS = 500_000
"""Programmes without week cuts larger than this get the fewest PDLP iterations
(:data:`PDLP_ITERATIONS_LARGE`)."""
PDLP_MAX_PAIRS = 1_100_000
"""Larger components are priced by their flow cut only: PDLP's copies of a programme of a
million pairs (without cuts) take 430 MB beside the 230 MB of building it, and one subgradient
step on 4.6 million pairs seconds."""
REFINE_STEPS = 40
REFINE_GRACE = 1.0
"""Seconds the refinement may go on once the search has finished (then the caller waits)."""
EVALUATION_MARGIN = 0.2
"""Seconds kept after the LP beside the measured cost of its priced bounds."""
LP_START_FLOWS = 5.0
"""The LP of a component is started only with this many times its flow's seconds left (beside
the reserve above), half as many for a programme without week cuts: building it, PDLP's set-up
and 20 iterations took 3.2 s of CPU for a flow of 0.64 s on large seed 5's component of
434,000 pairs (with cuts), 3.8 s for 1.57 s on seed 3's of 969,000 (without); a shorter LP
gives no prices. The flow measures the machine's speed at the time and the component's size at
once."""
LP_OVERRUN_FLOWS = 2.0
"""PDLP overruns its time limit by about its set-up, kept free in this many flow times (half
as many without week cuts): on large seed 7's largest component (742,000 pairs, no cuts, a flow
of about 1.2 s of CPU) a limit of 0.5 s took 1.35 s of CPU."""
PLAIN_KINDS = ("optimal", "seats")
"""Bounds that name a component's bound on a tie: its fill proven optimal, or all its seats."""
EARLY_LP_MAX_PAIRS = 50_000
"""Components up to this size get their LP right after their flow, before the next
component's flow: 0.1-0.5 s of CPU each (PDLP with week cuts and the priced bounds) that on
large seed 8, at load 6, the flow of its component of 1.5 million pairs left no time for
afterwards (comps of 5,679, 21,716 and 42,255 pairs: flow splits 670, 1,777 and 2,717, their
LPs' priced bounds 656, 1,750 and 2,668, optima 656, 1,741 and 2,665)."""
SPLIT_THRESHOLDS = (0.5, 0.3, 0.7)
"""A slot is priced 1 when its LP seat dual reaches the threshold; each split is a bound.

Tried: the LPs over :data:`EARLY_LP_MAX_PAIRS` pairs once more, with four times their
iterations, after the re-seating: large seed 2's component of 138,659 pairs (no week cuts) is
priced 4,406 at 110 iterations (0.6 s of CPU), 4,394 at 400 (1.7 s) and 4,393 at 1,500 (3.5 s),
its fill 4,327. But in a 20 s run of that seed the re-seating ended 0.54 s before the
bound's deadline (it re-seated 36-37 seats in three runs), and in runs of seeds 2 and 5 it never
had the time to start: not kept."""


def _max_disjoint_per_group(
    group: NDArray[np.int64], start: NDArray[np.int64], end: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For each group (a person's day), the most pairwise non-overlapping intervals.

    The exact programme of :func:`.dual.most_slots`, with a day's length as the budget (which
    disjoint intervals of one day never exceed); vectorised, unlike a greedy per group.
    """
    keys, local = np.unique(group, return_inverse=True)
    counts = most_slots(local, start, end, np.full(keys.size, DAY, dtype=np.int64), keys.size)
    return keys, counts


@dataclass(frozen=True, eq=False)
class PairArrays:
    """The part of a :class:`.compile.CompiledStaffing` the bounds read, under the same names:
    what a bound process is handed (:mod:`.bound_process`), pairs limited to its components."""

    pair_vol: NDArray[np.int32]
    pair_slot: NDArray[np.int32]
    slot_start: NDArray[np.int64]
    slot_end: NDArray[np.int64]

    @property
    def n_slots(self) -> int:
        return int(self.slot_start.size)

    @property
    def slot_dur(self) -> NDArray[np.int64]:
        return self.slot_end - self.slot_start


@dataclass(frozen=True, eq=False)
class FlowCut:
    value: int
    """The max-flow value: an upper bound on the seats of the component."""
    priced: NDArray[np.bool_]
    """Per slot (all slots of the problem): on the source side of a minimum cut. Such slots
    are counted full by the cut, the others through the people who could take them: a split
    for :func:`.dual.priced_bound`."""


def flow_bound(
    cs: CompiledStaffing | PairArrays,
    pairs: NDArray[np.int64],
    seats_left: NDArray[np.int64],
    seconds_left: NDArray[np.int64],
    *,
    stop: Callable[[], bool] | None = None,
) -> FlowCut | None:
    """The max-flow relaxation over ``pairs`` (addable pair indices), with a minimum cut.

    ``seats_left`` (per slot) and ``seconds_left`` (per person) are what the pinned pairs
    leave (:func:`.lpmodel.pinned_load`).

    ``stop`` is asked between the stages (the per-day counts, the graph, the flow itself);
    when it says so the bound is abandoned and ``None`` returned. SciPy's ``maximum_flow``
    cannot be interrupted and keeps the GIL, so on a component of millions of pairs the
    question before it saves the most.
    """
    priced = np.zeros(cs.n_slots, dtype=bool)
    if pairs.size == 0:
        return FlowCut(0, priced)
    if stop is not None and stop():
        return None
    pv = cs.pair_vol[pairs]
    ps = cs.pair_slot[pairs]
    start, end = cs.slot_start[ps], cs.slot_end[ps]
    dur = end - start
    vols, vol_node = np.unique(pv, return_inverse=True)
    slots, slot_node = np.unique(ps, return_inverse=True)
    if stop is not None and stop():
        return None

    # Per person: how many of her shortest slots fit into the hours she has left.
    order = np.lexsort((dur, vol_node))
    sorted_vol, sorted_dur = vol_node[order], dur[order]
    total = np.cumsum(sorted_dur)
    first = np.searchsorted(sorted_vol, np.arange(vols.size))
    before = np.repeat(total[first] - sorted_dur[first], np.diff(np.append(first, pv.size)))
    room = seconds_left[vols][sorted_vol]
    by_hours = np.bincount(sorted_vol[total - before <= room], minlength=vols.size)
    if stop is not None and stop():
        return None

    day = (start // DAY).astype(np.int64)
    n_days = int(day.max()) + 1
    vd_key, vd_count = _max_disjoint_per_group(vol_node * n_days + day, start, end)
    by_days = np.bincount(vd_key // n_days, weights=vd_count, minlength=vols.size)
    per_vol = np.minimum(by_hours, by_days.astype(np.int64))
    if stop is not None and stop():
        return None

    pair_vd = np.searchsorted(vd_key, vol_node * n_days + day)
    del pv, ps, start, end, dur, order, sorted_vol, sorted_dur, total, before, room, day
    del vol_node
    n_vol, n_vd, n_slot = vols.size, vd_key.size, slots.size
    source, first_vol = 0, 1
    first_vd = first_vol + n_vol
    first_slot = first_vd + n_vd
    sink = first_slot + n_slot
    # Built row by row (compressed, 32-bit) rather than from triplets: the pair arcs are
    # nearly all of a large component's graph, and no arc appears twice.
    by_vd = np.argsort(pair_vd, kind="stable")
    out_degree = np.concatenate(
        [
            [n_vol],
            np.bincount(vd_key // n_days, minlength=n_vol),
            np.bincount(pair_vd, minlength=n_vd),
            np.ones(n_slot, dtype=np.int64),
            [0],
        ]
    )
    indptr = np.concatenate([[0], np.cumsum(out_degree)]).astype(np.int32)
    indices = np.concatenate(
        [
            first_vol + np.arange(n_vol),
            first_vd + np.arange(n_vd),
            first_slot + slot_node[by_vd],
            np.full(n_slot, sink),
        ]
    ).astype(np.int32)
    del by_vd, slot_node, pair_vd
    caps = np.concatenate(
        [
            per_vol,
            vd_count,
            np.ones(pairs.size, dtype=np.int64),
            seats_left[slots],
        ]
    ).astype(np.int32)
    graph = sp.csr_matrix((caps, indices, indptr), shape=(sink + 1, sink + 1))
    del caps, indices, indptr
    graph.sort_indices()
    if stop is not None and stop():
        return None
    result = maximum_flow(graph, source, sink)
    # Residual arcs: spare capacity forwards, and (as the flow matrix is antisymmetric) the
    # flow itself backwards. What the source still reaches is the source side of a min cut.
    residual = (graph - result.flow).tocsr()
    del graph
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    reached = breadth_first_order(residual, source, directed=True, return_predecessors=False)
    on_source_side = np.zeros(sink + 1, dtype=bool)
    on_source_side[reached] = True
    priced[slots] = on_source_side[first_slot : first_slot + n_slot]
    return FlowCut(int(result.flow_value), priced)


def with_week_cuts(
    cs: CompiledStaffing | PairArrays, programme: PairProgramme, seconds_left: NDArray[np.int64]
) -> PairProgramme:
    """``programme`` plus rows that every whole week obeys and the LP alone does not.

    Per person and per slot length ``l`` among her candidates: of her slots lasting at least
    ``l``, she holds at most as many as her most disjoint ones fitting her hours (exact, from
    :func:`.dual.most_slots`). With ``l`` the shortest length this caps her slot count; with
    longer ones it stops the LP from filling five hours with two and a half two-hour slots.
    Rows that cannot bind are left out. On medium seed 2 the LP falls from 2,591 to 2,576
    and the priced bound from 2,574 to 2,567.
    """
    pairs = programme.pairs
    n = int(pairs.size)
    ps = cs.pair_slot[pairs]
    people, person = np.unique(cs.pair_vol[pairs], return_inverse=True)
    dur = cs.slot_dur[ps]
    rows: list[sp.csr_matrix] = [programme.matrix]
    rhs: list[NDArray[np.float64]] = [programme.rhs]
    for length in np.unique(dur):
        sel = np.flatnonzero(dur >= length)
        most = most_slots(
            person[sel],
            cs.slot_start[ps[sel]],
            cs.slot_end[ps[sel]],
            seconds_left[people],
            int(people.size),
        )
        binding = np.bincount(person[sel], minlength=people.size) > most
        sel = sel[binding[person[sel]]]
        if sel.size == 0:
            continue
        row_people, row = np.unique(person[sel], return_inverse=True)
        rows.append(sp.csr_matrix((np.ones(sel.size), (row, sel)), shape=(row_people.size, n)))
        rhs.append(most[row_people].astype(np.float64))
    return PairProgramme(
        pairs=pairs,
        matrix=sp.vstack(rows, format="csr"),
        rhs=np.concatenate(rhs),
        n_seat_rows=programme.n_seat_rows,
    )


@dataclass(frozen=True, eq=False)
class LpPrices:
    seat: NDArray[np.float64]
    """Seat duals per row of the programme's seat rows, clipped to ``[0, 1]``."""
    bound: int
    """The bound these duals prove for the LP (valid whether or not HiGHS finished)."""
    timed_out: bool
    primal: NDArray[np.float32]
    """The LP's value of each column where HiGHS stopped (near the optimum, not at it, when
    PDLP stopped at its iteration limit)."""


def pdlp_iterations(pairs: int, week_cuts: bool) -> int:
    """PDLP's iterations for a component's LP (:data:`PDLP_ITERATIONS_LARGE`)."""
    if pairs <= EARLY_LP_MAX_PAIRS:
        return PDLP_ITERATIONS
    if week_cuts:
        return PDLP_ITERATIONS_LARGE[0]
    return PDLP_ITERATIONS_LARGE[1 if pairs <= FEW_ITERATIONS_PAIRS else 2]


def lp_prices(
    programme: PairProgramme, *, time_limit: float, iterations: int = PDLP_ITERATIONS
) -> LpPrices:
    """Dual prices of the LP relaxation: simplex for small programmes, PDLP for large ones.

    Any non-negative row prices ``y`` prove ``b·y + sum(max(0, 1 - a_j·y))`` for the LP
    (each column is at most 1), so an unfinished solve still yields a valid bound; HiGHS's
    presolve is off for PDLP because its duals are not restored when PDLP stops early.
    """
    matrix = programme.matrix
    m, n = matrix.shape
    highs = highs_of(programme, -np.ones(n), time_limit=time_limit)
    if n > PDLP_MIN_PAIRS:
        highs.setOptionValue("solver", "pdlp")
        highs.setOptionValue("presolve", "off")
        highs.setOptionValue("pdlp_iteration_limit", int(iterations))
    highs.run()
    timed_out = highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    solution = highs.getSolution()
    dual = np.asarray(solution.row_dual, dtype=np.float64)
    primal = np.asarray(solution.col_value, dtype=np.float32)
    y = np.maximum(-dual, 0.0) if dual.size == m else np.zeros(m)
    reduced = 1.0 - matrix.T @ y
    value = float(programme.rhs @ y + np.maximum(reduced, 0.0).sum())
    return LpPrices(
        seat=np.minimum(y[: programme.n_seat_rows], 1.0),
        bound=min(n, math.floor(value + 1e-6)),
        timed_out=timed_out,
        primal=primal if primal.size == n else np.zeros(n, dtype=np.float32),
    )


@dataclass
class ComponentBounds:
    """Per component: the best bound so far and the method that proved it."""

    value: dict[int, int] = field(default_factory=dict)
    kind: dict[int, str] = field(default_factory=dict)

    def offer(self, component: int, value: int, kind: str) -> None:
        current = self.value.get(component)
        # A proof of optimality, or of every open seat, names the bound even when another
        # method matches it: they are the plainest reasons a coordinator can be given.
        if current is None or value < current or (value == current and kind in PLAIN_KINDS):
            self.value[component] = value
            self.kind[component] = kind


class _Filled:
    """Are all open seats of these slots filled? Once they are, for good: the search keeps a
    change only when it fills more seats (or as many, cheaper), though it frees some for a
    moment while it re-plans. Were that ever wrong the bound would still hold (no component
    fills more than its open seats), and :attr:`DualBoundWorker.cut` asks again at the end."""

    def __init__(self, roster: Roster, slots: list[int]) -> None:
        self.roster, self.slots, self.seen = roster, slots, False

    def __call__(self) -> bool:
        free = self.roster.free
        self.seen = self.seen or all(free(s) <= 0 for s in self.slots)
        return self.seen


class BoundRun:
    """The bound worker's programme, whether a thread or a process of its own runs it.

    ``filled(c)`` says whether the search has filled every open seat of component ``c``;
    ``search_done`` is set once the search has finished; ``sink(c, value, kind)`` receives
    every better bound as soon as it is proven.
    """

    def __init__(
        self,
        cs: CompiledStaffing | PairArrays,
        components: list[NDArray[np.int64]],
        order: list[int],
        deadline: float,
        seats_left: NDArray[np.int64],
        seconds_left: NDArray[np.int64],
        *,
        filled: Callable[[int], bool],
        search_done: threading.Event,
        sink: Callable[[int, int, str], None],
        before_refine: Callable[[], None] | None = None,
        keep_primal: bool = False,
    ) -> None:
        self.cs, self.components, self.order, self.deadline = cs, components, order, deadline
        self.seats_left, self.seconds_left = seats_left, seconds_left
        self.filled, self.search_done, self.sink = filled, search_done, sink
        self.before_refine = before_refine
        """Run once the LP stage is over (the bound process re-seats components there: the
        subgradient steps after it have rarely proven anything more)."""
        self.primal: dict[int, NDArray[np.float32]] | None = {} if keep_primal else None
        """With ``keep_primal``: per component whose LP ran to its iteration limit, the
        LP's values of its pairs (what the bound process re-seats the search's final answer
        around)."""
        self.best: dict[int, int] = {}
        self.stages: dict[str, float] = {}
        self.cut = False
        """Did the time stop an LP (components left unflowed are in :attr:`unflowed`)?"""
        self.unflowed: list[int] = []
        """Components left with their open seats as the bound."""
        self._waiting_since: float | None = None

    def _search_long_done(self) -> bool:
        if not self.search_done.is_set():
            self._waiting_since = None
            return False
        if self._waiting_since is None:
            self._waiting_since = time.monotonic()
        return time.monotonic() - self._waiting_since > REFINE_GRACE

    def _offer(self, c: int, value: float, kind: str) -> None:
        value = math.floor(value + 1e-6)
        if c not in self.best or value < self.best[c]:
            self.best[c] = value
            self.sink(c, value, kind)

    def _price(
        self,
        c: int,
        duals: dict[int, tuple[ComponentDual, NDArray[np.float64]]],
        evaluation: float,
        flow_seconds: float,
        priced: set[int],
    ) -> bool:
        """Component ``c``'s LP prices and the bounds they prove, if there is time for them
        (``evaluation``: seconds one priced bound took; ``flow_seconds``: its flow's). False
        when the deadline has passed: nothing more should be started."""
        if self.components[c].size > PDLP_MAX_PAIRS:
            return True  # its programme alone would take more memory than the rest
        left = self.deadline - time.monotonic()
        if left <= 0.05:
            self.cut = True
            return False
        cs, seats_left, seconds_left = self.cs, self.seats_left, self.seconds_left
        dual = duals[c][0]
        # Leave time for turning the prices into bounds: the splits and one valued bound
        # (about twice a split) after the LP, measured on the flow's split.
        reserve = EVALUATION_MARGIN + (len(SPLIT_THRESHOLDS) + 2) * evaluation
        week_cuts = self.components[c].size <= WEEK_CUT_MAX_PAIRS
        # A programme without week cuts has half the nonzeros: half the set-up to keep free.
        flows = flow_seconds * (1.0 if week_cuts else 0.5)
        start = LP_START_FLOWS * flows
        if left < reserve + start:
            # Not even time to build the programme and give PDLP a few iterations (a larger
            # component without week cuts may still have it).
            self.cut = True
            return True
        programme = build_programme(cs, self.components[c], seats_left, seconds_left)
        if week_cuts:
            programme = with_week_cuts(cs, programme, seconds_left)
        left = self.deadline - time.monotonic()
        # PDLP's set-up is not interrupted by its time limit: it is kept free as well.
        overrun = LP_OVERRUN_FLOWS * flows
        if left - reserve - overrun <= 0.05:
            self.cut = True
            return True
        prices = lp_prices(
            programme,
            time_limit=left - reserve - overrun,
            iterations=pdlp_iterations(self.components[c].size, week_cuts),
        )
        del programme
        self.cut |= prices.timed_out
        self._offer(c, prices.bound, "lp")
        if self.primal is not None and not prices.timed_out:
            self.primal[c] = prices.primal
        for threshold in SPLIT_THRESHOLDS:
            self._offer(c, dual.split_bound(prices.seat >= threshold), "lagrangian")
            if time.monotonic() > self.deadline:
                break
        else:
            self._offer(c, dual.value(prices.seat), "lagrangian")
        duals[c] = (dual, prices.seat)
        priced.add(c)
        return True

    def run(self) -> None:
        started = time.monotonic()
        cs, seats_left, seconds_left = self.cs, self.seats_left, self.seconds_left
        duals: dict[int, tuple[ComponentDual, NDArray[np.float64]]] = {}
        # Seconds one priced bound of the component took: what turning LP prices into
        # bounds will cost, kept free of the LP's own time.
        evaluation: dict[int, float] = {}
        flow_seconds: dict[int, float] = {}
        priced: set[int] = set()
        tried: set[int] = set()  # components whose LP came right after their flow
        # First every component's open seats, a bound at no cost; then the flow
        # relaxation and its minimum cut, smallest component first, until the deadline.
        # A component whose open seats the search has all filled is proven by their count,
        # so its flow is not computed (on the district's densest week, one component of
        # 4.4 million pairs, the flow took 9 s of CPU and 650 MB, beside a greedy that
        # filled every seat in 0.1 s).
        for c in self.order:
            slots = np.unique(cs.pair_slot[self.components[c]])
            self._offer(c, int(seats_left[slots].sum()), "seats")
        for c in self.order:
            pairs = self.components[c]

            # A flow started before the deadline runs to its end unless the seats fill:
            # stopped at the deadline, the largest components of large seeds 2, 3 and 5
            # kept only their open seats (4.3-6.3 % above the fill instead of 2.5 %),
            # though their flows would have ended within the time limit.
            def stop(c: int = c) -> bool:
                return self.filled(c)

            mark = time.monotonic()
            late = mark >= self.deadline
            cut = (
                None
                if late or stop()
                else flow_bound(cs, pairs, seats_left, seconds_left, stop=stop)
            )
            if cut is None:
                # The seats bound stands: tight once they are filled, cut short otherwise
                # (asked again when the search has finished).
                self.unflowed.append(c)
                continue
            flow_seconds[c] = time.monotonic() - mark
            self._offer(c, cut.value, "flow")
            if self.filled(c):
                continue
            mark = time.monotonic()
            dual = ComponentDual(cs, pairs, seats_left, seconds_left)
            self._offer(c, dual.split_bound(cut.priced[dual.slots]), "lagrangian")
            evaluation[c] = time.monotonic() - mark
            duals[c] = (dual, np.zeros(dual.slots.size))
            if pairs.size <= EARLY_LP_MAX_PAIRS:
                # Cheap, and worth more than waiting for the larger components' flows (a
                # deadline passed meanwhile leaves those unflowed, as below).
                tried.add(c)
                self._price(c, duals, evaluation[c], flow_seconds[c], priced)
        self.stages["flow"] = time.monotonic() - started
        # Then the LP's prices, smallest component first (the small ones have theirs already).
        for c in self.order:
            if c not in duals or c in tried or self.filled(c):
                continue  # no flow for it, priced already, or proven by its open seats
            if not self._price(c, duals, evaluation[c], flow_seconds[c], priced):
                break
        self.stages["lp"] = time.monotonic() - started
        if self.before_refine is not None:
            self.before_refine()
            self.stages["reseat"] = time.monotonic() - started
        # Then subgradient steps from the LP's prices, the largest components first, until
        # the deadline or shortly after the search has finished.
        waiting = sorted(priced, key=lambda c: (-self.components[c].size, c))
        for i, c in enumerate(waiting):
            left = self.deadline - time.monotonic()
            if left <= 0.05 or self._search_long_done():
                break
            dual, price = duals[c]
            share = time.monotonic() + left / (len(waiting) - i)
            best = dual.refine(
                price, deadline=share, steps=REFINE_STEPS, stop=self._search_long_done
            )
            self._offer(c, best, "lagrangian")
        self.stages["refine"] = time.monotonic() - started


class DualBoundWorker(threading.Thread):
    """Runs :class:`BoundRun` in a thread beside the search, which it shares the GIL with.

    For each component the result is the best of its open seats, its flow, the LP bound the
    duals prove and the priced bounds (:func:`.dual.priced_bound`) of the splits its flow cut
    and its rounded seat duals give. :mod:`.bound_process` runs the same in a process of its
    own, for the large instances where the search needs its core.
    """

    def __init__(
        self,
        cs: CompiledStaffing,
        roster: Roster,
        components: list[NDArray[np.int64]],
        order: list[int],
        deadline: float,
    ) -> None:
        super().__init__(name="staffing-dual-bound", daemon=True)
        self.roster = roster
        self.results: dict[int, tuple[int, str]] = {}
        self.better: dict[int, NDArray[np.int64]] = {}
        """Never filled here: a thread shares the search's core (see :mod:`.bound_process`)."""
        self.final: dict[int, NDArray[np.int64]] = {}
        """Never filled here either."""
        self.final_cut = False
        self.search_done = threading.Event()
        """Set by the caller when the search has finished: refinement then soon stops."""
        self.seconds = 0.0
        self.error: BaseException | None = None
        # The programmes need only the pinned pairs, which never change.
        pinned_seats, pinned_seconds = pinned_load(cs, roster)
        self._filled = {
            c: _Filled(roster, np.unique(cs.pair_slot[components[c]]).tolist()) for c in order
        }
        self._run = BoundRun(
            cs,
            components,
            order,
            deadline,
            cs.slot_needed - pinned_seats,
            cs.vol_cap - pinned_seconds,
            filled=lambda c: self._filled[c](),
            search_done=self.search_done,
            sink=self._sink,
        )

    def _sink(self, c: int, value: int, kind: str) -> None:
        self.results[c] = (value, kind)

    @property
    def stages(self) -> dict[str, float]:
        return self._run.stages

    @property
    def cut(self) -> bool:
        """Did the time stop a tighter bound? Asked when the search has finished: a component
        left with its open seats as the bound counts only if some of them are still open."""
        roster = self.roster
        return self._run.cut or any(
            roster.free(s) > 0 for c in self._run.unflowed for s in self._filled[c].slots
        )

    def run(self) -> None:
        started = time.monotonic()
        try:
            self._run.run()
        except BaseException as exc:  # reported by the caller, never lost in the thread
            self.error = exc
        finally:
            self.seconds = time.monotonic() - started
