"""How a figure reads: numbers with thousands separators, hidden counts as "fewer than N",
figures the product cannot know said so. Pages, exports and the summary share these."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import Report
from .tables import Table

FIGURE_LABELS = {
    "sessions_held": gettext_lazy("Sessions held"),
    "volunteers_active": gettext_lazy("Active volunteers"),
    "hours_served": gettext_lazy("Hours served"),
    "households_visited": gettext_lazy("Households visited"),
    "letters_and_visits": gettext_lazy("Letters and visits received"),
    "disputes_received": gettext_lazy("Disputes received"),
    "family_disputes_resolved": gettext_lazy("Marital and family disputes settled"),
    "rights_events": gettext_lazy("Rights-protection events"),
    "volunteers_new": gettext_lazy("New volunteers"),
    "hours_per_volunteer_median": gettext_lazy("Hours per volunteer (median)"),
    "hours_per_volunteer_top": gettext_lazy("Most hours by one volunteer"),
    "median_days_to_resolution": gettext_lazy("Days to settle a dispute (median)"),
}
# Figures that are not counts: never hidden as "fewer than N".
MEASURES = {
    "hours_served",
    "hours_per_volunteer_median",
    "hours_per_volunteer_top",
    "median_days_to_resolution",
}


def number(value, *, kind: str = "count", below: int | None = None, unknown: bool = False) -> str:
    if value is None:
        if unknown:
            return _("not known")
        if below and kind == "count":
            return _("fewer than %(n)s") % {"n": below}
        return "—"
    if kind == "percent":
        return f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table_cells(table: Table, *, below: int | None) -> list[list[dict]]:
    """Rows of cells ``{text, numeric}`` in column order."""
    out = []
    for row in table.rows:
        cells = []
        for c in table.columns:
            value = row.get(c.key)
            cells.append(
                {
                    "text": number(
                        value, kind=c.kind, below=below, unknown=bool(row.get("unknown"))
                    ),
                    "numeric": c.kind != "text",
                }
            )
        out.append(cells)
    return out


def report_sections(report: Report) -> list[dict]:
    """The tables grouped as the page shows them, each ready for a template."""
    groups = [
        (_("Activities"), ["activities_by_heading", "activities_by_kind", "activities_by_venue"]),
        (_("Volunteers"), ["volunteers_by_team", "top_skills"]),
        (_("Disputes"), ["disputes_received", "disputes_by_level", "visits_by_step"]),
        (_("Text messages and calendars"), ["notifications"]),
        (_("Trends"), ["monthly", "streets"]),
    ]
    sections = []
    for title, keys in groups:
        tables = [
            {
                "key": key,
                "title": report.tables[key].title,
                "note": report.tables[key].note,
                "columns": report.tables[key].columns,
                "rows": table_cells(report.tables[key], below=report.suppressed_below),
            }
            for key in keys
            if key in report.tables
        ]
        sections.append({"title": title, "tables": tables})
    return sections
