"""A Lagrangian bound that keeps each person's week whole.

Relax only the seat rows, with a price of 0 or 1 per slot. Slots priced 1 (the set ``T``) are
counted as full whatever happens; every person then takes as many of the other slots (``R``) as
her own week allows -- overlaps and weekly hours respected exactly, which the LP only does
fractionally. For any split of the slots this is an upper bound on the seats::

    seats <= sum(open seats of T) + sum over people of (most slots of R she can hold at once)

because every real assignment fills at most the open seats of ``T``, and gives each person a
feasible week, whose slots in ``R`` she could hold. On the benchmark this bound at the best
split is the Dantzig-Wolfe bound of the "one schedule per person" formulation: on medium seed 1
column generation proves it 2,380 (LP 2,406, best solution found 2,370), and its optimal prices
are all 0 or 1. The split comes from slot prices found elsewhere (the LP's seat duals, rounded,
or the minimum cut of the flow relaxation); :func:`priced_bound` only has to evaluate it, which
is one vectorised dynamic programme over all people at once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .compile import CompiledStaffing

IntArray = NDArray[np.int64]
NO_TIME = np.iinfo(np.int64).max // 4


def most_slots(
    vol: IntArray, start: IntArray, end: IntArray, room: IntArray, n_people: int
) -> IntArray:
    """Per person ``0..n_people-1``: the most of her candidate slots she can hold together.

    ``vol``, ``start``, ``end`` describe candidate pairs (a person's index and the slot's
    times); ``room`` is each person's time budget in seconds. Slots held together must not
    overlap and their durations must fit ``room``. Exact: per person, a dynamic programme over
    her slots by end time keeps, for each count ``k``, the least time ``k`` disjoint slots
    need. All people advance together, one slot rank per step, so the Python loop runs as many
    times as the busiest person has candidates, not once per pair.
    """
    n = int(vol.size)
    out = np.zeros(n_people, dtype=np.int64)
    if n == 0:
        return out
    dur = end - start
    order = np.lexsort((start, end, vol))
    vol, start, end, dur = vol[order], start[order], end[order], dur[order]
    first = np.r_[0, np.flatnonzero(np.diff(vol)) + 1]
    counts = np.diff(np.r_[first, n])
    rank = np.arange(n) - np.repeat(first, counts)
    # The most slots anyone could hold: her shortest ones filling her budget.
    shortest = int(dur.min())
    k_max = int(min(counts.max(), (room[vol] // max(shortest, 1)).max())) if n else 0
    k_max = max(k_max, 1)
    # Latest earlier slot of the same person ending by this one's start (-1: none).
    span = int(max(end.max(), start.max())) + 1
    keys = vol * span + end
    prev = np.searchsorted(keys, vol * span + start, side="right") - 1
    prev = np.where((prev >= 0) & (vol[np.maximum(prev, 0)] == vol), prev, -1)
    # best[i, k]: least seconds for k disjoint slots among the person's first i+1; row n is
    # the empty prefix.
    best = np.full((n + 1, k_max + 1), NO_TIME, dtype=np.int64)
    best[:, 0] = 0
    by_rank = np.argsort(rank, kind="stable")
    rank_ptr = np.searchsorted(rank[by_rank], np.arange(int(rank.max()) + 2))
    budget = room[vol]
    for r in range(int(rank.max()) + 1):
        idx = by_rank[rank_ptr[r] : rank_ptr[r + 1]]
        before = idx - 1 if r else np.full(idx.size, n)
        take_from = np.where(prev[idx] >= 0, prev[idx], n)
        grown = best[take_from, :-1] + dur[idx, None]
        grown[grown > budget[idx, None]] = NO_TIME
        row = best[before]
        row[:, 1:] = np.minimum(row[:, 1:], grown)
        best[idx] = row
    last = first + counts - 1
    feasible = best[last] < NO_TIME
    held = feasible.shape[1] - 1 - np.argmax(feasible[:, ::-1], axis=1)
    out[vol[first]] = held
    return out


def best_values(
    vol: IntArray,
    start: IntArray,
    end: IntArray,
    value: NDArray[np.float64],
    units: IntArray,
    room: IntArray,
    n_people: int,
    *,
    chosen: NDArray[np.bool_] | None = None,
) -> NDArray[np.float64]:
    """Per person: the most total ``value`` of candidate slots she can hold together.

    As :func:`most_slots`, but each slot has a value and the weekly budget is counted in whole
    ``units`` per slot against ``room`` units per person; the programme keeps, per budget,
    the best value among her first slots. If ``chosen`` (a mask over the input pairs) is given,
    it is set to one best selection.
    """
    out = np.zeros(n_people, dtype=np.float64)
    keep = np.flatnonzero(value > 0)
    vol, start, end, value, units = vol[keep], start[keep], end[keep], value[keep], units[keep]
    n = int(vol.size)
    if n == 0:
        return out
    order = np.lexsort((start, end, vol))
    keep = keep[order]
    vol, start, end, value, units = vol[order], start[order], end[order], value[order], units[order]
    first = np.r_[0, np.flatnonzero(np.diff(vol)) + 1]
    counts = np.diff(np.r_[first, n])
    rank = np.arange(n) - np.repeat(first, counts)
    budget = np.minimum(room[vol], int(units.sum()))
    width = int(budget.max()) + 1
    span = int(max(end.max(), start.max())) + 1
    keys = vol * span + end
    prev = np.searchsorted(keys, vol * span + start, side="right") - 1
    prev = np.where((prev >= 0) & (vol[np.maximum(prev, 0)] == vol), prev, -1)
    best = np.zeros((n + 1, width), dtype=np.float64)
    take = np.zeros((n, width), dtype=bool) if chosen is not None else None
    by_rank = np.argsort(rank, kind="stable")
    rank_ptr = np.searchsorted(rank[by_rank], np.arange(int(rank.max()) + 2))
    columns = np.arange(width)
    for r in range(int(rank.max()) + 1):
        idx = by_rank[rank_ptr[r] : rank_ptr[r + 1]]
        before = idx - 1 if r else np.full(idx.size, n)
        take_from = np.where(prev[idx] >= 0, prev[idx], n)
        shifted = columns[None, :] - units[idx, None]
        grown = np.take_along_axis(best[take_from], np.maximum(shifted, 0), axis=1)
        grown += value[idx, None]
        grown[shifted < 0] = 0.0
        stay = best[before]
        if take is not None:
            take[idx] = grown > stay
        best[idx] = np.maximum(stay, grown)
    last = first + counts - 1
    h = np.minimum(budget[first], width - 1)
    out[vol[first]] = best[last, h]
    if chosen is not None:
        assert take is not None
        chosen[:] = False
        at, lo = last.copy(), first.copy()
        while at.size:
            took = take[at, h]
            chosen[keep[at[took]]] = True
            h = np.where(took, h - units[at], h)
            at = np.where(took, prev[at], at - 1)
            live = at >= lo
            at, lo, h = at[live], lo[live], h[live]
    return out


def priced_bound(
    cs: CompiledStaffing,
    pairs: IntArray,
    priced: NDArray[np.bool_],
    seats_left: IntArray,
    seconds_left: IntArray,
) -> int:
    """The bound for the split where ``priced`` slots (a mask over all slots) form ``T``.

    ``pairs`` are the component's addable pairs; ``seats_left`` (per slot) and ``seconds_left``
    (per person) what pinned assignments leave.
    """
    if pairs.size == 0:
        return 0
    ps = cs.pair_slot[pairs]
    slots = np.unique(ps)
    value = int(seats_left[slots][priced[slots]].sum())
    free = pairs[~priced[ps]]
    if free.size:
        pv = cs.pair_vol[free]
        people, local = np.unique(pv, return_inverse=True)
        fs = cs.pair_slot[free]
        held = most_slots(
            local.astype(np.int64),
            cs.slot_start[fs],
            cs.slot_end[fs],
            seconds_left[people],
            int(people.size),
        )
        value += int(held.sum())
    return value
