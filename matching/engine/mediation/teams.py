"""Mutable team state for the mediation heuristics, plus augmenting chains over roles.

A *role* is ``(dispute, LEAD)`` or ``(dispute, ASSIST)``, encoded as ``2 * dispute + role``.
Staffing a dispute is a bipartite b-matching between roles and mediators (capacity = free
caseload) with two twists: a mediator never holds both roles of one dispute, and a dispute
counts only when all its roles are held. Chains work as in matching: to give a role a
mediator, take a free one, or take a full one and refill the role she leaves, and so on.
"""

from __future__ import annotations

from collections import deque

from .compile import ASSIST, LEAD, CompiledMediation

Move = tuple[int, int, int]
"""(mediator, role she leaves or -1, role she takes)."""


class Teams:
    def __init__(self, cm: CompiledMediation, pinned: list[tuple[int, int]] = ()) -> None:
        nm, nd = cm.n_mediators, cm.n_disputes
        self.n_mediators, self.n_disputes = nm, nd
        self.cap: list[int] = cm.capacity.tolist()
        self.pair: list[bool] = cm.pair.tolist()
        self.weight: list[int] = cm.weight.tolist()
        self.cands: list[list[int]] = []
        self.dist: dict[int, float] = {}
        for d in range(nd):
            for r in (LEAD, ASSIST):
                meds, dist = cm.candidates(r, d)
                role = 2 * d + r
                self.cands.append(meds.tolist())
                for m, km in zip(meds.tolist(), dist.tolist(), strict=True):
                    self.dist[role * nm + m] = km
        self.holder: list[int] = [-1] * (2 * nd)
        self.roles_of: list[list[int]] = [[] for _ in range(nm)]
        self.load: list[int] = [0] * nm
        self.pinned: set[int] = set()
        for role, m in pinned:
            self.pinned.add(role)
            self.holder[role] = m
            self.load[m] += 1

    # -- queries -------------------------------------------------------------------------
    def partner(self, role: int) -> int:
        """Who holds the dispute's other role (-1: nobody)."""
        return self.holder[role ^ 1]

    def staffed(self, d: int) -> bool:
        return self.holder[2 * d] >= 0 and (not self.pair[d] or self.holder[2 * d + 1] >= 0)

    def distance(self, role: int, m: int) -> float:
        return self.dist[role * self.n_mediators + m]

    def teams(self) -> list[tuple[int, int, int]]:
        """``(dispute, lead, assistant or -1)`` for every staffed dispute."""
        return [
            (d, self.holder[2 * d], self.holder[2 * d + 1] if self.pair[d] else -1)
            for d in range(self.n_disputes)
            if self.staffed(d)
        ]

    # -- changes -------------------------------------------------------------------------
    def take(self, m: int, role: int) -> None:
        self.holder[role] = m
        self.roles_of[m].append(role)
        self.load[m] += 1

    def leave(self, m: int, role: int) -> None:
        self.holder[role] = -1
        self.roles_of[m].remove(role)
        self.load[m] -= 1

    def apply(self, moves: list[Move]) -> None:
        for m, frm, to in moves:
            if frm >= 0:
                self.leave(m, frm)
            self.take(m, to)

    def undo(self, moves: list[Move]) -> None:
        for m, frm, to in reversed(moves):
            self.leave(m, to)
            if frm >= 0:
                self.take(m, frm)

    # -- search --------------------------------------------------------------------------
    def chain(self, role: int, dead: set[int]) -> list[Move] | None:
        """Moves that give the empty ``role`` a mediator and leave every held role held.

        Breadth-first over roles; a mediator appears at most once per chain and roles in
        ``dead`` are not entered. On failure the reached roles are added to ``dead``.
        """
        parent: dict[int, tuple[int, int] | None] = {role: None}
        on_path: dict[int, tuple[int, ...]] = {role: ()}
        queue = deque([role])
        holder, cands, cap, load = self.holder, self.cands, self.cap, self.load
        while queue:
            r = queue.popleft()
            path = on_path[r]
            other = holder[r ^ 1]
            for m in cands[r]:
                if m == other or m in path:
                    continue
                if load[m] < cap[m]:
                    moves: list[Move] = [(m, -1, r)]
                    link = parent[r]
                    while link is not None:
                        nxt, who = link
                        moves.append((who, r, nxt))
                        r = nxt
                        link = parent[r]
                    moves.reverse()  # vacate-and-refill from the first role outwards
                    return moves
                for held in self.roles_of[m]:
                    if held not in parent and held not in dead:
                        parent[held] = (r, m)
                        on_path[held] = (*path, m)
                        queue.append(held)
        dead.update(parent)
        return None

    def staff(self, d: int, dead: set[int]) -> bool:
        """Give dispute ``d`` a full team by chains, or leave everything as it was."""
        done: list[Move] = []
        for r in (LEAD, ASSIST) if self.pair[d] else (LEAD,):
            role = 2 * d + r
            if self.holder[role] >= 0:
                continue
            moves = self.chain(role, dead)
            if moves is None:
                if done:
                    self.undo(done)
                    dead.clear()  # marks made in the tentative state are not trustworthy
                return False
            self.apply(moves)
            done.extend(moves)
        return True


def polish_distance(teams: Teams, rounds: int = 3) -> float:
    """Hand roles to nearer mediators with free caseload; returns the km saved."""
    saved = 0.0
    nm = teams.n_mediators
    for _ in range(rounds):
        changed = False
        for role, m in enumerate(teams.holder):
            if m < 0 or role in teams.pinned:
                continue
            here = teams.dist[role * nm + m]
            other = teams.holder[role ^ 1]
            for n in teams.cands[role]:
                km = teams.dist[role * nm + n]
                if km >= here - 1e-9:
                    break
                if n != other and teams.load[n] < teams.cap[n]:
                    teams.leave(m, role)
                    teams.take(n, role)
                    saved += here - km
                    changed = True
                    break
        if not changed:
            break
    return saved
