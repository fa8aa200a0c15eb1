"""Augmenting chains: fill an empty seat by moving people along a chain of swaps.

To fill slot ``s0`` the search looks for a candidate who can simply take it; failing that, a
candidate ``v1`` who could take it by leaving one of her slots ``s1``, which someone else then
fills, directly or by leaving ``s2`` in turn, and so on. It is breadth-first, so the shortest
chain wins, and among equally short ones the cheapest candidates are tried first. This is the
augmenting-path step of bipartite matching, generalised to people with overlaps and weekly hours.

What a slot offers a search -- who could take one of its seats as she is, and which of her
slots each other candidate would leave for it -- depends only on its candidates' own weeks, so
:class:`Chains` works it out once and mends it when one of those candidates is moved. On large
seed 5 the first sweep reached 234,000 slots in 3,511 searches, and working each out anew took
36 of its 42 s of CPU (under a profiler); kept, the sweep takes 4.5 s instead of 20.8 s and
applies the same 1,183 chains. The search's fill stage, which the 20 s limit cut in that
sweep on large seed 5 (15.8 s), took 3.4-9.5 s on large seeds 1, 2, 3 and 5 since, leaving
time for the large-neighbourhood search.
"""

from __future__ import annotations

import time
from collections import deque

from .roster import Roster

Parent = dict[int, tuple[int, int] | None]

KEPT_MOVES = 1_000_000
"""Moves kept at most (about 130 bytes each); past it the searches start afresh. Large seed 2's
first sweep kept at most 162,535 (of 1.27 million pairs), but a district's dense week of 4.4
million pairs with seats no one takes as she is could keep nearly all of them."""


class Chains:
    """Chain searches over one roster, which nothing but :meth:`apply` may change meanwhile."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        self._takers: dict[int, list[int]] = {}
        self._moves: dict[int, dict[int, list[int]]] = {}
        self._kept = 0

    def _takes(self, w: int, x: int) -> bool:
        return w not in self.roster.members[x] and self.roster.can_add(w, x)

    def _leaves(self, v: int, s: int) -> list[int]:
        """The slots ``v`` could leave to take ``s``: the one slot in the way; two in the way,
        or a pinned one, cannot be solved by a single swap. With none in the way, any of her
        movable slots (her hours may need it)."""
        r = self.roster
        if v in r.members[s]:
            return []
        start, end, dur = r.start, r.end, r.dur
        a, b, d = start[s], end[s], dur[s]
        clashes = [x for x in r.slots_of[v] if start[x] < b and a < end[x]]
        if clashes:
            if len(clashes) > 1 or r.is_pinned(v, clashes[0]):
                return []
            leave = clashes
        else:
            leave = r.movable_of[v]
        room = r.cap[v] - r.used[v]
        return [x for x in leave if d <= room + dur[x]]

    def takers(self, x: int) -> list[int]:
        """Candidates who could take a seat of ``x`` as they are, cheapest first."""
        found = self._takers.get(x)
        if found is None:
            takes = self._takes
            found = self._takers[x] = [w for w in self.roster.cands[x] if takes(w, x)]
        return found

    def moves(self, s: int) -> dict[int, list[int]]:
        """``{v: slots}``: the candidates of ``s``, cheapest first, who could take it by
        leaving one of those slots of theirs."""
        found = self._moves.get(s)
        if found is None:
            found = {}
            for v in self.roster.cands[s]:
                leave = self._leaves(v, s)
                if leave:
                    found[v] = leave
            self._kept += len(found)
            if self._kept > KEPT_MOVES:
                self._takers.clear()
                self._moves.clear()
                self._kept = len(found)
            self._moves[s] = found
        return found

    def find(
        self, s0: int, dead: set[int] | frozenset[int] = frozenset()
    ) -> tuple[tuple[int, int] | None, Parent]:
        """Breadth-first search for a chain filling a seat of ``s0``.

        Returns ``(end, parent)``: ``end`` is the ``(slot, volunteer)`` closing the chain
        (``None`` if there is none), and ``parent`` maps each reached slot to ``(slot she moves
        to, volunteer)``. A volunteer appears at most once on a chain, so every step stays valid
        when applied. Slots in ``dead`` are not entered. A slot is tested for a free taker as
        soon as it is reached, not when its turn comes: that stops the search a whole level
        earlier.
        """
        parent: Parent = {s0: None}
        for w in self.takers(s0):
            return (s0, w), parent
        on_path: dict[int, tuple[int, ...]] = {s0: ()}
        queue = deque([s0])
        while queue:
            s = queue.popleft()
            path = on_path[s]
            for v, leave in self.moves(s).items():
                if v in path:
                    continue
                for x in leave:
                    if x in parent or x in dead:
                        continue
                    parent[x] = (s, v)
                    on_path[x] = here = (*path, v)
                    for w in self.takers(x):
                        if w not in here:
                            return (x, w), parent
                    queue.append(x)
        return None, parent

    def apply(self, end: tuple[int, int], parent: Parent) -> None:
        """Move everyone on the chain ending at ``end``, and bring what is kept up to date."""
        r = self.roster
        s, v = end
        r.add(v, s)
        moved = [v]
        link = parent[s]
        while link is not None:
            prev, who = link
            r.remove(who, s)
            r.add(who, prev)
            moved.append(who)
            s = prev
            link = parent[s]
        # Only the moved people's entries changed. An entry that goes or changes is mended in
        # place; one that appears would break the cheapest-first order, so its slot is
        # worked out anew when next reached.
        for w in moved:
            for x in r.options[w]:
                takers = self._takers.get(x)
                if takers is not None:
                    if self._takes(w, x):
                        if w not in takers:
                            del self._takers[x]
                    elif w in takers:
                        takers.remove(w)
                moves = self._moves.get(x)
                if moves is not None:
                    leave = self._leaves(w, x)
                    if w in moves:
                        if leave:
                            moves[w] = leave
                        else:
                            del moves[w]
                    elif leave:
                        self._kept -= len(self._moves.pop(x))


def augment(roster: Roster, order: list[int], *, deadline: float) -> tuple[int, bool]:
    """Fill empty seats by chains until a round gains nothing; ``(seats gained, cut short)``.

    ``order`` ranks the slots (scarcest first). Within a round every slot a failed search
    reached counts as a dead end for the rest of the round, as in Hopcroft-Karp, so a round
    costs about one sweep of the graph; the next round starts afresh.
    """
    chains = Chains(roster)
    gained = 0
    while True:
        round_gain = 0
        dead: set[int] = set()
        for s0 in order:
            while roster.free(s0) > 0 and s0 not in dead:
                if time.monotonic() > deadline:
                    return gained + round_gain, True
                end, parent = chains.find(s0, dead)
                if end is None:
                    dead.update(parent)
                    break
                chains.apply(end, parent)
                round_gain += 1
        gained += round_gain
        if round_gain == 0:
            return gained, False
