"""Augmenting chains: fill an empty seat by moving people along a chain of swaps.

To fill slot ``s0`` the search looks for a candidate who can simply take it; failing that, a
candidate ``v1`` who could take it by leaving one of her slots ``s1``, which someone else then
fills, directly or by leaving ``s2`` in turn, and so on. It is breadth-first, so the shortest
chain wins, and among equally short ones the cheapest candidates are tried first. This is the
augmenting-path step of bipartite matching, generalised to people with overlaps and weekly hours.
"""

from __future__ import annotations

import time
from collections import deque

from .roster import Roster

Parent = dict[int, tuple[int, int] | None]


def find_chain(
    roster: Roster, s0: int, dead: set[int] | frozenset[int] = frozenset()
) -> tuple[tuple[int, int] | None, Parent]:
    """Breadth-first search for a chain filling a seat of ``s0``.

    Returns ``(end, parent)``: ``end`` is the ``(slot, volunteer)`` closing the chain (``None``
    if there is none), and ``parent`` maps each reached slot to ``(slot she moves to,
    volunteer)``. A volunteer appears at most once on a chain, so every step stays valid when
    applied. Slots in ``dead`` are not entered. A slot is tested for a free taker as soon as it
    is reached, not when its turn comes: that stops the search a whole level earlier.
    """
    cands, members, movable_of = roster.cands, roster.members, roster.movable_of
    start, end, dur, used, cap, slots_of = (
        roster.start,
        roster.end,
        roster.dur,
        roster.used,
        roster.cap,
        roster.slots_of,
    )

    def free_taker(x: int, path: tuple[int, ...]) -> int:
        a, b, d = start[x], end[x], dur[x]
        in_x = members[x]
        for w in cands[x]:
            if w in in_x or w in path or used[w] + d > cap[w]:
                continue
            if not any(start[y] < b and a < end[y] for y in slots_of[w]):
                return w
        return -1

    parent: Parent = {s0: None}
    taker = free_taker(s0, ())
    if taker >= 0:
        return (s0, taker), parent
    on_path: dict[int, tuple[int, ...]] = {s0: ()}
    queue = deque([s0])
    while queue:
        s = queue.popleft()
        in_s = members[s]
        path = on_path[s]
        a, b, d = start[s], end[s], dur[s]
        for v in cands[s]:
            if v in in_s or v in path:
                continue
            clashes = [x for x in slots_of[v] if start[x] < b and a < end[x]]
            if clashes:
                # She must leave the one slot in the way; two in the way, or a pinned one,
                # cannot be solved by a single swap.
                if len(clashes) > 1 or roster.is_pinned(v, clashes[0]):
                    continue
                leave: list[int] = clashes
            else:
                leave = movable_of[v]
            room = cap[v] - used[v]
            for x in leave:
                if x in parent or x in dead or d > room + dur[x]:
                    continue
                parent[x] = (s, v)
                on_path[x] = (*path, v)
                taker = free_taker(x, on_path[x])
                if taker >= 0:
                    return (x, taker), parent
                queue.append(x)
    return None, parent


def apply_chain(roster: Roster, end: tuple[int, int], parent: Parent) -> None:
    s, v = end
    roster.add(v, s)
    link = parent[s]
    while link is not None:
        prev, who = link
        roster.remove(who, s)
        roster.add(who, prev)
        s = prev
        link = parent[s]


def augment(roster: Roster, order: list[int], *, deadline: float) -> tuple[int, bool]:
    """Fill empty seats by chains until a round gains nothing; ``(seats gained, cut short)``.

    ``order`` ranks the slots (scarcest first). Within a round every slot a failed search
    reached counts as a dead end for the rest of the round, as in Hopcroft-Karp, so a round
    costs about one sweep of the graph; the next round starts afresh.
    """
    gained = 0
    while True:
        round_gain = 0
        dead: set[int] = set()
        for s0 in order:
            while roster.free(s0) > 0 and s0 not in dead:
                if time.monotonic() > deadline:
                    return gained + round_gain, True
                end, parent = find_chain(roster, s0, dead)
                if end is None:
                    dead.update(parent)
                    break
                apply_chain(roster, end, parent)
                round_gain += 1
        gained += round_gain
        if round_gain == 0:
            return gained, False
