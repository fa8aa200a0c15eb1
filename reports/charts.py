"""What the charts draw, taken from the report's tables: the page puts it in a JSON data island
(``json_script``) and ``static/reports/charts.js`` draws it with the vendored ECharts. Every chart
has its table beside it, so nothing is only in a picture."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .selectors import Report


def chart_data(report: Report) -> dict:
    monthly = report.tables["monthly"]
    kinds = report.tables["activities_by_kind"]
    charts = {
        "monthly": {
            "title": str(monthly.title),
            "categories": [r["month"] for r in monthly.rows],
            "series": [
                {"name": str(_("Sessions held")), "data": [r["slots"] for r in monthly.rows]},
                {"name": str(_("Hours served")), "data": [r["hours"] for r in monthly.rows]},
                {
                    "name": str(_("Disputes received")),
                    "data": [r["disputes"] for r in monthly.rows],
                },
            ],
        },
        "kinds": {
            "title": str(_("Share of sessions by kind")),
            "data": [
                {"name": r["kind"], "value": r["slots"]}
                for r in kinds.rows
                if r["slots"] is not None
            ],
        },
    }
    streets = report.tables.get("streets")
    if streets is not None:
        charts["streets"] = {
            "title": str(streets.title),
            "categories": [r["street"] for r in streets.rows],
            "series": [
                {"name": str(_("Hours served")), "data": [r["hours"] for r in streets.rows]},
                {
                    "name": str(_("Disputes received")),
                    "data": [r["disputes"] for r in streets.rows],
                },
            ],
        }
    return charts
