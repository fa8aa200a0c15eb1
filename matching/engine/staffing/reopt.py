"""Re-plan one volunteer's week at a time, over her own slots plus every open seat she fits.

Chains move one slot per person; this step catches the moves they cannot make, such as giving
up one two-hour class to take two ninety-minute ones, or trading a long shift for two short
ones elsewhere. For one person it is a weighted interval-scheduling problem with a weekly
hours budget, solved exactly by a dynamic programme over her slots sorted by end time that
keeps, per prefix, the Pareto front of (hours used, value).
"""

from __future__ import annotations

import time
from bisect import bisect_right

from .roster import Roster

# (hours used, slots taken, -cost, chain of chosen item indices as a linked list)
State = tuple[int, int, float, tuple | None]


def _pareto(states: list[State]) -> list[State]:
    states.sort(key=lambda st: (st[0], -st[1], -st[2]))
    front: list[State] = []
    for st in states:
        if not front or (st[1], st[2]) > (front[-1][1], front[-1][2]):
            front.append(st)
    return front


def best_week(roster: Roster, v: int, *, improve_cost: bool) -> list[int] | None:
    """The best set of movable slots for ``v``, or ``None`` if it does not beat her current one.

    Better means more slots or, when ``improve_cost`` is set, as many slots at a lower cost.
    Pinned slots stay: they only take her time and hours.
    """
    start, end, dur = roster.start, roster.end, roster.dur
    pinned = [x for x in roster.slots_of[v] if roster.is_pinned(v, x)]
    current = list(roster.movable(v))
    budget = roster.cap[v] - sum(dur[x] for x in pinned)
    mine = set(roster.slots_of[v])
    price = {x: roster.cost(v, x) for x in current}
    items = list(current)
    for s, c in zip(roster.options[v], roster.option_cost[v], strict=True):
        if s in mine or roster.free(s) <= 0:
            continue
        if any(start[x] < end[s] and start[s] < end[x] for x in pinned):
            continue
        items.append(s)
        price[s] = c
    if len(items) == len(current):
        return None
    items.sort(key=lambda s: (end[s], start[s], s))
    ends = [end[s] for s in items]
    fronts: list[list[State]] = [[(0, 0, 0.0, None)]]
    for i, s in enumerate(items):
        d = dur[s]
        c = price[s]
        before = fronts[bisect_right(ends, start[s], 0, i)]
        grown = [
            (used + d, n + 1, negc - c, (i, chain))
            for used, n, negc, chain in before
            if used + d <= budget
        ]
        fronts.append(_pareto(fronts[i] + grown) if grown else fronts[i])
    best = max(fronts[-1], key=lambda st: (st[1], st[2]))
    now_cost = sum(price[x] for x in current)
    if best[1] < len(current):
        return None
    if best[1] == len(current) and not (improve_cost and -best[2] < now_cost - 1e-9):
        return None
    chosen: list[int] = []
    chain = best[3]
    while chain is not None:
        chosen.append(items[chain[0]])
        chain = chain[1]
    return chosen


def reoptimise(
    roster: Roster,
    volunteers: list[int],
    *,
    improve_cost: bool,
    deadline: float,
    checked: dict[int, int] | None = None,
) -> tuple[int, float, bool]:
    """One sweep of :func:`best_week` over ``volunteers``: ``(seats gained, cost change, cut)``.

    ``checked`` (kept by the caller across sweeps) remembers when a volunteer was last found
    unable to improve; she is skipped while neither she nor any slot she could take has
    changed since, because her answer would be the same.
    """
    gained = 0
    delta = 0.0
    version, slot_version, options = roster.version, roster.slot_version, roster.options
    for v in volunteers:
        if time.monotonic() > deadline:
            return gained, delta, True
        if checked is not None and v in checked:
            stamp = checked[v]
            if version[v] <= stamp and all(slot_version[s] <= stamp for s in options[v]):
                continue
        week = best_week(roster, v, improve_cost=improve_cost)
        if week is None:
            if checked is not None:
                checked[v] = roster.clock
            continue
        current = list(roster.movable(v))
        keep = set(week)
        for x in current:
            if x not in keep:
                roster.remove(v, x)
                delta -= roster.cost(v, x)
        was = set(current)
        for x in week:
            if x not in was:
                roster.add(v, x)
                delta += roster.cost(v, x)
        gained += len(week) - len(current)
    return gained, delta, False
