"""Turn a :class:`StaffingProblem` into index arrays: who may take which slot, at what cost.

A pair ``(volunteer, slot)`` is *eligible* when it meets every hard constraint that does not
depend on the rest of the assignment: skills, one availability window covering the slot,
travel radius, the slot not longer than her weekly hours, and the coordinator not having
excluded it. Everything is vectorised with numpy: the large benchmark has 20,000 people and
10,000 slots, and only a latitude band around each venue is ever looked at.

Pairs are built slot by slot and sorted within their slot (a global sort of 4.4 million pairs
took a third of the time), and kept in 12 bytes each: a 32-bit person, a 32-bit slot and a
64-bit cost. The distance, preference and language miss behind each cost are not kept: nothing
downstream reads them, and on the product's densest district run they were 75 MB. Slots that
share a time span (a district's classes all start at 18:00) share one availability mask. On
that run's week (20,000 people, 2,000 slots, 4.4 million pairs) compiling went from 8.9 to 2.8 s
of CPU and its peak from 682 to 344 MB; the large benchmark (717,000 pairs) from 4.2 to 3.1 s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from ..geo import within_radius
from ..model import LANGUAGE_MISS_KM, NEUTRAL_PREFERENCE, PREFERENCE_KM, StaffingProblem

IntArray = NDArray[np.int64]
Int32Array = NDArray[np.int32]
FloatArray = NDArray[np.float64]
WINDOW_ROW_MAX = 24
"""Up to this many availability windows per person, availability is checked row-wise."""
SHARED_AVAILABILITY_BYTES = 32 * 2**20
"""Memory allowed for whole-population availability masks, one byte a person per time span."""


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
    shared: dict[tuple[int, int], NDArray[np.bool_]] = field(default_factory=dict, repr=False)
    """Who is free over a time span, for the whole population: the spans many slots share."""
    checked: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)

    def skilled(self, required: frozenset[str]) -> NDArray[np.bool_]:
        """Who holds every skill in ``required`` (unknown skills: nobody)."""
        if any(k not in self.skill_index for k in required):
            return np.zeros(self.lat.size, dtype=bool)
        cols = [self.skill_index[k] for k in required]
        return self.holds[:, cols].all(axis=1) if cols else np.ones(self.lat.size, dtype=bool)

    def available(self, vols: IntArray, start: int, end: int) -> NDArray[np.bool_]:
        """Which of ``vols`` have one window holding ``[start, end)``.

        Slots share their times (a district's classes all start at 18:00): once the people
        checked for one span outnumber the population, the answer for everybody is kept and
        read from then on, so a span costs at most twice its cheapest way of checking.
        """
        key = (start, end)
        mask = self.shared.get(key)
        if mask is not None:
            return mask[vols]
        seen = self.checked.get(key, 0) + int(vols.size)
        everyone = self.lat.size
        if seen >= everyone and (len(self.shared) + 1) * everyone <= SHARED_AVAILABILITY_BYTES:
            mask = self.shared[key] = self._free(np.arange(everyone), start, end)
            return mask[vols]
        self.checked[key] = seen
        return self._free(vols, start, end)

    def _free(self, vols: IntArray, start: int, end: int) -> NDArray[np.bool_]:
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
    pair_vol: Int32Array
    pair_slot: Int32Array
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
    spans = [
        (vi, (w.start - origin).total_seconds(), (w.end - origin).total_seconds())
        for vi, vol in enumerate(problem.volunteers)
        for w in vol.availability
        if w.end > w.start
    ]
    if not spans:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    table = np.asarray(spans, dtype=np.float64).astype(np.int64)
    del spans
    vols, starts, ends = table[:, 0], table[:, 1], table[:, 2]
    # Per person by start, the longest first among equal starts: a window is dominated when
    # an earlier one of hers reaches as far. Her person number keeps the running maximum
    # of the ends within her own windows.
    order = np.lexsort((-ends, starts, vols))
    vols, starts, ends = vols[order], starts[order], ends[order]
    reach = vols * (int(ends.max()) + 1) + ends  # times count from the earliest start
    before = np.maximum.accumulate(reach)
    kept = np.ones(reach.size, dtype=bool)
    kept[1:] = reach[1:] > before[:-1]
    return vols[kept], starts[kept], ends[kept]


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


class _Costs:
    """PROBLEM.md section 4's cost of a slot's candidates: km, preference, language missed."""

    def __init__(self, problem: StaffingProblem) -> None:
        slots = problem.slots
        venue_ids = {v.id: i for i, v in enumerate(problem.venues)}
        act_index, self.act_w, self.ven_keys, self.ven_w, self.n_venues = _preference_lookup(
            problem, venue_ids
        )
        self.slot_act = [act_index[s.activity] for s in slots]
        self.slot_ven = [venue_ids[s.venue] for s in slots]
        languages = sorted({x for v in problem.volunteers for x in v.languages})
        lang_index = {x: i for i, x in enumerate(languages)}
        self.speaks = np.zeros((len(problem.volunteers), max(1, len(languages))), dtype=bool)
        for vi, vol in enumerate(problem.volunteers):
            self.speaks[vi, [lang_index[x] for x in vol.languages]] = True
        # -1: no preferred language; -2: one that nobody speaks, so a miss for everybody.
        self.slot_lang = [
            lang_index.get(s.preferred_language, -2) if s.preferred_language else -1 for s in slots
        ]

    def of_slot(self, j: int, vols: IntArray, dist: FloatArray) -> FloatArray:
        pref = self.act_w[vols, self.slot_act[j]]
        if self.ven_keys.size:
            keys = vols * self.n_venues + self.slot_ven[j]
            pos = np.minimum(np.searchsorted(self.ven_keys, keys), self.ven_keys.size - 1)
            pref = np.where(self.ven_keys[pos] == keys, self.ven_w[pos], pref)
        want = self.slot_lang[j]
        if want == -2:
            missed = np.ones(vols.size, dtype=bool)
        elif want >= 0:
            missed = ~self.speaks[vols, want]
        else:
            missed = np.zeros(vols.size, dtype=bool)
        return dist + PREFERENCE_KM * (1.0 - pref) + LANGUAGE_MISS_KM * missed


def _eligible_pairs(
    problem: StaffingProblem,
    people: PeopleLookup,
    slot_start: IntArray,
    slot_end: IntArray,
    vol_cap: IntArray,
    excluded: dict[int, IntArray],
    tiebreak: IntArray,
) -> tuple[Int32Array, FloatArray, IntArray]:
    """Every statically possible pair: ``(volunteer, cost)`` grouped by slot, cheapest first
    (exact ties in the ``tiebreak`` order of the people), and each slot's pointer into them.

    ``excluded`` maps a slot to the people left out of it.
    """
    venue_ids = {v.id: i for i, v in enumerate(problem.venues)}
    slots_at: dict[int, list[int]] = {}
    for j, s in enumerate(problem.slots):
        if s.needed > 0 and slot_end[j] > slot_start[j]:
            slots_at.setdefault(venue_ids[s.venue], []).append(j)
    skilled = {need: people.skilled(need) for need in {s.required_skills for s in problem.slots}}
    costs = _Costs(problem)
    ns = len(problem.slots)
    part_vol: list[Int32Array | None] = [None] * ns
    part_cost: list[FloatArray | None] = [None] * ns
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
            chosen = first[people.available(near[first], int(slot_start[j]), int(slot_end[j]))]
            vols, km = near[chosen], dist[chosen]
            if j in excluded:
                keep = ~np.isin(vols, excluded[j])
                vols, km = vols[keep], km[keep]
            cost = costs.of_slot(j, vols, km)
            # The tie-break is a permutation of the people, so no further key is needed.
            order = np.lexsort((tiebreak[vols], cost))
            part_vol[j] = vols[order].astype(np.int32)
            part_cost[j] = cost[order]
    counts = np.asarray([0 if v is None else v.size for v in part_vol], dtype=np.int64)
    slot_ptr = np.zeros(ns + 1, dtype=np.int64)
    np.cumsum(counts, out=slot_ptr[1:])
    pair_vol = np.concatenate([v for v in part_vol if v is not None] or [np.zeros(0, np.int32)])
    del part_vol
    pair_cost = np.concatenate([c for c in part_cost if c is not None] or [np.zeros(0)])
    return pair_vol, pair_cost, slot_ptr


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
    barred: dict[int, list[int]] = {}
    for s, v in excluded:
        if s in slot_index and v in vol_index:
            barred.setdefault(slot_index[s], []).append(vol_index[v])
    tiebreak = np.random.default_rng(seed).permutation(max(nv, 1))
    pair_vol, pair_cost, slot_ptr = _eligible_pairs(
        problem,
        people,
        slot_start,
        slot_end,
        vol_cap,
        {j: np.asarray(v, dtype=np.int64) for j, v in barred.items()},
        tiebreak,
    )
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
        pair_vol=pair_vol,
        pair_slot=np.repeat(np.arange(ns, dtype=np.int32), np.diff(slot_ptr)),
        pair_cost=pair_cost,
        slot_ptr=slot_ptr,
        people=people,
    )
