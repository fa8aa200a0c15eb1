"""The starting assignment: scarce slots first, each taking its cheapest free candidates."""

from __future__ import annotations

from .roster import Roster


def scarcity_order(roster: Roster) -> list[int]:
    """Slots by candidates per open seat, fewest first (ties: earlier start, then index).

    A slot that only three people can staff must be served before the flea market that two
    hundred people could work at; the later local search repairs what this order gets wrong.
    """
    free = [roster.free(s) for s in range(roster.n_slots)]
    return sorted(
        (s for s in range(roster.n_slots) if free[s] > 0 and roster.cands[s]),
        key=lambda s: (len(roster.cands[s]) / free[s], roster.start[s], s),
    )


def greedy_fill(roster: Roster, order: list[int]) -> int:
    """Fill the slots in ``order`` with their cheapest candidates that fit; returns seats added."""
    added = 0
    for s in order:
        open_seats = roster.free(s)
        if open_seats <= 0:
            continue
        members = roster.members[s]
        for v in roster.cands[s]:
            if v not in members and roster.can_add(v, s):
                roster.add(v, s)
                added += 1
                open_seats -= 1
                if open_seats == 0:
                    break
    return added
