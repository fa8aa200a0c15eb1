"""Each figure against the district counted by hand in conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Assignment
from reports.periods import Period
from reports.selectors import report_build
from tests.factories import AssignmentFactory
from tests.reports.conftest import local, slot_make

Q1 = Period(start=date(2026, 1, 1), end=date(2026, 3, 31))


def rows(report, key, label):
    return {r[label]: r for r in report.tables[key].rows}


def test_district_quarter_activities(world):
    report = report_build(area=world.district, period=Q1)
    f = report.figures
    assert f["sessions_held"] == 2
    assert (f["seats"], f["seats_staffed"], f["seats_empty_share"]) == (5, 4, 20.0)
    assert (f["no_shows"], f["late_cancellations"]) == (1, 1)
    assert f["rights_events"] == 1
    kinds = rows(report, "activities_by_kind", "kind")
    assert set(kinds) == {"Class", "Rights-protection event"}
    assert kinds["Class"]["full_slots"] == 1
    assert kinds["Class"]["hours"] == 2.0
    assert kinds["Rights-protection event"]["full_slots"] == 0
    assert kinds["Rights-protection event"]["empty_share"] == pytest.approx(33.3)
    assert kinds["Rights-protection event"]["late"] == 1
    venues = rows(report, "activities_by_venue", "venue")
    assert venues["Peace Women's Home"]["no_shows"] == 1
    assert venues["Bright Hall"]["hours"] == 3.0
    headings = rows(report, "activities_by_heading", "heading")
    assert headings["Rights-protection events"]["slots"] == 1
    assert headings["Classes (the “X o’clock classes”)"]["slots"] == 1


def test_district_quarter_volunteers(world):
    report = report_build(area=world.district, period=Q1)
    f = report.figures
    assert (f["volunteers_active"], f["volunteers_new"]) == (2, 1)
    assert f["hours_served"] == 5.0
    assert (f["hours_per_volunteer_median"], f["hours_per_volunteer_top"]) == (2.5, 3.5)
    team = rows(report, "volunteers_by_team", "team")["Lecture group"]
    assert (team["active"], team["new"], team["hours"]) == (2, 1, 5.0)
    skills = rows(report, "top_skills", "skill")
    assert skills["lecturing"]["seats"] == 2
    assert skills["lecturing"]["hours"] == 3.0


def test_district_quarter_disputes(world):
    report = report_build(area=world.district, period=Q1)
    f = report.figures
    assert f["disputes_received"] == 3
    assert f["letters_and_visits"] == 2
    assert f["disputes_accepted"] == 2
    assert (f["disputes_resolved"], f["family_disputes_resolved"]) == (2, 2)
    assert (f["disputes_referred"], f["disputes_open"]) == (1, 1)
    assert f["median_days_to_resolution"] == 22.0
    assert (f["visits"], f["households_visited"]) == (3, 2)
    received = {(r["source"], r["kind"]): r for r in report.tables["disputes_received"].rows}
    assert received[("Letter", "Marital or family")]["resolved"] == 1
    assert received[("Walk-in", "Neighbours")]["referred"] == 1
    assert received[("Hotline", "Marital or family")]["open"] == 1
    levels = rows(report, "disputes_by_level", "level")
    assert levels["Joint intervention"]["received"] == 1
    assert levels["Initial mediation"]["received"] == 2
    steps = rows(report, "visits_by_step", "step")
    assert steps["Find hidden risks"]["visits"] == 1
    assert steps["Follow-up support"]["households"] == 1


def test_district_quarter_notifications(world):
    f = report_build(area=world.district, period=Q1).figures
    assert (f["sms_sent"], f["sms_delivered"], f["sms_failed"]) == (1, 1, 1)
    assert f["sms_opt_outs"] == 1
    # The product cannot know it: no number is invented.
    assert f["calendar_subscriptions"] is None


def test_monthly_and_streets(world):
    report = report_build(area=world.district, period=Q1)
    months = rows(report, "monthly", "month")
    assert list(months) == ["2026-01", "2026-02", "2026-03"]
    assert (months["2026-01"]["slots"], months["2026-01"]["hours"]) == (1, 2.0)
    assert (months["2026-03"]["slots"], months["2026-03"]["disputes"]) == (1, 1)
    streets = rows(report, "streets", "street")
    assert streets["Happiness Street"]["slots"] == 1
    assert streets["Happiness Street"]["disputes"] == 1
    assert streets["Bright Street"]["hours"] == 3.0
    assert streets["Bright Street"]["disputes"] == 2


def test_street_rolls_up_its_communities_only(world):
    report = report_build(area=world.street, period=Q1)
    f = report.figures
    assert f["sessions_held"] == 1
    assert f["hours_served"] == 2.0
    assert f["disputes_received"] == 1
    assert f["disputes_resolved"] == 2
    assert f["households_visited"] == 2
    assert f["sms_sent"] == 1
    assert f["sms_opt_outs"] == 0
    assert "streets" not in report.tables


def test_period_edges_are_local_midnights(world):
    # One local day, 1 January: the class at 00:00 is in it, the lecture at 23:30 the evening
    # before (15:30 UTC on 31 December) is not.
    report = report_build(area=world.district, period=Period(date(2026, 1, 1), date(2026, 1, 1)))
    assert report.figures["sessions_held"] == 1
    assert report.figures["class_sessions"] == 1
    # From 1 April the class at local midnight is in, the rights event of 31 March is out.
    report = report_build(area=world.district, period=Period(date(2026, 4, 1), date(2026, 4, 30)))
    assert report.figures["sessions_held"] == 1
    assert report.figures["class_sessions"] == 1
    assert report.figures["rights_events"] == 0
    report = report_build(
        area=world.district, period=Period(date(2025, 12, 31), date(2025, 12, 31))
    )
    assert report.figures["lecture_sessions"] == 1
    assert report.figures["sessions_held"] == 1


def test_community_hides_small_counts(world, settings):
    settings.REPORTS_MIN_COUNT = 5
    report = report_build(area=world.community, period=Q1)
    assert report.suppressed_below == 5
    f = report.figures
    assert f["sessions_held"] is None
    assert f["disputes_received"] is None
    assert f["disputes_resolved"] is None
    assert f["median_days_to_resolution"] is None
    # Hours are not counts of people or cases.
    assert f["hours_served"] == 2.0
    assert all(r["received"] is None for r in report.tables["disputes_received"].rows)
    settings.REPORTS_MIN_COUNT = 1
    report = report_build(area=world.community, period=Q1)
    assert report.figures["disputes_received"] == 1


def test_streets_are_not_suppressed(world, settings):
    settings.REPORTS_MIN_COUNT = 5
    report = report_build(area=world.street, period=Q1)
    assert report.suppressed_below is None
    assert report.figures["disputes_received"] == 1


def test_queries_do_not_grow_with_the_data(world):
    with CaptureQueriesContext(connection) as small:
        report_build(area=world.district, period=Q1)
    for day in range(1, 11):
        role = slot_make(
            world.home, Activity.Kind.SALON, local(2026, 2, day, 10), local(2026, 2, day, 11), 2
        )
        AssignmentFactory(role=role, status=Assignment.Status.ATTENDED)
    with CaptureQueriesContext(connection) as large:
        report = report_build(area=world.district, period=Q1)
    assert report.figures["sessions_held"] == 12
    assert len(large.captured_queries) == len(small.captured_queries)
