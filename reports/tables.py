"""The shape every report figure takes: tables of rows, with typed columns.

Pages, the API, the exports and the charts all read these, so a figure is computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # text, count (subject to small-count suppression), hours, percent, days
    kind: str = "count"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "title": str(self.title),
            "columns": [
                {"key": c.key, "label": str(c.label), "kind": c.kind} for c in self.columns
            ],
            "rows": self.rows,
            "note": str(self.note),
        }


def suppress(table: Table, *, below: int) -> None:
    """Hide every count from 1 to ``below - 1`` (shown as None). When a column hides exactly
    one cell, its next smallest non-zero cell is hidden too, so that a column total printed
    elsewhere cannot give the hidden one back by subtraction."""
    for column in table.columns:
        if column.kind != "count":
            continue
        small = [
            r
            for r in table.rows
            if isinstance(r.get(column.key), int) and 0 < r[column.key] < below
        ]
        for row in small:
            row[column.key] = None
        if len(small) == 1:
            rest = sorted(
                (r for r in table.rows if isinstance(r.get(column.key), int) and r[column.key] > 0),
                key=lambda r: r[column.key],
            )
            if rest:
                rest[0][column.key] = None


def suppress_value(value: int | None, *, below: int) -> int | None:
    if isinstance(value, int) and 0 < value < below:
        return None
    return value
