"""Turn a :class:`StaffingProblem` into index arrays: who may take which slot, at what cost.

A pair ``(volunteer, slot)`` is *eligible* when it meets every hard constraint that does not
depend on the rest of the assignment: skills, one availability window covering the slot,
travel radius, the slot not longer than her weekly hours, and the coordinator not having
excluded it. Everything is vectorised with numpy: the large benchmark has 20,000 people and
10,000 slots, and only a latitude band around each venue is ever looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from ..geo import within_radius
from ..model import LANGUAGE_MISS_KM, NEUTRAL_PREFERENCE, PREFERENCE_KM, StaffingProblem

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
WINDOW_ROW_MAX = 24
"""Up to this many availability windows per person, availability is checked row-wise."""


@dataclass(frozen=True, eq=False)
class PeopleLookup:
    """Per-volunteer arrays for the static checks, kept to explain empty seats later."""

    lat: FloatArray
    lon: FloatArray
    radius: FloatArray
    lat_order: IntArray
    holds: NDArray[np.bool_]
    skill_index: dict[str, int]
    win_key: IntArray
    win_vol: IntArray
    win_end: IntArray
    span: int
    win_starts: IntArray | None = None
    """Each person's windows as a row (padded to never match), when nobody has many: one
    vectorised comparison per candidate instead of a binary search."""
    win_ends: IntArray | None = None

    def skilled(self, required: frozenset[str]) -> NDArray[np.bool_]:
        """Who holds every skill in ``required`` (unknown skills: nobody)."""
        if any(k not in self.skill_index for k in required):
            return np.zeros(self.lat.size, dtype=bool)
        cols = [self.skill_index[k] for k in required]
        return self.holds[:, cols].all(axis=1) if cols else np.ones(self.lat.size, dtype=bool)

    def available(self, vols: IntArray, start: int, end: int) -> NDArray[np.bool_]:
        if self.win_starts is not None and self.win_ends is not None:
            return ((self.win_starts[vols] <= start) & (self.win_ends[vols] >= end)).any(axis=1)
        return _covered(vols, start, end, self.win_key, self.win_vol, self.win_end, self.span)


@dataclass(frozen=True, eq=False)
class CompiledStaffing:
    """Index-based view of a problem; volunteers and slots keep the problem's order.

    Times are whole seconds from :attr:`origin`. Pairs are grouped by slot
    (``slot_ptr[j]:slot_ptr[j + 1]``), cheapest first within a slot, so that every consumer
    sees the same deterministic order.
    """

    problem: StaffingProblem
    origin: datetime
    midnight_offset: int
    """Seconds from midnight before :attr:`origin` to it: ``(t + offset) // 86400`` is a day."""
    vol_index: dict[str, int]
    slot_index: dict[str, int]
    slot_start: IntArray
    slot_end: IntArray
    slot_needed: IntArray
    vol_cap: IntArray
    pair_vol: IntArray
    pair_slot: IntArray
    pair_dist: FloatArray
    pair_pref: FloatArray
    pair_lang_miss: NDArray[np.bool_]
    pair_cost: FloatArray
    slot_ptr: IntArray
    people: PeopleLookup

    @property
    def n_volunteers(self) -> int:
        return len(self.vol_index)

    @property
    def n_slots(self) -> int:
        return len(self.slot_index)

    @property
    def n_pairs(self) -> int:
        return int(self.pair_vol.size)

    @property
    def slot_dur(self) -> IntArray:
        return self.slot_end - self.slot_start


def seconds_between(origin: datetime, moment: datetime) -> int:
    return int((moment - origin).total_seconds())


def hours_to_seconds(hours: float) -> int:
    # Hours arrive as floats (6, 2.5); the cap is compared in whole seconds.
    return int(round(float(hours) * 3600))


def time_origin(problem: StaffingProblem) -> datetime:
    moments = [s.start for s in problem.slots]
    moments += [w.start for v in problem.volunteers for w in v.availability]
    if not moments:
        return datetime(2000, 1, 1)
    return min(moments)


def _windows(problem: StaffingProblem, origin: datetime) -> tuple[IntArray, IntArray, IntArray]:
    """Availability as sorted ``(volunteer, start, end)`` arrays, dominated windows dropped.

    A slot must lie inside *one* window. Once windows contained in another are dropped, the
    window with the latest start not after the slot's start is the only one that can hold it
    (later starts come with later ends), so one binary search answers the question.
    """
    vols: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for vi, vol in enumerate(problem.volunteers):
        spans = sorted(
            (seconds_between(origin, w.start), seconds_between(origin, w.end))
            for w in vol.availability
            if w.end > w.start
        )
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if kept and end <= kept[-1][1]:
                continue  # inside the previous window
            while kept and kept[-1][0] == start:
                kept.pop()  # same start, this one reaches further
            kept.append((start, end))
        for start, end in kept:
            vols.append(vi)
            starts.append(start)
            ends.append(end)
    return (
        np.asarray(vols, dtype=np.int64),
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
    )


def _covered(
    vols: IntArray,
    start: int,
    end: int,
    win_key: IntArray,
    win_vol: IntArray,
    win_end: IntArray,
    span: int,
) -> NDArray[np.bool_]:
    """Which of ``vols`` have one window holding ``[start, end)``."""
    if win_key.size == 0:
        return np.zeros(vols.size, dtype=bool)
    pos = np.searchsorted(win_key, vols * span + start, side="right") - 1
    ok = pos >= 0
    pos = np.where(ok, pos, 0)
    return ok & (win_vol[pos] == vols) & (win_end[pos] >= end)


def _preference_lookup(problem: StaffingProblem, venue_ids: dict[str, int]):
    """Dense activity weights per volunteer plus sorted keys for the (rare) venue weights."""
    activities = sorted({s.activity for s in problem.slots})
    act_index = {a: i for i, a in enumerate(activities)}
    nv = len(problem.volunteers)
    act_w = np.full((nv, max(1, len(activities))), NEUTRAL_PREFERENCE)
    venue_keys: list[int] = []
    venue_w: list[float] = []
    n_venues = max(1, len(venue_ids))
    for vi, vol in enumerate(problem.volunteers):
        for act, w in vol.activity_preferences.items():
            if act in act_index:
                act_w[vi, act_index[act]] = float(w)
        for ven, w in vol.venue_preferences.items():
            if ven in venue_ids:
                venue_keys.append(vi * n_venues + venue_ids[ven])
                venue_w.append(float(w))
    order = np.argsort(np.asarray(venue_keys, dtype=np.int64), kind="stable")
    return (
        act_index,
        act_w,
        np.asarray(venue_keys, dtype=np.int64)[order],
        np.asarray(venue_w, dtype=np.float64)[order],
        n_venues,
    )


def _people(problem: StaffingProblem, origin: datetime, skills: list[str]) -> PeopleLookup:
    vols = problem.volunteers
    lat = np.asarray([v.lat for v in vols], dtype=np.float64)
    skill_index = {k: i for i, k in enumerate(skills)}
    holds = np.zeros((len(vols), max(1, len(skills))), dtype=bool)
    for vi, vol in enumerate(vols):
        holds[vi, [skill_index[k] for k in vol.skills]] = True
    win_vol, win_start, win_end = _windows(problem, origin)
    latest = max(
        [int(win_end.max(initial=0))] + [seconds_between(origin, s.end) for s in problem.slots]
    )
    span = latest + 1
    per_person = np.bincount(win_vol, minlength=len(vols))
    width = int(per_person.max(initial=0))
    win_starts = win_ends = None
    if 0 < width <= WINDOW_ROW_MAX:
        rank = np.arange(win_vol.size) - np.repeat(np.cumsum(per_person) - per_person, per_person)
        win_starts = np.full((len(vols), width), np.iinfo(np.int64).max, dtype=np.int64)
        win_ends = np.full((len(vols), width), -1, dtype=np.int64)
        win_starts[win_vol, rank] = win_start
        win_ends[win_vol, rank] = win_end
    return PeopleLookup(
        lat=lat,
        lon=np.asarray([v.lon for v in vols], dtype=np.float64),
        radius=np.asarray(
            [np.inf if v.max_travel_km is None else v.max_travel_km for v in vols],
            dtype=np.float64,
        ),
        lat_order=np.argsort(lat, kind="stable"),
        holds=holds,
        skill_index=skill_index,
        win_key=win_vol * span + win_start,
        win_vol=win_vol,
        win_end=win_end,
        span=span,
        win_starts=win_starts,
        win_ends=win_ends,
    )


def _eligible_pairs(
    problem: StaffingProblem,
    people: PeopleLookup,
    slot_start: IntArray,
    slot_end: IntArray,
    vol_cap: IntArray,
) -> tuple[IntArray, IntArray, FloatArray]:
    """``(volunteer, slot, km)`` for every statically possible pair, venue by venue."""
    venue_ids = {v.id: i for i, v in enumerate(problem.venues)}
    slots_at: dict[int, list[int]] = {}
    for j, s in enumerate(problem.slots):
        if s.needed > 0 and slot_end[j] > slot_start[j]:
            slots_at.setdefault(venue_ids[s.venue], []).append(j)
    skilled = {need: people.skilled(need) for need in {s.required_skills for s in problem.slots}}
    parts: list[tuple[IntArray, IntArray, FloatArray]] = []
    for ven_i in sorted(slots_at):
        venue = problem.venues[ven_i]
        near, dist = within_radius(
            venue.lat, venue.lon, people.lat, people.lon, people.radius, people.lat_order
        )
        if near.size == 0:
            continue
        near_cap = vol_cap[near]
        skilled_by: dict[frozenset[str], NDArray[np.bool_]] = {}
        for j in slots_at[ven_i]:
            need = problem.slots[j].required_skills
            if need not in skilled_by:
                skilled_by[need] = skilled[need][near]
            first = np.flatnonzero(skilled_by[need] & (near_cap >= slot_end[j] - slot_start[j]))
            ok = people.available(near[first], int(slot_start[j]), int(slot_end[j]))
            chosen = first[ok]
            parts.append((near[chosen], np.full(chosen.size, j, dtype=np.int64), dist[chosen]))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def _pair_costs(
    problem: StaffingProblem, pair_vol: IntArray, pair_slot: IntArray, pair_dist: FloatArray
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """``(preference, language missed, cost)`` per pair, as PROBLEM.md section 4 defines them."""
    slots = problem.slots
    venue_ids = {v.id: i for i, v in enumerate(problem.venues)}
    act_index, act_w, ven_keys, ven_w, n_venues = _preference_lookup(problem, venue_ids)
    slot_act = np.asarray([act_index[s.activity] for s in slots], dtype=np.int64)
    pref = act_w[pair_vol, slot_act[pair_slot]] if pair_vol.size else np.zeros(0)
    if ven_keys.size and pair_vol.size:
        slot_ven = np.asarray([venue_ids[s.venue] for s in slots], dtype=np.int64)
        keys = pair_vol * n_venues + slot_ven[pair_slot]
        pos = np.minimum(np.searchsorted(ven_keys, keys), ven_keys.size - 1)
        pref = np.where(ven_keys[pos] == keys, ven_w[pos], pref)
    languages = sorted({x for v in problem.volunteers for x in v.languages})
    lang_index = {x: i for i, x in enumerate(languages)}
    speaks = np.zeros((len(problem.volunteers), max(1, len(languages))), dtype=bool)
    for vi, vol in enumerate(problem.volunteers):
        speaks[vi, [lang_index[x] for x in vol.languages]] = True
    # -1: no preferred language; -2: one that nobody speaks, so a miss for everybody.
    slot_lang = np.asarray(
        [lang_index.get(s.preferred_language, -2) if s.preferred_language else -1 for s in slots],
        dtype=np.int64,
    )
    want = slot_lang[pair_slot]
    missed = (want == -2) | ((want >= 0) & ~speaks[pair_vol, np.maximum(want, 0)])
    cost = pair_dist + PREFERENCE_KM * (1.0 - pref) + LANGUAGE_MISS_KM * missed
    return np.asarray(pref, dtype=np.float64), missed, cost


def compile_staffing(
    problem: StaffingProblem,
    *,
    excluded: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> CompiledStaffing:
    """Compute every eligible pair with its cost (see PROBLEM.md section 4).

    ``excluded`` pairs ``(slot_id, volunteer_id)`` are left out. ``seed`` only breaks exact
    cost ties between candidates of a slot.
    """
    vols, slots = problem.volunteers, problem.slots
    nv, ns = len(vols), len(slots)
    vol_index = {v.id: i for i, v in enumerate(vols)}
    slot_index = {s.id: j for j, s in enumerate(slots)}
    if len(vol_index) != nv or len(slot_index) != ns:
        raise ValueError("volunteer and slot ids must be unique")
    missing = sorted({s.venue for s in slots} - {v.id for v in problem.venues})
    if missing:
        raise ValueError(f"slots refer to unknown venues: {missing[:5]}")

    origin = time_origin(problem)
    slot_start = np.asarray([seconds_between(origin, s.start) for s in slots], dtype=np.int64)
    slot_end = np.asarray([seconds_between(origin, s.end) for s in slots], dtype=np.int64)
    vol_cap = np.asarray([hours_to_seconds(v.max_hours) for v in vols], dtype=np.int64)
    skills = sorted(
        {k for v in vols for k in v.skills} | {k for s in slots for k in s.required_skills}
    )
    people = _people(problem, origin, skills)
    pair_vol, pair_slot, pair_dist = _eligible_pairs(problem, people, slot_start, slot_end, vol_cap)

    excluded_keys = [
        slot_index[s] * nv + vol_index[v] for s, v in excluded if s in slot_index and v in vol_index
    ]
    if excluded_keys:
        keep = ~np.isin(pair_slot * nv + pair_vol, np.asarray(excluded_keys, dtype=np.int64))
        pair_vol, pair_slot, pair_dist = pair_vol[keep], pair_slot[keep], pair_dist[keep]
    pref, missed, cost = _pair_costs(problem, pair_vol, pair_slot, pair_dist)

    tiebreak = np.random.default_rng(seed).permutation(max(nv, 1))
    # The tie-break is a permutation of the people, so no further key is needed.
    order = np.lexsort((tiebreak[pair_vol], cost, pair_slot))
    pair_slot = pair_slot[order]
    return CompiledStaffing(
        problem=problem,
        origin=origin,
        midnight_offset=origin.hour * 3600 + origin.minute * 60 + origin.second,
        vol_index=vol_index,
        slot_index=slot_index,
        slot_start=slot_start,
        slot_end=slot_end,
        slot_needed=np.asarray([max(0, s.needed) for s in slots], dtype=np.int64),
        vol_cap=vol_cap,
        pair_vol=pair_vol[order],
        pair_slot=pair_slot,
        pair_dist=pair_dist[order],
        pair_pref=pref[order],
        pair_lang_miss=missed[order],
        pair_cost=cost[order],
        slot_ptr=np.searchsorted(pair_slot, np.arange(ns + 1)).astype(np.int64),
        people=people,
    )
