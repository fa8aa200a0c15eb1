"""Why seats stay empty, in codes the product turns into plain words.

For a slot with empty seats, every volunteer not already on it is walked through the checks in
a fixed order and counted at the first one she fails:

``lacks_skills`` → ``unavailable`` (no availability window holds the slot) → ``out_of_range``
(beyond her travel radius) → ``max_hours_too_low`` (the slot alone is longer than her weekly
hours) → ``excluded`` (a coordinator removed her from it) → ``booked_elsewhere`` (assigned to an
overlapping slot) → ``at_weekly_hours`` (no overlap, but the slot would exceed her weekly hours)
→ ``free`` (she could take it; only after a search was cut short by the time limit).

The reason is read off the counts, first matching rule wins:

=========================  ==================================================================
``no_skill``               nobody else holds the required skills
``no_one_available``       skill holders exist, none is available at that time
``out_of_travel_range``    skilled and available people exist, all live too far
``not_reached``            someone could still take it; the time limit stopped the search
``lost_to_other_slots``    the people who could come are partly booked at that time, partly
                           at their weekly hours: other slots needed them more
``all_booked_elsewhere``   the people who could come are all on overlapping slots
``all_at_weekly_hours``    the people who could come have used up their weekly hours; or
                           nobody could come and mostly because the slot exceeds their cap
``excluded``               nobody could come and mostly because a coordinator removed them
=========================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..geo import haversine_many
from ..model import EmptySeats
from .compile import CompiledStaffing
from .roster import Roster

REASONS = (
    "no_skill",
    "no_one_available",
    "out_of_travel_range",
    "not_reached",
    "lost_to_other_slots",
    "all_booked_elsewhere",
    "all_at_weekly_hours",
    "excluded",
)
STEPS = (
    "lacks_skills",
    "unavailable",
    "out_of_range",
    "max_hours_too_low",
    "excluded",
    "booked_elsewhere",
    "at_weekly_hours",
    "free",
)


def classify(counts: dict[str, int]) -> str:
    """The reason code for a slot's ``counts`` (see the module table)."""
    left = sum(counts[k] for k in STEPS) - counts["lacks_skills"]
    if left == 0:
        return "no_skill"
    left -= counts["unavailable"]
    if left == 0:
        return "no_one_available"
    left -= counts["out_of_range"]
    if left == 0:
        return "out_of_travel_range"
    if counts["free"]:
        return "not_reached"
    booked, hours = counts["booked_elsewhere"], counts["at_weekly_hours"]
    if booked and hours:
        return "lost_to_other_slots"
    if booked:
        return "all_booked_elsewhere"
    if hours:
        return "all_at_weekly_hours"
    # Nobody left could ever take it: the slot is longer than their cap, or they are excluded.
    if counts["max_hours_too_low"] >= counts["excluded"]:
        return "all_at_weekly_hours"
    return "excluded"


def explain_empty_seats(
    cs: CompiledStaffing, roster: Roster, excluded: Iterable[tuple[int, int]] = ()
) -> list[EmptySeats]:
    """One :class:`EmptySeats` per slot with open seats, in slot order.

    ``excluded`` holds ``(slot, volunteer)`` index pairs removed by a coordinator.
    """
    people = cs.people
    nv = cs.n_volunteers
    excluded_by_slot: dict[int, set[int]] = {}
    for s, v in excluded:
        excluded_by_slot.setdefault(s, set()).add(v)
    venue_at = {v.id: v for v in cs.problem.venues}
    skilled_cache: dict[frozenset[str], np.ndarray] = {}
    everyone = np.arange(nv, dtype=np.int64)
    found: dict[int, EmptySeats] = {}
    # Slots with open seats by their times: who is available is worked out once per span
    # (many slots share one, e.g. the evening classes) for everybody, and kept for one span.
    open_slots = [s for s in range(cs.n_slots) if roster.free(s) > 0]
    open_slots.sort(key=lambda s: (roster.start[s], roster.end[s], s))
    span: tuple[int, int] | None = None
    available = np.zeros(nv, dtype=bool)
    for s in open_slots:
        empty = roster.free(s)
        slot = cs.problem.slots[s]
        start, end = roster.start[s], roster.end[s]
        dur = end - start
        if span != (start, end):
            span = (start, end)
            available = people.available(everyone, start, end)
        others = np.ones(nv, dtype=bool)
        others[list(roster.members[s])] = False

        skilled = skilled_cache.get(slot.required_skills)
        if skilled is None:
            skilled = skilled_cache[slot.required_skills] = people.skilled(slot.required_skills)
        step = others & skilled
        lacks = int(others.sum() - step.sum())
        idx = everyone[step]
        avail = available[idx]
        unavailable = int(idx.size - avail.sum())
        idx = idx[avail]
        venue = venue_at[slot.venue]
        dist = haversine_many(venue.lat, venue.lon, people.lat[idx], people.lon[idx])
        near = dist <= people.radius[idx]
        out_of_range = int(idx.size - near.sum())
        idx = idx[near]
        long_enough = cs.vol_cap[idx] >= dur
        too_long = int(idx.size - long_enough.sum())
        idx = idx[long_enough]
        barred = excluded_by_slot.get(s, set())
        n_excluded = sum(1 for v in idx.tolist() if v in barred) if barred else 0
        booked = hours = free = 0
        for v in idx.tolist():
            if v in barred:
                continue
            if any(roster.start[x] < end and start < roster.end[x] for x in roster.slots_of[v]):
                booked += 1
            elif roster.used[v] + dur > roster.cap[v]:
                hours += 1
            else:
                free += 1
        counts = {
            "lacks_skills": lacks,
            "unavailable": unavailable,
            "out_of_range": out_of_range,
            "max_hours_too_low": too_long,
            "excluded": n_excluded,
            "booked_elsewhere": booked,
            "at_weekly_hours": hours,
            "free": free,
        }
        found[s] = EmptySeats(slot=slot.id, empty=empty, reason=classify(counts), counts=counts)
    return [found[s] for s in sorted(found)]
