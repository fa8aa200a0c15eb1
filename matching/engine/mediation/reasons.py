"""Why a dispute got no team, in codes the product turns into plain words.

Every mediator is walked through the checks of each open role in a fixed order and counted at
the first one she fails: ``language`` → ``conflict`` (lives in a party's compound) →
``out_of_range`` → ``not_qualified`` (lead only: cannot lead, or lacks the specialty) →
``excluded`` → ``caseload_full`` (full before this plan) → ``busy`` (full with this plan's
other disputes) → ``free``.

The reason names the first role that nobody can take, with the first check that empties it:
``no_language``, ``conflict_of_interest``, ``out_of_travel_range``, ``no_qualified_lead``,
``excluded``, ``all_at_caseload`` (everyone qualified was full already) or
``lost_to_other_disputes`` (qualified people exist but this plan needs them for more urgent or
better-placed disputes); for the assistant the same codes with an ``assistant_`` prefix. When
both roles have free people, the one free person is the same for both (``needs_two_people``)
or the search was cut by the time limit (``not_reached``).
"""

from __future__ import annotations

import numpy as np

from ..geo import haversine_many
from ..model import UnstaffedDispute
from .compile import ASSIST, LEAD, CompiledMediation
from .teams import Teams

STEPS = (
    "language",
    "conflict",
    "out_of_range",
    "not_qualified",
    "excluded",
    "caseload_full",
    "busy",
    "free",
)
_CODES = {
    "language": "no_language",
    "conflict": "conflict_of_interest",
    "out_of_range": "out_of_travel_range",
    "not_qualified": "no_qualified_lead",
    "excluded": "excluded",
    "caseload_full": "all_at_caseload",
    "busy": "lost_to_other_disputes",
}


class _People:
    """Mediator attributes as arrays, for vectorised checks."""

    def __init__(self, cm: CompiledMediation) -> None:
        meds = cm.problem.mediators
        self.lat = np.asarray([m.lat for m in meds], dtype=np.float64)
        self.lon = np.asarray([m.lon for m in meds], dtype=np.float64)
        self.radius = np.asarray(
            [np.inf if m.max_travel_km is None else m.max_travel_km for m in meds]
        )
        self.languages = [m.languages for m in meds]
        self.compound = np.asarray([m.compound for m in meds], dtype=object)
        self.can_lead = np.asarray([m.can_lead for m in meds], dtype=bool)
        self.specialties = [m.specialties for m in meds]
        self._speaks: dict[str, np.ndarray] = {}
        self._knows: dict[str, np.ndarray] = {}

    def speaks(self, language: str) -> np.ndarray:
        if language not in self._speaks:
            self._speaks[language] = np.asarray([language in x for x in self.languages], bool)
        return self._speaks[language]

    def knows(self, kind: str) -> np.ndarray:
        if kind not in self._knows:
            self._knows[kind] = np.asarray([kind in x for x in self.specialties], bool)
        return self._knows[kind]


def _funnel(
    cm: CompiledMediation, teams: Teams, d: int, role: int, barred: set[int], people: _People
) -> tuple[dict[str, int], np.ndarray]:
    """Counts per first failed check for one role, and who is free for it."""
    dispute = cm.problem.disputes[d]
    nm = cm.n_mediators
    partner = teams.holder[2 * d + (role ^ 1)]
    cap = np.asarray(teams.cap)
    load = np.asarray(teams.load)
    is_partner = np.zeros(nm, dtype=bool)
    if partner >= 0:
        is_partner[partner] = True
    is_barred = np.zeros(nm, dtype=bool)
    is_barred[sorted(barred)] = True
    dist = haversine_many(dispute.lat, dispute.lon, people.lat, people.lon)
    checks = {
        "language": ~people.speaks(dispute.language),
        "conflict": np.isin(people.compound, sorted(dispute.party_compounds)),
        "out_of_range": dist > people.radius,
        "not_qualified": (
            ~(people.can_lead & people.knows(dispute.kind))
            if role == LEAD
            else np.zeros(nm, dtype=bool)
        ),
        "excluded": is_barred,
        "caseload_full": cap <= 0,
        "busy": (load >= cap) | is_partner,
    }
    left = np.ones(nm, dtype=bool)
    counts: dict[str, int] = {}
    for step, fails in checks.items():
        hit = left & fails
        counts[step] = int(hit.sum())
        left &= ~hit
    counts["free"] = int(left.sum())
    return counts, np.flatnonzero(left)


def _first_empty(counts: dict[str, int]) -> str | None:
    left = sum(counts.values())
    for step in STEPS[:-1]:
        left -= counts[step]
        if left == 0:
            return step
    return None


def explain_unstaffed(
    cm: CompiledMediation, teams: Teams, excluded: list[tuple[int, int]]
) -> list[UnstaffedDispute]:
    """One entry per dispute without a full team, in dispute order.

    ``excluded`` holds ``(dispute, mediator)`` index pairs removed by a coordinator.
    """
    people = _People(cm)
    barred: dict[int, set[int]] = {}
    for d, m in excluded:
        barred.setdefault(d, set()).add(m)
    out: list[UnstaffedDispute] = []
    for d in range(cm.n_disputes):
        if teams.staffed(d):
            continue
        roles = (LEAD, ASSIST) if cm.pair[d] else (LEAD,)
        counts: dict[str, dict[str, int]] = {}
        frees: list[set[int]] = []
        pinned_role = False
        reason = ""
        for role in roles:
            name = "lead" if role == LEAD else "assistant"
            if 2 * d + role in teams.pinned:
                frees.append({teams.holder[2 * d + role]})
                pinned_role = True
                continue
            c, free = _funnel(cm, teams, d, role, barred.get(d, set()), people)
            counts[name] = c
            frees.append(set(free.tolist()))
            step = _first_empty(c)
            if step is not None and not reason:
                code = _CODES[step]
                reason = code if role == LEAD else f"assistant_{code}"
        if not reason:
            lead_free, asst_free = frees[0], frees[-1]
            single = len(roles) == 2 and not pinned_role and len(lead_free | asst_free) < 2
            reason = "needs_two_people" if single else "not_reached"
        out.append(
            UnstaffedDispute(
                dispute=cm.problem.disputes[d].id,
                reason=reason,
                counts={k: dict(v) for k, v in counts.items()},
            )
        )
    return out
