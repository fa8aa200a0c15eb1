"""Lower the cost without giving up a seat: hand a seat to a cheaper free candidate."""

from __future__ import annotations

import time

from .roster import Roster

EPS = 1e-9
WIDTH = 4


def _cheaper_chain(roster: Roster, v: int, s: int) -> tuple[float, list[tuple[int, int, int]]]:
    """Best way to free ``v`` from ``s``: a cheaper free candidate ``w`` takes it (one step),
    or ``w`` takes it by leaving ``x`` which a free ``u`` takes (two steps). Only the
    :data:`WIDTH` cheapest people are tried at each step, which keeps a sweep linear.

    Returns ``(saving, moves)`` with moves ``(volunteer, from_slot or -1, to_slot)``.
    """
    cost = roster.cost
    limit = cost(v, s) - EPS
    members = roster.members[s]
    best_saving = 0.0
    best: list[tuple[int, int, int]] = []
    for w, cw in zip(roster.cands[s][:WIDTH], roster.cand_cost[s][:WIDTH], strict=False):
        if cw >= limit:
            break
        if w in members:
            continue
        if roster.can_add(w, s):
            saving = limit - cw
            if saving > best_saving:
                best_saving, best = saving, [(w, -1, s)]
            break  # later candidates are dearer
        for x in roster.movable(w):
            if not roster.can_swap(w, x, s):
                continue
            gain_w = cost(w, x) - cw
            for u, cu in zip(roster.cands[x][:WIDTH], roster.cand_cost[x][:WIDTH], strict=False):
                saving = limit + gain_w - cu
                if saving <= best_saving:
                    break
                if u in (v, w) or u in roster.members[x]:
                    continue
                if roster.can_add(u, x):
                    best_saving, best = saving, [(u, -1, x), (w, x, s)]
                    break
    return best_saving, best


def polish(roster: Roster, *, deadline: float, rounds: int = 4) -> tuple[float, bool]:
    """Replace expensive pairs by cheaper ones at equal seats; ``(cost change, cut short)``."""
    delta = 0.0
    for _ in range(rounds):
        changed = False
        for v in range(roster.n_volunteers):
            if time.monotonic() > deadline:
                return delta, True
            for s in list(roster.movable(v)):
                if s not in roster.slots_of[v]:
                    continue
                saving, moves = _cheaper_chain(roster, v, s)
                if not moves:
                    continue
                roster.remove(v, s)
                delta -= roster.cost(v, s)
                for who, frm, to in moves:
                    if frm >= 0:
                        roster.remove(who, frm)
                        delta -= roster.cost(who, frm)
                    roster.add(who, to)
                    delta += roster.cost(who, to)
                changed = True
        if not changed:
            break
    return delta, False
