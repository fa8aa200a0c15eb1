"""Turn a :class:`MediationProblem` into index arrays of possible leads and assistants.

A mediator may *assist* on a dispute when she speaks its language, lives in none of the
parties' compounds, lives within her travel radius of it, has a free role left and was not
excluded from it. She may *lead* it when, in addition, she can lead and holds its kind as a
specialty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..geo import within_radius
from ..model import MediationProblem

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
LEAD, ASSIST = 0, 1


@dataclass(frozen=True, eq=False)
class CompiledMediation:
    """Candidates per dispute and role, nearest first (ties: mediator order).

    ``role_ptr[r][d]:role_ptr[r][d + 1]`` index ``role_med[r]`` / ``role_dist[r]`` for role
    ``r`` (:data:`LEAD` or :data:`ASSIST`). Assistant lists are empty for disputes that take no
    assistant.
    """

    problem: MediationProblem
    med_index: dict[str, int]
    dispute_index: dict[str, int]
    capacity: IntArray
    """Roles each mediator can still take (cap minus current caseload, at least 0)."""
    weight: IntArray
    pair: NDArray[np.bool_]
    role_med: tuple[IntArray, IntArray]
    role_dist: tuple[FloatArray, FloatArray]
    role_ptr: tuple[IntArray, IntArray]

    @property
    def n_mediators(self) -> int:
        return len(self.med_index)

    @property
    def n_disputes(self) -> int:
        return len(self.dispute_index)

    def candidates(self, role: int, d: int) -> tuple[IntArray, FloatArray]:
        lo, hi = self.role_ptr[role][d], self.role_ptr[role][d + 1]
        return self.role_med[role][lo:hi], self.role_dist[role][lo:hi]


def compile_mediation(
    problem: MediationProblem, *, excluded: Iterable[tuple[str, str]] = ()
) -> CompiledMediation:
    """Every possible (dispute, mediator, role) with its distance; ``excluded`` holds
    ``(dispute_id, mediator_id)`` pairs a coordinator ruled out for both roles."""
    meds, disputes = problem.mediators, problem.disputes
    med_index = {m.id: i for i, m in enumerate(meds)}
    dispute_index = {d.id: j for j, d in enumerate(disputes)}
    if len(med_index) != len(meds) or len(dispute_index) != len(disputes):
        raise ValueError("mediator and dispute ids must be unique")
    lat = np.asarray([m.lat for m in meds], dtype=np.float64)
    lon = np.asarray([m.lon for m in meds], dtype=np.float64)
    radius = np.asarray(
        [np.inf if m.max_travel_km is None else m.max_travel_km for m in meds], dtype=np.float64
    )
    capacity = np.asarray(
        [max(0, m.caseload_cap - m.current_caseload) for m in meds], dtype=np.int64
    )
    can_lead = np.asarray([m.can_lead for m in meds], dtype=bool)
    lat_order = np.argsort(lat, kind="stable")
    languages = sorted({x for m in meds for x in m.languages})
    lang_index = {x: i for i, x in enumerate(languages)}
    speaks = np.zeros((len(meds), max(1, len(languages))), dtype=bool)
    for i, m in enumerate(meds):
        speaks[i, [lang_index[x] for x in m.languages]] = True
    compounds = sorted({m.compound for m in meds})
    comp_index = {c: i for i, c in enumerate(compounds)}
    med_comp = np.asarray([comp_index[m.compound] for m in meds], dtype=np.int64)
    barred: dict[int, set[int]] = {}
    for did, mid in excluded:
        if did in dispute_index and mid in med_index:
            barred.setdefault(dispute_index[did], set()).add(med_index[mid])

    parts: tuple[list[IntArray], list[IntArray]] = ([], [])
    dists: tuple[list[FloatArray], list[FloatArray]] = ([], [])
    counts = np.zeros((2, len(disputes)), dtype=np.int64)
    for j, d in enumerate(disputes):
        near, dist = within_radius(d.lat, d.lon, lat, lon, radius, lat_order)
        if d.language in lang_index:
            ok = speaks[near, lang_index[d.language]] & (capacity[near] > 0)
        else:
            ok = np.zeros(near.size, dtype=bool)
        parties = [comp_index[c] for c in d.party_compounds if c in comp_index]
        if parties:
            ok &= ~np.isin(med_comp[near], parties)
        if j in barred:
            ok &= ~np.isin(near, sorted(barred[j]))
        specialists = np.asarray([d.kind in meds[i].specialties for i in near.tolist()], bool)
        masks = (
            ok & can_lead[near] & specialists,
            ok if d.requires_pair else np.zeros(near.size, dtype=bool),
        )
        for role, mask in enumerate(masks):
            chosen, chosen_dist = near[mask], dist[mask]
            order = np.lexsort((chosen, chosen_dist))
            parts[role].append(chosen[order])
            dists[role].append(chosen_dist[order])
            counts[role, j] = chosen.size

    def _join(chunks: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(chunks).astype(dtype) if chunks else np.zeros(0, dtype=dtype)

    ptr = tuple(
        np.concatenate([[0], np.cumsum(counts[r])]).astype(np.int64) for r in (LEAD, ASSIST)
    )
    return CompiledMediation(
        problem=problem,
        med_index=med_index,
        dispute_index=dispute_index,
        capacity=capacity,
        weight=np.asarray([d.weight for d in disputes], dtype=np.int64),
        pair=np.asarray([d.requires_pair for d in disputes], dtype=bool),
        role_med=(_join(parts[LEAD], np.int64), _join(parts[ASSIST], np.int64)),
        role_dist=(_join(dists[LEAD], np.float64), _join(dists[ASSIST], np.float64)),
        role_ptr=(ptr[0], ptr[1]),
    )
