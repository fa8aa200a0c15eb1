"""Every table as CSV and XLSX, and the whole report as one workbook."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity, Assignment
from tests.factories import AssignmentFactory, VenueFactory
from tests.reports.conftest import local, slot_make

Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_csv_of_one_table(world, client):
    client.force_login(world.coordinator)
    url = reverse("reports_export", args=["visits_by_step", "csv"])
    response = client.get(url, {"area": world.district.pk, **Q1})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert _csv(response) == [
        ["Step", "Visits", "Households"],
        ["Find hidden risks", "1", "1"],
        ["Resolve the conflict", "1", "1"],
        ["Follow-up support", "1", "1"],
    ]


def test_xlsx_of_one_table(world, client):
    client.force_login(world.coordinator)
    url = reverse("reports_export", args=["activities_by_kind", "xlsx"])
    response = client.get(url, {"area": world.district.pk, **Q1})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kind", "Sessions held", "Activities")
    kinds = {r[0]: r for r in rows[1:]}
    assert kinds["Class"][1] == 1
    assert kinds["Rights-protection event"][-1] == 3  # hours, a number in the sheet


def test_workbook_has_key_figures_and_every_table(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports_workbook"), {"area": world.district.pk, **Q1})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "1. Key figures"
    assert len(book.sheetnames) == 12  # eleven tables after the key figures
    figures = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r}
    assert figures["Households visited"] == 2
    assert figures["Hours served"] == 5.0


def test_formulas_are_neutralised(world, client):
    venue = VenueFactory(area=world.community, name='=HYPERLINK("http://evil")', name_en="@SUM(A1)")
    role = slot_make(venue, Activity.Kind.SALON, local(2026, 2, 3, 10), local(2026, 2, 3, 11), 1)
    AssignmentFactory(role=role, status=Assignment.Status.ATTENDED)
    client.force_login(world.coordinator)
    params = {"area": world.district.pk, **Q1}
    csv_rows = _csv(
        client.get(reverse("reports_export", args=["activities_by_venue", "csv"]), params)
    )
    assert [r[0] for r in csv_rows if "SUM" in r[0]] == ["'@SUM(A1)"]
    response = client.get(reverse("reports_export", args=["activities_by_venue", "xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for c in sheet["A"] if "SUM" in str(c.value)]
    assert [(c.value, c.data_type) for c in cells] == [("'@SUM(A1)", "s")]


def test_community_export_hides_small_counts(world, client):
    client.force_login(world.street_coordinator)
    url = reverse("reports_export", args=["disputes_received", "csv"])
    rows = _csv(client.get(url, {"area": world.community.pk, **Q1}))
    assert rows[1][2] == "fewer than 5"


@pytest.mark.parametrize("who", ["volunteer", "host", "other_coordinator"])
def test_others_cannot_export(world, client, who):
    client.force_login(getattr(world, who))
    url = reverse("reports_export", args=["visits_by_step", "csv"])
    assert client.get(url, {"area": world.district.pk}).status_code == 404


def test_unknown_table_or_format_is_404(world, client):
    client.force_login(world.coordinator)
    assert client.get(reverse("reports_export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("reports_export", args=["monthly", "pdf"])).status_code == 404
