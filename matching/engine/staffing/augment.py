"""Augmenting chains: fill an empty seat by moving people along a chain of swaps.

To fill slot ``s0`` the search looks for a candidate who can simply take it; failing that, a
candidate ``v1`` who could take it by leaving one of her slots ``s1``, which someone else then
fills, directly or by leaving ``s2`` in turn, and so on. It is breadth-first, so the shortest
chain wins, and among equally short ones the cheapest candidates are tried first. This is the
augmenting-path step of bipartite matching, generalised to people with overlaps and weekly hours.

A search that failed stays failed until one of the people it looked at changes; remembering
who those were lets a later round skip it instead of repeating it.
"""

from __future__ import annotations

import time
from collections import deque

from .roster import Roster

Parent = dict[int, tuple[int, int] | None]


def find_chain(
    roster: Roster, s0: int, budget: int, dead: set[int] | frozenset[int] = frozenset()
) -> tuple[tuple[int, int] | None, Parent, list[int], bool]:
    """Breadth-first search for a chain filling a seat of ``s0``.

    Returns ``(end, parent, examined, exhausted)``: ``end`` is the ``(slot, volunteer)`` that
    closes the chain (``None`` if there is none), ``parent`` maps each reached slot to
    ``(slot she moves to, volunteer)``, ``examined`` lists every volunteer whose state the
    answer depends on, and ``exhausted`` is False when ``budget`` slots were reached first.
    A volunteer appears at most once on a chain, so every step stays valid when applied.
    Slots in ``dead`` are not entered.
    """
    parent: Parent = {s0: None}
    on_path: dict[int, tuple[int, ...]] = {s0: ()}
    queue = deque([s0])
    examined: list[int] = []
    cands, members, movable_of = roster.cands, roster.members, roster.movable_of
    start, end, dur, used, cap, slots_of = (
        roster.start,
        roster.end,
        roster.dur,
        roster.used,
        roster.cap,
        roster.slots_of,
    )
    while queue:
        s = queue.popleft()
        in_s = members[s]
        path = on_path[s]
        a, b, d = start[s], end[s], dur[s]
        for v in cands[s]:
            if v in in_s:
                continue
            examined.append(v)
            if v in path:
                continue
            room = cap[v] - used[v]
            clashes = [x for x in slots_of[v] if start[x] < b and a < end[x]]
            if not clashes and d <= room:
                return (s, v), parent, examined, True
            if clashes:
                # She must leave the one slot in the way; two in the way, or a pinned one,
                # cannot be solved by a single swap.
                if len(clashes) > 1 or roster.is_pinned(v, clashes[0]):
                    continue
                leave: list[int] = clashes
            else:
                leave = movable_of[v]
            for x in leave:
                if x not in parent and x not in dead and d <= room + dur[x]:
                    parent[x] = (s, v)
                    on_path[x] = (*path, v)
                    queue.append(x)
        if len(parent) > budget:
            return None, parent, examined, False
    return None, parent, examined, True


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


def augment(
    roster: Roster,
    order: list[int],
    *,
    deadline: float,
    budget: int = 4000,
    thorough: bool = False,
) -> tuple[int, bool]:
    """Fill empty seats by chains until a round gains nothing; ``(seats gained, cut short)``.

    ``order`` ranks the slots (scarcest first); ``budget`` caps the slots one search may reach.
    A quick round (``thorough=False``) treats every slot a failed search reached as a dead end
    for the rest of the round, as Hopcroft-Karp does, so a round costs about one sweep of the
    graph. A thorough round repeats a failed search only once somebody it examined has changed.
    """
    failed: dict[int, tuple[int, list[int]]] = {}
    version = roster.version
    gained = 0
    while True:
        round_gain = 0
        dead: set[int] = set()
        for s0 in order:
            while roster.free(s0) > 0:
                if time.monotonic() > deadline:
                    return gained + round_gain, True
                if not thorough and s0 in dead:
                    break
                memo = failed.get(s0)
                if memo is not None and all(version[v] <= memo[0] for v in memo[1]):
                    break
                end, parent, examined, _ = find_chain(roster, s0, budget, dead)
                if end is None:
                    if thorough:
                        failed[s0] = (roster.clock, examined)
                    else:
                        dead.update(parent)
                    break
                apply_chain(roster, end, parent)
                round_gain += 1
        gained += round_gain
        if round_gain == 0:
            return gained, False
