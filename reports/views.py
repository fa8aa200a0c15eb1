"""Report pages: the figures of an area and period, the summary sentences, a printable page.

Every page reads through ``selectors.report_for``: coordinators of the area only; anyone else
finds nothing (404). A bad date shows the default period with the error beside the field.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.errors import NotFound, ValidationFailed

from .charts import chart_data
from .display import FIGURE_LABELS, MEASURES, number, report_sections
from .periods import part_choices, period_choice, period_presets, today_local
from .selectors import Report, report_areas, report_for
from .summary import summary_texts

KEY_FIGURES = [
    "sessions_held",
    "volunteers_active",
    "hours_served",
    "households_visited",
    "letters_and_visits",
    "disputes_received",
    "family_disputes_resolved",
    "rights_events",
    "volunteers_new",
    "hours_per_volunteer_median",
    "hours_per_volunteer_top",
    "median_days_to_resolution",
]


def reports_page(view):
    """Signed in, read-only (a write is 405), and a report she may not read is not there."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return login_required(require_safe(wrapped))


def report_from_request(request: HttpRequest) -> tuple[Report, dict]:
    """The report the query string asks for; with bad dates, this year so far and the errors."""
    q = request.GET
    start, end = q.get("start"), q.get("end")
    try:
        if q.get("year"):
            chosen = period_choice(year=q["year"], part=q.get("part") or "year")
            start, end = chosen.start.isoformat(), chosen.end.isoformat()
        return (
            report_for(user=request.user, area_id=q.get("area"), start=start, end=end),
            {},
        )
    except ValidationFailed as exc:
        return report_for(user=request.user, area_id=q.get("area")), exc.errors


def _query(report: Report, **extra) -> str:
    return urlencode(
        {
            "area": report.area.pk,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            **extra,
        }
    )


def _context(request: HttpRequest, report: Report, errors: dict) -> dict:
    return {
        "report": report,
        "errors": errors,
        "query": _query(report),
        "areas": report_areas(user=request.user),
        "presets": [
            {
                "label": label,
                "query": _query(report, start=p.start.isoformat(), end=p.end.isoformat()),
                "current": p == report.period,
            }
            for label, p in period_presets()
        ],
        "start_value": request.GET.get("start", report.period.start.isoformat()),
        "end_value": request.GET.get("end", report.period.end.isoformat()),
        "years": list(range(today_local().year, today_local().year - 6, -1)),
        "year_value": request.GET.get("year", str(report.period.start.year)),
        "parts": part_choices(),
        "part_value": request.GET.get("part", "year"),
    }


def _key_figures(report: Report) -> list[dict]:
    return [
        {
            "label": FIGURE_LABELS[key],
            "text": number(
                report.figures.get(key),
                below=report.suppressed_below,
                kind="hours" if key in MEASURES else "count",
            ),
        }
        for key in KEY_FIGURES
    ]


@reports_page
def overview(request: HttpRequest) -> HttpResponse:
    report, errors = report_from_request(request)
    context = _context(request, report, errors)
    context["sections"] = report_sections(report)
    context["key_figures"] = _key_figures(report)
    context["charts"] = chart_data(report)
    return render(request, "reports/overview.html", context, status=400 if errors else 200)


@reports_page
def summary(request: HttpRequest) -> HttpResponse:
    report, errors = report_from_request(request)
    context = _context(request, report, errors)
    context["texts"] = summary_texts(report)
    return render(request, "reports/summary.html", context, status=400 if errors else 200)


@reports_page
def printable(request: HttpRequest) -> HttpResponse:
    report, errors = report_from_request(request)
    context = _context(request, report, errors)
    context["sections"] = report_sections(report)
    context["key_figures"] = _key_figures(report)
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    context["texts"] = [t for t in summary_texts(report) if t["language"] == language]
    return render(request, "reports/print.html", context, status=400 if errors else 200)
