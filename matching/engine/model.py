"""Problem and result types of the engine: plain, immutable dataclasses.

The Django layer builds these from its models; :mod:`matching.engine.jsonio` builds them from the
benchmark JSON. Times are :class:`datetime.datetime` values, all naive or all aware (the engine
only subtracts them). Identifiers are strings, unique within their kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

Pair = tuple[str, str]
"""A ``(slot_id, volunteer_id)`` pair."""

NEUTRAL_PREFERENCE = 0.5
PREFERENCE_KM = 4.0
LANGUAGE_MISS_KM = 3.0
URGENCY_WEIGHT: Mapping[int, int] = MappingProxyType({1: 1, 2: 2, 3: 4})


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A half-open interval ``[start, end)``."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A person who can staff slots.

    ``availability`` windows are disjoint; a slot is possible only inside *one* of them.
    ``max_hours`` caps the total duration of her slots within the problem (one week).
    ``max_travel_km`` of ``None`` means she travels any distance.
    Preferences are weights in ``[0, 1]``: a venue weight overrides an activity weight, and
    anything unlisted counts as :data:`NEUTRAL_PREFERENCE`.
    """

    id: str
    lat: float
    lon: float
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    availability: tuple[TimeWindow, ...] = ()
    max_hours: float = 0.0
    max_travel_km: float | None = None
    activity_preferences: Mapping[str, float] = field(default_factory=dict)
    venue_preferences: Mapping[str, float] = field(default_factory=dict)
    team: str | None = None

    def preference(self, venue: str, activity: str) -> float:
        if venue in self.venue_preferences:
            return float(self.venue_preferences[venue])
        return float(self.activity_preferences.get(activity, NEUTRAL_PREFERENCE))


@dataclass(frozen=True, slots=True)
class Slot:
    """A shift at a venue that needs ``needed`` people holding all ``required_skills``."""

    id: str
    venue: str
    activity: str
    start: datetime
    end: datetime
    needed: int
    required_skills: frozenset[str] = frozenset()
    preferred_language: str | None = None


@dataclass(frozen=True, slots=True)
class StaffingProblem:
    volunteers: tuple[Volunteer, ...]
    venues: tuple[Venue, ...]
    slots: tuple[Slot, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mediator:
    """A mediator; ``caseload_cap - current_caseload`` roles (lead or assistant) remain."""

    id: str
    lat: float
    lon: float
    compound: str
    caseload_cap: int
    current_caseload: int = 0
    can_lead: bool = False
    specialties: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    max_travel_km: float | None = None


@dataclass(frozen=True, slots=True)
class Dispute:
    """A dispute needing a lead, plus an assistant exactly when ``requires_pair``."""

    id: str
    kind: str
    language: str
    lat: float
    lon: float
    urgency: int = 1
    party_compounds: frozenset[str] = frozenset()
    requires_pair: bool = False

    @property
    def weight(self) -> int:
        return URGENCY_WEIGHT[self.urgency]


@dataclass(frozen=True, slots=True)
class MediationProblem:
    mediators: tuple[Mediator, ...]
    disputes: tuple[Dispute, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Bound:
    """A proven upper bound on the primary objective (seats, or urgency weight).

    ``kind`` names how it was proven: ``"optimal"`` (an exact solve closed the gap), ``"lp"``
    (LP relaxation solved by HiGHS), ``"lagrangian"`` (any non-negative multipliers give a
    valid bound), ``"flow"`` (a max-flow relaxation), ``"seats"`` (the open seats themselves:
    proven when they are all filled, else what is left when time stopped the others), or
    ``"mixed"`` when independent components
    were bounded by different methods; ``by_kind`` then splits the value.
    """

    value: int
    kind: str
    seconds: float
    by_kind: Mapping[str, int] = field(default_factory=dict)
    complete: bool = True
    """False when the time limit stopped a tighter method, so a looser one was reported."""


@dataclass(frozen=True, slots=True)
class StaffingAssignment:
    slot: str
    volunteer: str
    source: str = "proposed"
    """``"proposed"`` by the engine, or ``"fixed"`` / ``"locked"`` as passed in."""


@dataclass(frozen=True, slots=True)
class EmptySeats:
    """Why ``empty`` seats of ``slot`` stay empty.

    ``reason`` is one of :data:`matching.engine.staffing.reasons.REASONS`; ``counts`` says how
    many other volunteers fail at which step (each person counted at the first step she fails).
    """

    slot: str
    empty: int
    reason: str
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken hard constraint, in words a log can show and a code a program can test."""

    code: str
    message: str
    ref: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StaffingScore:
    filled: int
    seats: int
    cost: float
    distance_km: float
    preference_sum: float
    language_misses: int
    max_load_hours: float
    sum_sq_load_hours: float
    volunteers_used: int

    @property
    def cost_per_seat(self) -> float:
        return self.cost / self.filled if self.filled else 0.0


@dataclass(frozen=True, slots=True)
class StaffingResult:
    assignments: tuple[StaffingAssignment, ...]
    empty_seats: tuple[EmptySeats, ...]
    score: StaffingScore
    bound: Bound
    stats: Mapping[str, Any]
    fixed_violations: tuple[Violation, ...] = ()
    """Hard constraints that fixed or locked pairs already break; the engine keeps them."""


@dataclass(frozen=True, slots=True)
class MediationAssignment:
    dispute: str
    lead: str
    assistant: str | None = None
    source: str = "proposed"
    """``"fixed"`` / ``"locked"`` when a role of the team was passed in as such (the engine may
    have added the other), else ``"proposed"``."""


@dataclass(frozen=True, slots=True)
class MediationScore:
    staffed: int
    disputes: int
    urgency_weight: int
    urgency_weight_total: int
    distance_km: float
    max_utilisation: float


@dataclass(frozen=True, slots=True)
class UnstaffedDispute:
    """Why a dispute got no team: ``reason`` plus candidate counts per failing step."""

    dispute: str
    reason: str
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class MediationResult:
    assignments: tuple[MediationAssignment, ...]
    unstaffed: tuple[UnstaffedDispute, ...]
    score: MediationScore
    bound: Bound
    stats: Mapping[str, Any]
    fixed_violations: tuple[Violation, ...] = ()


@dataclass(frozen=True, slots=True)
class RankedMediator:
    """A possible lead or assistant for one dispute, best first in :func:`rank_mediators`."""

    mediator: str
    role: str
    distance_km: float
    free_roles: int
    in_current_plan: bool
