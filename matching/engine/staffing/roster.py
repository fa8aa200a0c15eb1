"""The mutable assignment state that every staffing heuristic works on.

Plain Python containers on purpose: the searches make millions of tiny queries ("can she
still take this slot?") where numpy's per-call overhead would dominate. The per-pair data --
each slot's candidates and each person's options, with their costs -- sit in typed
:class:`array.array` rows (4 or 8 bytes a pair, no Python object per pair): on the large
benchmark's densest seed (1.6 million pairs) a dictionary of costs and lists of candidates
took 277 MB.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np

from .compile import CompiledStaffing


def _rows(values: np.ndarray, ptr: np.ndarray, typecode: str) -> list[array]:
    """``values[ptr[i]:ptr[i + 1]]`` for each ``i`` as typed arrays."""
    dtype = np.int32 if typecode == "i" else np.float64
    data = values.astype(dtype, copy=False)
    bounds = ptr.tolist()
    return [array(typecode, data[a:b].tobytes()) for a, b in zip(bounds, bounds[1:], strict=False)]


class Roster:
    """Who is on which slot, with the hard constraints that depend on the assignment.

    Static eligibility is already in the candidate lists; this class guards seats, overlaps and
    weekly hours. *Pinned* pairs (fixed or locked) are part of the state but never removed.
    Every change stamps the volunteer's ``version`` and the slot's ``slot_version`` with a
    running ``clock``, so a search can tell whether an answer it remembers is still current.
    """

    def __init__(self, cs: CompiledStaffing, pinned: Iterable[tuple[int, int]] = ()) -> None:
        ns, nv = cs.n_slots, cs.n_volunteers
        self.n_slots, self.n_volunteers = ns, nv
        self.start: list[int] = cs.slot_start.tolist()
        self.end: list[int] = cs.slot_end.tolist()
        self.dur: list[int] = (cs.slot_end - cs.slot_start).tolist()
        self.needed: list[int] = cs.slot_needed.tolist()
        self.cap: list[int] = cs.vol_cap.tolist()
        # Candidates per slot, cheapest first (the compiled order), with their costs.
        self.cands: list[array] = _rows(cs.pair_vol, cs.slot_ptr, "i")
        self.first_pair: list[int] = cs.slot_ptr[:-1].tolist()
        self.cand_cost: list[array] = _rows(cs.pair_cost, cs.slot_ptr, "d")
        # Options per person, in slot order, with their costs.
        by_person = np.argsort(cs.pair_vol, kind="stable")
        person_ptr = np.searchsorted(cs.pair_vol[by_person], np.arange(nv + 1))
        self.options: list[array] = _rows(cs.pair_slot[by_person], person_ptr, "i")
        self.option_cost: list[array] = _rows(cs.pair_cost[by_person], person_ptr, "d")
        del by_person
        self.slots_of: list[list[int]] = [[] for _ in range(nv)]
        self.movable_of: list[list[int]] = [[] for _ in range(nv)]
        self.used: list[int] = [0] * nv
        self.members: list[set[int]] = [set() for _ in range(ns)]
        self.version: list[int] = [0] * nv
        self.slot_version: list[int] = [0] * ns
        self.clock = 0
        self.pinned: set[int] = set()
        for s, v in pinned:
            key = v * ns + s
            if key in self.pinned:
                continue
            self.pinned.add(key)
            self.slots_of[v].append(s)
            self.used[v] += self.dur[s]
            self.members[s].add(v)

    # -- queries -------------------------------------------------------------------------
    def key(self, v: int, s: int) -> int:
        return v * self.n_slots + s

    def free(self, s: int) -> int:
        return self.needed[s] - len(self.members[s])

    def is_pinned(self, v: int, s: int) -> bool:
        return v * self.n_slots + s in self.pinned

    def movable_pairs(self, slots: Iterable[int]) -> list[int]:
        """The compiled pair indices of the movable (not pinned) assignments on ``slots``."""
        return [
            self.first_pair[s] + self.cands[s].index(v)
            for s in slots
            for v in list(self.members[s])
            if not self.is_pinned(v, s)
        ]

    def cost(self, v: int, s: int) -> float:
        """The cost of ``v`` on ``s`` (she must be a candidate of ``s``)."""
        return self.cand_cost[s][self.cands[s].index(v)]

    def can_add(self, v: int, s: int) -> bool:
        """Would ``v`` keep her hours and be free for ``s``? (Seats are the caller's business.)"""
        if self.used[v] + self.dur[s] > self.cap[v]:
            return False
        a, b = self.start[s], self.end[s]
        start, end = self.start, self.end
        return all(not (start[x] < b and a < end[x]) for x in self.slots_of[v])

    def can_swap(self, v: int, out: int, s: int) -> bool:
        """Could ``v`` leave ``out`` (not pinned) and take ``s`` instead?"""
        if self.used[v] - self.dur[out] + self.dur[s] > self.cap[v]:
            return False
        a, b = self.start[s], self.end[s]
        start, end = self.start, self.end
        return all(x == out or not (start[x] < b and a < end[x]) for x in self.slots_of[v])

    def movable(self, v: int) -> list[int]:
        """Her slots that are not pinned (a live list: copy it before changing the roster)."""
        return self.movable_of[v]

    @property
    def filled(self) -> int:
        return sum(len(m) for m in self.members)

    def total_cost(self) -> float:
        """Cost of the engine's own pairs (pinned pairs are scored elsewhere)."""
        ns, pinned, cost = self.n_slots, self.pinned, self.cost
        return sum(
            cost(v, s)
            for v, slots in enumerate(self.slots_of)
            for s in slots
            if v * ns + s not in pinned
        )

    def pairs(self) -> list[tuple[int, int]]:
        """``(slot, volunteer)`` for every assignment, sorted."""
        return sorted((s, v) for v, slots in enumerate(self.slots_of) for s in slots)

    # -- changes -------------------------------------------------------------------------
    def add(self, v: int, s: int) -> None:
        self.slots_of[v].append(s)
        self.movable_of[v].append(s)
        self.used[v] += self.dur[s]
        self.members[s].add(v)
        self.clock += 1
        self.version[v] = self.slot_version[s] = self.clock

    def remove(self, v: int, s: int) -> None:
        if v * self.n_slots + s in self.pinned:
            raise ValueError("pinned pairs are never removed")
        self.slots_of[v].remove(s)
        self.movable_of[v].remove(s)
        self.used[v] -= self.dur[s]
        self.members[s].discard(v)
        self.clock += 1
        self.version[v] = self.slot_version[s] = self.clock

    def snapshot(self) -> list[tuple[int, int]]:
        return self.pairs()

    def restore(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Reset to ``pairs`` (which must contain every pinned pair)."""
        for v in range(self.n_volunteers):
            for s in list(self.movable_of[v]):
                self.remove(v, s)
        for s, v in pairs:
            if not self.is_pinned(v, s):
                self.add(v, s)
