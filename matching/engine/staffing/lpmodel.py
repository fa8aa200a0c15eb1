"""The 0/1 programme of a staffing problem, restricted to a set of pairs, as sparse matrices.

One variable per pair that could still be added; rows for seats (per slot), weekly hours (per
volunteer) and no double booking. Overlaps form an interval graph, so "at most one slot at a
time" is exactly "at most one slot containing each start time of her candidate slots": a row per
(volunteer, start time) covered by two or more of her slots. Pinned pairs already use seats,
hours and time, so pairs clashing with them are dropped and right-hand sides shrink.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .compile import CompiledStaffing
from .roster import Roster


@dataclass(frozen=True, eq=False)
class PairProgramme:
    pairs: NDArray[np.int64]
    """Indices into the compiled pair arrays, one per column."""
    matrix: sp.csr_matrix
    rhs: NDArray[np.float64]
    n_seat_rows: int
    """The first rows are the seat rows, one per slot."""


def highs_of(
    programme: PairProgramme,
    objective: NDArray[np.float64],
    *,
    time_limit: float,
    lower: NDArray[np.float64] | None = None,
    upper: NDArray[np.float64] | None = None,
    integral: bool = False,
) -> highspy.Highs:
    """HiGHS holding the programme (minimise ``objective``, every row at most its right-hand
    side, each column between ``lower`` and ``upper``, by default 0 and 1), quiet, on one
    thread, stopped after ``time_limit`` seconds; ``integral`` makes every column an integer."""
    matrix = programme.matrix.tocsc()
    m, n = matrix.shape
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", max(0.01, float(time_limit)))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = objective
    lp.col_lower_ = np.zeros(n) if lower is None else lower
    lp.col_upper_ = np.ones(n) if upper is None else upper
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    lp.row_lower_ = np.full(m, -highspy.kHighsInf)
    lp.row_upper_ = programme.rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    highs.passModel(lp)
    return highs


def pinned_load(
    cs: CompiledStaffing, roster: Roster
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Seats taken per slot and seconds taken per volunteer by pinned pairs alone."""
    ns = cs.n_slots
    keys = np.fromiter(sorted(roster.pinned), dtype=np.int64, count=len(roster.pinned))
    vols, slots = keys // ns, keys % ns
    seats = np.bincount(slots, minlength=ns).astype(np.int64)
    seconds = np.bincount(vols, weights=cs.slot_dur[slots], minlength=cs.n_volunteers)
    return seats, seconds.astype(np.int64)


def addable_pairs(cs: CompiledStaffing, roster: Roster) -> NDArray[np.bool_]:
    """Pairs that pinned assignments leave possible (seat left, hours left, time free)."""
    ns = cs.n_slots
    pv, ps = cs.pair_vol, cs.pair_slot
    pinned_seats, pinned_seconds = pinned_load(cs, roster)
    ok = cs.slot_needed[ps] - pinned_seats[ps] > 0
    by_vol: dict[int, list[int]] = {}
    for key in sorted(roster.pinned):
        by_vol.setdefault(key // ns, []).append(key % ns)
    if not by_vol:
        return ok
    start, end, dur = cs.slot_start, cs.slot_end, cs.slot_dur
    vols = np.fromiter(by_vol, dtype=np.int64)
    ok &= dur[ps] <= cs.vol_cap[pv] - pinned_seconds[pv]
    touched = np.flatnonzero(np.isin(pv, vols))
    for i in touched.tolist():
        v, s = int(pv[i]), int(ps[i])
        for x in by_vol[v]:
            if x == s or (start[x] < end[s] and start[s] < end[x]):
                ok[i] = False
                break
    return ok


def build_programme(
    cs: CompiledStaffing,
    pairs: NDArray[np.int64],
    seats_left: NDArray[np.int64],
    seconds_left: NDArray[np.int64],
) -> PairProgramme:
    """Rows ``A x <= b`` over ``pairs`` (compiled pair indices, e.g. one component).

    ``seats_left`` (per slot) and ``seconds_left`` (per volunteer) are what the assignments
    kept outside the programme leave; the caller drops pairs that clash with those in time.
    """
    n = int(pairs.size)
    pv = cs.pair_vol[pairs]
    ps = cs.pair_slot[pairs]
    start, end = cs.slot_start, cs.slot_end
    cols = np.arange(n)

    slots, slot_row = np.unique(ps, return_inverse=True)
    seats = seats_left[slots]
    vols, vol_row = np.unique(pv, return_inverse=True)
    hours = seconds_left[vols] / 3600.0
    dur_h = (end[ps] - start[ps]) / 3600.0

    # Clique rows: (volunteer, one of her start times) for each start time a slot covers.
    points = np.unique(start[ps])
    lo = np.searchsorted(points, start[ps], side="left")
    hi = np.searchsorted(points, end[ps], side="left")
    count = hi - lo
    member = np.repeat(cols, count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    point = np.repeat(lo, count) + offset
    key = pv[member] * points.size + point
    own = np.unique(pv * points.size + lo)
    keep = np.isin(key, own)
    member, key = member[keep], key[keep]
    _, clique_row, size = np.unique(key, return_inverse=True, return_counts=True)
    shared = size[clique_row] >= 2
    member = member[shared]
    _, clique_row = np.unique(clique_row[shared], return_inverse=True)
    n_cliques = int(clique_row.max()) + 1 if clique_row.size else 0

    a_seat = sp.csr_matrix((np.ones(n), (slot_row, cols)), shape=(slots.size, n))
    a_hours = sp.csr_matrix((dur_h, (vol_row, cols)), shape=(vols.size, n))
    a_clique = sp.csr_matrix((np.ones(member.size), (clique_row, member)), shape=(n_cliques, n))
    matrix = sp.vstack([a_seat, a_hours, a_clique], format="csr")
    rhs = np.concatenate([seats.astype(np.float64), hours, np.ones(n_cliques)])
    return PairProgramme(pairs=pairs, matrix=matrix, rhs=rhs, n_seat_rows=int(slots.size))


def pinned_programme(
    cs: CompiledStaffing, roster: Roster, pairs: NDArray[np.int64]
) -> PairProgramme:
    """:func:`build_programme` around the pinned pairs only (``pairs`` must be addable)."""
    pinned_seats, pinned_seconds = pinned_load(cs, roster)
    return build_programme(cs, pairs, cs.slot_needed - pinned_seats, cs.vol_cap - pinned_seconds)
