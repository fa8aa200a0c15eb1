"""Every report table as CSV or XLSX, and the whole report as one workbook.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so that a venue or
team name can never run as a formula on a cadre's computer.
"""

from __future__ import annotations

import csv
import re
from io import BytesIO

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .display import FIGURE_LABELS, MEASURES, number
from .selectors import Report
from .tables import Table
from .views import report_from_request, reports_page

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _rows(table: Table, *, below: int | None) -> list[list]:
    """The header, then each row: numbers stay numbers, hidden or unknown ones read so."""
    out = [[str(c.label) for c in table.columns]]
    for row in table.rows:
        line = []
        for c in table.columns:
            value = row.get(c.key)
            if value is None:
                value = number(None, kind=c.kind, below=below, unknown=bool(row.get("unknown")))
            line.append(neutralise(value))
        out.append(line)
    return out


def _filename(report: Report, name: str, ext: str) -> str:
    return f"report-{report.area.pk}-{report.period.start}-{report.period.end}-{name}.{ext}"


def _sheet_title(index: int, title: str) -> str:
    return re.sub(r"[\[\]:*?/\\']", " ", f"{index}. {title}")[:31]


def _xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@reports_page
def table(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    report, _errors = report_from_request(request)
    if key not in report.tables or fmt not in ("csv", "xlsx"):
        raise Http404
    rows = _rows(report.tables[key], below=report.suppressed_below)
    if fmt == "xlsx":
        content = _xlsx([(_sheet_title(1, str(report.tables[key].title)), rows)])
        return _attachment(content, XLSX, _filename(report, key, "xlsx"))
    response = _attachment("", "text/csv; charset=utf-8", _filename(report, key, "csv"))
    response.write("\ufeff")  # Excel reads UTF-8 only with the mark
    csv.writer(response).writerows(rows)
    return response


@reports_page
def workbook(request: HttpRequest) -> HttpResponse:
    """Key figures on the first sheet, then one sheet per table."""
    report, _errors = report_from_request(request)
    below = report.suppressed_below
    head = [
        [_("Area"), neutralise(report.area.display_name)],
        [_("First day"), report.period.start.isoformat()],
        [_("Last day"), report.period.end.isoformat()],
        [],
        [_("Figure"), _("Number")],
    ] + [
        [
            str(label),
            report.figures.get(key)
            if report.figures.get(key) is not None
            else number(None, below=below, kind="hours" if key in MEASURES else "count"),
        ]
        for key, label in FIGURE_LABELS.items()
    ]
    sheets = [(_sheet_title(1, _("Key figures")), head)] + [
        (_sheet_title(i, str(t.title)), _rows(t, below=below))
        for i, t in enumerate(report.tables.values(), start=2)
    ]
    return _attachment(_xlsx(sheets), XLSX, _filename(report, "all", "xlsx"))
