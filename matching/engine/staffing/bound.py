"""Proven upper bounds on the seats a staffing problem can fill.

Components (volunteers and slots linked by a possible pair) are bounded independently and the
bounds add up. Two methods:

* **flow** (always, well under a second on 20,000 people): a max-flow relaxation. Each person
  gets as many units as slots she could ever hold at once (the fewer of: her shortest slots that
  fit her weekly hours, and her most non-overlapping slots per day), each day as many as she can
  hold that day, each pair one unit, each slot its open seats. Every real assignment is such a
  flow, so the max flow is an upper bound. It is loose (about 2.5 % above the LP on the
  benchmark) because it cannot weigh a three-hour against a two-hour slot.
* **lp**: the LP relaxation of :mod:`.lpmodel`, solved by HiGHS, floored. Tighter, but the
  largest benchmark component alone needs about 40 s; it runs component by component, smallest
  first, in a background thread (HiGHS releases the GIL) until the deadline.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_flow

from .compile import CompiledStaffing
from .lpmodel import PairProgramme, pinned_load, pinned_programme
from .roster import Roster

DAY = 86400
LP_SECONDS_AT_100K = 8.0
"""HiGHS's interior point needs about this long for 100,000 pairs on a benchmark core, growing
with the 1.5th power of the size; an LP that cannot finish in the time left is not started."""


def _max_disjoint_per_group(
    group: NDArray[np.int64], start: NDArray[np.int64], end: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For each group, the most pairwise non-overlapping intervals (earliest end first)."""
    order = np.lexsort((start, end, group))
    groups: list[int] = []
    counts: list[int] = []
    current = -1
    last_end = 0
    n = 0
    for g, a, b in zip(
        group[order].tolist(), start[order].tolist(), end[order].tolist(), strict=True
    ):
        if g != current:
            if current >= 0:
                groups.append(current)
                counts.append(n)
            current, last_end, n = g, a, 0
        if a >= last_end:
            n += 1
            last_end = b
    if current >= 0:
        groups.append(current)
        counts.append(n)
    return np.asarray(groups, dtype=np.int64), np.asarray(counts, dtype=np.int64)


def flow_bound(cs: CompiledStaffing, roster: Roster, pairs: NDArray[np.int64]) -> int:
    """The max-flow relaxation over ``pairs`` (addable pair indices)."""
    if pairs.size == 0:
        return 0
    pv = cs.pair_vol[pairs]
    ps = cs.pair_slot[pairs]
    start, end = cs.slot_start[ps], cs.slot_end[ps]
    dur = end - start
    pinned_seats, pinned_seconds = pinned_load(cs, roster)
    vols, vol_node = np.unique(pv, return_inverse=True)
    slots, slot_node = np.unique(ps, return_inverse=True)

    # Per person: how many of her shortest slots fit into the hours she has left.
    order = np.lexsort((dur, vol_node))
    sorted_vol, sorted_dur = vol_node[order], dur[order]
    total = np.cumsum(sorted_dur)
    first = np.searchsorted(sorted_vol, np.arange(vols.size))
    before = np.repeat(total[first] - sorted_dur[first], np.diff(np.append(first, pv.size)))
    room = (cs.vol_cap[vols] - pinned_seconds[vols])[sorted_vol]
    by_hours = np.bincount(sorted_vol[total - before <= room], minlength=vols.size)

    day = (start // DAY).astype(np.int64)
    n_days = int(day.max()) + 1
    vd_key, vd_count = _max_disjoint_per_group(vol_node * n_days + day, start, end)
    by_days = np.bincount(vd_key // n_days, weights=vd_count, minlength=vols.size)
    per_vol = np.minimum(by_hours, by_days.astype(np.int64))

    pair_vd = np.searchsorted(vd_key, vol_node * n_days + day)
    n_vol, n_vd, n_slot = vols.size, vd_key.size, slots.size
    source, first_vol = 0, 1
    first_vd = first_vol + n_vol
    first_slot = first_vd + n_vd
    sink = first_slot + n_slot
    tails = np.concatenate(
        [
            np.zeros(n_vol, dtype=np.int64),
            first_vol + vd_key // n_days,
            first_vd + pair_vd,
            first_slot + np.arange(n_slot),
        ]
    )
    heads = np.concatenate(
        [
            first_vol + np.arange(n_vol),
            first_vd + np.arange(n_vd),
            first_slot + slot_node,
            np.full(n_slot, sink),
        ]
    )
    caps = np.concatenate(
        [
            per_vol,
            vd_count,
            np.ones(pairs.size, dtype=np.int64),
            cs.slot_needed[slots] - pinned_seats[slots],
        ]
    ).astype(np.int32)
    graph = sp.csr_matrix((caps, (tails, heads)), shape=(sink + 1, sink + 1))
    graph.sum_duplicates()
    return int(maximum_flow(graph, source, sink).flow_value)


def lp_bound(programme: PairProgramme, *, time_limit: float) -> int | None:
    """Floor of the LP relaxation, or ``None`` if HiGHS did not finish in ``time_limit``."""
    n = int(programme.pairs.size)
    if n == 0:
        return 0
    res = linprog(
        -np.ones(n),
        A_ub=programme.matrix,
        b_ub=programme.rhs,
        bounds=(0, 1),
        method="highs-ipm" if n > 20000 else "highs",
        options={"time_limit": max(0.01, time_limit)},
    )
    if res.status != 0 or res.fun is None:
        return None
    return math.floor(-res.fun + 1e-6)


@dataclass
class ComponentBounds:
    """Per component: the best bound so far and the method that proved it."""

    value: dict[int, int] = field(default_factory=dict)
    kind: dict[int, str] = field(default_factory=dict)

    def offer(self, component: int, value: int, kind: str) -> None:
        current = self.value.get(component)
        # A proof of optimality names the bound even when another method matches it.
        if current is None or value < current or (value == current and kind == "optimal"):
            self.value[component] = value
            self.kind[component] = kind


class LpBoundWorker(threading.Thread):
    """Solves component LPs, smallest first, until done or the deadline passes."""

    def __init__(
        self,
        cs: CompiledStaffing,
        roster: Roster,
        components: list[NDArray[np.int64]],
        order: list[int],
        deadline: float,
    ) -> None:
        super().__init__(name="staffing-lp-bound", daemon=True)
        self.cs, self.components, self.order, self.deadline = cs, components, order, deadline
        # The programme needs only the pinned pairs, which never change.
        self.roster = roster
        self.results: dict[int, int] = {}
        self.seconds = 0.0
        self.cut = False
        self.error: BaseException | None = None

    def run(self) -> None:
        started = time.monotonic()
        try:
            for c in self.order:
                left = self.deadline - time.monotonic()
                expected = LP_SECONDS_AT_100K * (self.components[c].size / 1e5) ** 1.5
                if left <= 0.05 or expected > left:
                    self.cut = True
                    break
                programme = pinned_programme(self.cs, self.roster, self.components[c])
                value = lp_bound(programme, time_limit=left)
                if value is None:
                    self.cut = True
                    break
                self.results[c] = value
        except BaseException as exc:  # reported by the caller, never lost in the thread
            self.error = exc
        finally:
            self.seconds = time.monotonic() - started
