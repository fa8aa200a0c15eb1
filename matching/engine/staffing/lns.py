"""Large-neighbourhood search: re-solve one day of one component exactly, keep the rest.

Chains and per-person re-planning move one or two people at a time. Packing evening classes
into many teachers' evenings needs coordinated moves of many people at once, which an exact
solve of a small piece does well: free every movable assignment on the piece's slots, let the
HiGHS MIP re-staff them around everything else (seats first, then cost), and keep the result
only if it is better. A day of one component is a natural piece, because most people's slots
on one day interact and slots on different days rarely overlap.

A piece where no one is a candidate of two of its slots (on dense scopes, one slot with
thousands of candidates) needs no programme: each slot takes its cheapest candidates. The
deadline is kept by not starting a piece with less time left than the pieces so far took on
average; each piece's solve gets what is left as its limit.

Tried on large seed 5, whose two largest components (434,217 and 285,572 pairs) hold 272-291
of its 313-327 seats of gap once the fill stage leaves this search its time (it then reaches
every component in a 20 s run, the last one cut), none kept:

* pieces of 20,000 pairs instead of 8,000: 75 seats instead of 43, but in 27 s instead of 10;
* seats only in each piece (no cost): 36 seats in 8.6 s against 43 in 10.3 s;
* the pieces with the most open seats first: 38 seats against 43 (most pieces have open
  seats that no one can take);
* components taking turns piece by piece instead of the largest first: 26,299 seats against
  26,285, within what two runs of one code differ by;
* after the pass by days, a pass by venues (pieces of nearby venues over the whole week, so
  that weekly hours can move between days): 10 more seats in 10.7 s, and another pass by days
  after it 9 more.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .compile import CompiledStaffing
from .exact import solve_exact
from .lpmodel import build_programme
from .roster import Roster

DAY = 86400
PIECE_NODES = 50
"""Branch-and-bound nodes per piece and stage: almost every piece closes at the root; the rare
hard one keeps its best solution so far instead of taking half a minute."""
PIECE_MIN_SECONDS = 0.3
"""No piece is started with less time left (nor with less than the pieces so far took on
average): on the district's densest week a piece of 3 slots and 8,000 pairs took 0.3-1.8 s of
CPU, on the large benchmark 0.15 s on average."""


@dataclass
class LnsReport:
    pieces: int = 0
    improved: int = 0
    seats: int = 0
    cost: float = 0.0
    cut: bool = False


def day_pieces(cs: CompiledStaffing, slots: list[int], max_pairs: int) -> list[list[int]]:
    """Split slots (of one component) by day, then by start time into at most ``max_pairs``."""
    ptr = cs.slot_ptr
    by_day: dict[int, list[int]] = {}
    for s in slots:
        by_day.setdefault((int(cs.slot_start[s]) + cs.midnight_offset) // DAY, []).append(s)
    pieces: list[list[int]] = []
    for day in sorted(by_day):
        piece: list[int] = []
        size = 0
        for s in sorted(by_day[day], key=lambda s: (int(cs.slot_start[s]), s)):
            n = int(ptr[s + 1] - ptr[s])
            if piece and size + n > max_pairs:
                pieces.append(piece)
                piece, size = [], 0
            piece.append(s)
            size += n
        if piece:
            pieces.append(piece)
    return pieces


def improve_piece(
    cs: CompiledStaffing, roster: Roster, piece: list[int], *, time_limit: float, node_limit: int
) -> tuple[int, float]:
    """Re-staff ``piece`` exactly around the rest; ``(seats gained, cost change)``."""
    freed = [(v, s) for s in piece for v in sorted(roster.members[s]) if not roster.is_pinned(v, s)]
    for v, s in freed:
        roster.remove(v, s)
    before = sum(roster.cost(v, s) for v, s in freed)
    pairs: list[int] = []
    pair_vol = cs.pair_vol
    for s in piece:
        members = roster.members[s]
        for i in range(int(cs.slot_ptr[s]), int(cs.slot_ptr[s + 1])):
            v = int(pair_vol[i])
            if v not in members and roster.can_add(v, s):
                pairs.append(i)
    if not pairs:
        for v, s in freed:
            roster.add(v, s)
        return 0, 0.0
    idx = np.asarray(pairs, dtype=np.int64)
    if np.unique(pair_vol[idx]).size == idx.size:
        # No one has two candidate slots in the piece (a piece of one slot with thousands
        # of candidates, on dense scopes): each slot takes its cheapest, no programme needed.
        # HiGHS (through SciPy) took 26 s of CPU and 72 s of wall for such a piece of 6,804
        # pairs with a 4.8 s limit, and found nothing.
        chosen = _cheapest_per_slot(cs, idx, {s: roster.free(s) for s in piece})
    else:
        chosen = _solve_piece(cs, roster, piece, idx, time_limit, node_limit)
    after = float(cs.pair_cost[chosen].sum()) if chosen else 0.0
    if (len(chosen), -after) > (len(freed), -before + 1e-9):
        for p in chosen:
            roster.add(int(cs.pair_vol[p]), int(cs.pair_slot[p]))
        return len(chosen) - len(freed), after - before
    for v, s in freed:
        roster.add(v, s)
    return 0, 0.0


def _cheapest_per_slot(
    cs: CompiledStaffing, idx: NDArray[np.int64], free: dict[int, int]
) -> list[int]:
    """Per slot its ``free`` cheapest pairs of ``idx`` (ties by pair index): the optimum when
    no person appears twice, since each pair then only competes for its slot's seats."""
    order = idx[np.lexsort((idx, cs.pair_cost[idx], cs.pair_slot[idx]))]
    chosen: list[int] = []
    taken: dict[int, int] = {}
    for p, s in zip(order.tolist(), cs.pair_slot[order].tolist(), strict=True):
        if taken.get(s, 0) < free[s]:
            taken[s] = taken.get(s, 0) + 1
            chosen.append(p)
    return chosen


def _solve_piece(
    cs: CompiledStaffing,
    roster: Roster,
    piece: list[int],
    idx: NDArray[np.int64],
    time_limit: float,
    node_limit: int,
) -> list[int]:
    ns = roster.n_slots
    seats_left: NDArray[np.int64] = np.zeros(ns, dtype=np.int64)
    seats_left[piece] = [roster.free(s) for s in piece]
    vols = np.unique(cs.pair_vol[idx])
    seconds_left: NDArray[np.int64] = np.zeros(roster.n_volunteers, dtype=np.int64)
    seconds_left[vols] = [roster.cap[v] - roster.used[v] for v in vols.tolist()]
    outcome = solve_exact(
        cs,
        build_programme(cs, idx, seats_left, seconds_left),
        time_limit=time_limit,
        node_limit=node_limit,
    )
    return outcome.chosen.tolist()


def _run_component(
    cs: CompiledStaffing,
    roster: Roster,
    pieces: list[list[int]],
    deadline: float,
    passes: int,
    node_limit: int,
) -> LnsReport:
    report = LnsReport()
    spent = 0.0
    for _ in range(passes):
        gained = 0
        for piece in pieces:
            started = time.monotonic()
            left = deadline - started
            if left < max(PIECE_MIN_SECONDS, spent / max(1, report.pieces)):
                # Not started without the time an average piece took: HiGHS keeps its limit
                # only roughly, and a piece begun with under a second left overran it.
                report.cut = True
                return report
            gain, delta = improve_piece(cs, roster, piece, time_limit=left, node_limit=node_limit)
            spent += time.monotonic() - started
            report.pieces += 1
            report.improved += bool(gain or delta)
            report.seats += gain
            report.cost += delta
            gained += gain
        if gained == 0:
            break
    return report


def large_neighbourhood_search(
    cs: CompiledStaffing,
    roster: Roster,
    pieces_by_component: list[list[list[int]]],
    *,
    deadline: float,
    passes: int = 1,
    node_limit: int = PIECE_NODES,
    workers: int = 2,
) -> LnsReport:
    """Improve every piece in turn, component by component; a component gets another pass
    while the last one gained seats (at most ``passes``).

    Components share no volunteer and no slot, so they run in ``workers`` threads (HiGHS
    releases the GIL) without changing the outcome: each component sees the same sequence of
    states whatever the interleaving.
    """
    order = sorted(
        range(len(pieces_by_component)),
        key=lambda c: (-sum(len(p) for p in pieces_by_component[c]), c),
    )
    if workers > 1 and len(order) > 1:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="staffing-lns") as pool:
            reports = list(
                pool.map(
                    lambda c: _run_component(
                        cs, roster, pieces_by_component[c], deadline, passes, node_limit
                    ),
                    order,
                )
            )
    else:
        reports = [
            _run_component(cs, roster, pieces_by_component[c], deadline, passes, node_limit)
            for c in order
        ]
    total = LnsReport()
    for r in reports:
        total.pieces += r.pieces
        total.improved += r.improved
        total.seats += r.seats
        total.cost += r.cost
        total.cut |= r.cut
    return total
