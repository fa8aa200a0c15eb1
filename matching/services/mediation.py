"""Ranking mediators for a dispute: the one engine, in its mediation shape."""

from __future__ import annotations

from .. import engine_adapter


def mediators_rank(
    *,
    mediators: list[dict],
    dispute: dict,
    plan: list[tuple[str, str, str | None]] = (),
    excluded: list[tuple[str, str]] = (),
    limit: int | None = None,
) -> list[dict]:
    """Mediators who could lead (and, for a pair dispute, assist) ``dispute``, best first.

    One engine, two problem shapes: the mediation app hands in mediators and the dispute in the
    shape of PROBLEM.md's variant B (``id``, ``specialties``, ``languages``, ``lat``/``lon``,
    ``compound``, ``caseload_cap``, ``current_caseload``, ``can_lead``, ``max_travel_km``; the
    dispute's ``kind``, ``language``, ``party_compounds``, ``requires_pair``). ``plan`` holds the
    current teams ``(dispute, lead, assistant)``; ``excluded`` (dispute, mediator) pairs are left
    out. Rows: ``mediator``, ``role`` (lead/assistant), ``distance_km``, ``free_roles``,
    ``in_current_plan``.
    """
    return engine_adapter.mediators_rank(
        mediators=mediators, dispute=dispute, plan=plan, excluded=excluded, limit=limit
    )
