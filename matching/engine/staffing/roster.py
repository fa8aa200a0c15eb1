"""The mutable assignment state that every staffing heuristic works on.

Plain Python lists and sets on purpose: the searches make millions of tiny queries ("can she
still take this slot?") where numpy's per-call overhead would dominate.
"""

from __future__ import annotations

from collections.abc import Iterable

from .compile import CompiledStaffing


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
        ptr = cs.slot_ptr.tolist()
        vols = cs.pair_vol.tolist()
        costs = cs.pair_cost.tolist()
        slots = cs.pair_slot.tolist()
        self.cands: list[list[int]] = [vols[ptr[j] : ptr[j + 1]] for j in range(ns)]
        self.cost: dict[int, float] = {
            v * ns + s: c for v, s, c in zip(vols, slots, costs, strict=True)
        }
        self.options: list[list[int]] = [[] for _ in range(nv)]
        for v, s in zip(vols, slots, strict=True):
            self.options[v].append(s)
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

    def pair_cost(self, v: int, s: int) -> float:
        return self.cost[v * self.n_slots + s]

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
            cost[v * ns + s]
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
