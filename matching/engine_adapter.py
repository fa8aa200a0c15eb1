"""The one place the Django side calls the engine (``matching.engine``, plain Python).

The engine takes a PROBLEM.md staffing instance, a time limit, a seed, fixed pairs and excluded
pairs; it answers assignments, a bound and per-slot reasons for empty seats. This module turns
its answer into the small shape the services store.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Result:
    # (slot key, volunteer key, cost)
    assignments: list[tuple[str, str, float | None]] = field(default_factory=list)
    # {"slot", "empty", "reason", "counts"}
    gaps: list[dict] = field(default_factory=list)
    bound: int | None = None
    cost: float = 0.0


def solve(
    instance: dict,
    *,
    time_limit: float,
    seed: int,
    fixed: list[tuple[str, str]],
    excluded: list[tuple[str, str]],
) -> Result:
    raise NotImplementedError("matching.engine is not available")
