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

import math
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .compile import CompiledStaffing

IntArray = NDArray[np.int64]
NO_TIME = np.iinfo(np.int64).max // 4
CHUNK_PAIRS = 250_000
"""Pairs per chunk of the per-person programmes: their tables take at most about 70 MB."""
MIN_UNIT = 900
"""Budgets are counted in units of at least a quarter of an hour, so each person's programme
has at most 4 x her weekly hours + 1 budget columns."""


def _chunks(vol: IntArray) -> list[IntArray]:
    """Pair indices grouped into runs of whole people of about :data:`CHUNK_PAIRS` pairs, so
    that a programme's table (pairs x budget columns) stays small on any instance."""
    if vol.size <= CHUNK_PAIRS:
        return [np.arange(vol.size)]
    order = np.argsort(vol, kind="stable")
    sorted_vol = vol[order]
    cuts = np.searchsorted(sorted_vol, sorted_vol[CHUNK_PAIRS::CHUNK_PAIRS], side="left")
    cuts = np.unique(cuts[cuts > 0])
    return [part for part in np.split(order, cuts) if part.size]


def most_slots(
    vol: IntArray, start: IntArray, end: IntArray, room: IntArray, n_people: int
) -> IntArray:
    """Per person ``0..n_people-1``: the most of her candidate slots she can hold together
    (see :func:`_most_slots`), computed in chunks of people."""
    out = np.zeros(n_people, dtype=np.int64)
    for part in _chunks(vol):
        out += _most_slots(vol[part], start[part], end[part], room, n_people)
    return out


def _most_slots(
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
    """Per person: the most total ``value`` of candidate slots she can hold together (see
    :func:`_best_values`), computed in chunks of people."""
    out = np.zeros(n_people, dtype=np.float64)
    for part in _chunks(vol):
        picked = np.zeros(part.size, dtype=bool) if chosen is not None else None
        out += _best_values(
            vol[part],
            start[part],
            end[part],
            value[part],
            units[part],
            room,
            n_people,
            chosen=picked,
        )
        if chosen is not None and picked is not None:
            chosen[part] = picked
    return out


def _best_values(
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


class ComponentDual:
    """One component's pairs, ready for Lagrangian bounds with any slot prices.

    Durations and budgets are counted in whole units of the greatest common divisor of the
    slot lengths (at least :data:`MIN_UNIT` seconds), rounded down: a real week then always
    fits the counted budget, so the bound stays valid even when rounding loosens it.
    """

    def __init__(
        self,
        cs: CompiledStaffing,
        pairs: IntArray,
        seats_left: IntArray,
        seconds_left: IntArray,
    ) -> None:
        ps, pv = cs.pair_slot[pairs], cs.pair_vol[pairs]
        self.slots, self.slot_of = np.unique(ps, return_inverse=True)
        self.people, self.person_of = np.unique(pv, return_inverse=True)
        self.start, self.end = cs.slot_start[ps], cs.slot_end[ps]
        self.seats = seats_left[self.slots].astype(np.int64)
        self.room = seconds_left[self.people].astype(np.int64)
        dur = self.end - self.start
        unit = int(np.gcd.reduce(dur)) if dur.size else MIN_UNIT
        unit = max(unit, MIN_UNIT)
        self.units = dur // unit
        self.room_units = np.maximum(self.room, 0) // unit

    def split_bound(self, priced: NDArray[np.bool_]) -> int:
        """The bound when the slots where ``priced`` (per component slot) is set count full."""
        value = int(self.seats[priced].sum())
        free = ~priced[self.slot_of]
        held = most_slots(
            self.person_of[free],
            self.start[free],
            self.end[free],
            self.room,
            int(self.people.size),
        )
        return value + int(held.sum())

    def value(self, price: NDArray[np.float64], chosen: NDArray[np.bool_] | None = None) -> float:
        """``sum(price * seats) + sum over people of her best week valued at 1 - price``."""
        weeks = best_values(
            self.person_of,
            self.start,
            self.end,
            1.0 - price[self.slot_of],
            self.units,
            self.room_units,
            int(self.people.size),
            chosen=chosen,
        )
        return float(price @ self.seats) + float(weeks.sum())

    def refine(
        self,
        price: NDArray[np.float64],
        *,
        deadline: float,
        steps: int,
        stop: Callable[[], bool] = lambda: False,
    ) -> float:
        """Lower ``value`` from ``price`` by projected subgradient steps; the best value seen.

        Polyak steps towards a target just below the best value so far, halved when a few
        steps bring nothing; ``steps`` and ``deadline`` cap the work.
        """
        chosen = np.zeros(self.slot_of.size, dtype=bool)
        best = math.inf
        scale, stale = 1.0, 0
        last = 0.0
        for _ in range(steps):
            began = time.monotonic()
            # A step is not started when the last one shows it would end past the deadline.
            if began + last > deadline or stop():
                break
            current = self.value(price, chosen)
            if current < best - 1e-9:
                best, stale = current, 0
            else:
                stale += 1
                if stale >= 3:
                    scale, stale = scale / 2, 0
            # Open seats per slot at the people's best weeks: price rises where they crowd in.
            slope = self.seats - np.bincount(self.slot_of[chosen], minlength=self.slots.size)
            slope = np.where((price <= 0) & (slope > 0), 0, slope)
            slope = np.where((price >= 1) & (slope < 0), 0, slope)
            norm = float(slope @ slope)
            if norm == 0:
                break
            step = scale * (current - (best - max(1.0, 0.002 * best))) / norm
            price = np.clip(price - step * slope, 0.0, 1.0)
            last = time.monotonic() - began
        return best
