"""``GET /api/v1/reports/summary/``: who reads which area, and bad input."""

from __future__ import annotations

import pytest

URL = "/api/v1/reports/summary/"
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


def test_district_coordinator_reads_the_quarter(world, api_for):
    response = api_for(world.coordinator).get(URL, {"area": world.district.pk, **Q1})
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == {"id": world.district.pk, "name": "Model District", "level": "district"}
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-03-31")
    assert body["starts_at"] == "2026-01-01T00:00:00+08:00"
    assert body["ends_at"] == "2026-04-01T00:00:00+08:00"
    assert body["figures"]["sessions_held"] == 2
    assert body["figures"]["hours_served"] == 5.0
    assert body["figures"]["letters_and_visits"] == 2
    assert body["figures"]["calendar_subscriptions"] is None
    assert body["suppressed_below"] is None
    streets = {r["street"]: r for r in body["tables"]["streets"]["rows"]}
    assert streets["Bright Street"]["disputes"] == 2


def test_default_is_her_own_area_this_year_so_far(world, api_for):
    response = api_for(world.street_coordinator).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["area"]["id"] == world.street.pk
    # The clock stands at 1 June 2026.
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-06-01")
    assert body["figures"]["sessions_held"] == 2  # the class of 1 January and the one of 1 April


def test_street_coordinator_reads_a_community_under_her_with_small_counts_hidden(world, api_for):
    response = api_for(world.street_coordinator).get(URL, {"area": world.community.pk, **Q1})
    assert response.status_code == 200
    body = response.json()
    assert body["suppressed_below"] == 5
    assert body["figures"]["disputes_received"] is None


@pytest.mark.parametrize("who", ["street_coordinator", "other_coordinator"])
def test_coordinator_outside_the_area_gets_404(world, api_for, who):
    response = api_for(getattr(world, who)).get(URL, {"area": world.district.pk, **Q1})
    assert response.status_code == 404
    assert "figures" not in response.json()


@pytest.mark.parametrize("who", ["volunteer", "host"])
def test_volunteers_and_hosts_get_404(world, api_for, who):
    response = api_for(getattr(world, who)).get(URL, {"area": world.community.pk})
    assert response.status_code == 404
    assert api_for(getattr(world, who)).get(URL).status_code == 404


def test_anonymous_is_refused(world, api_for):
    assert api_for().get(URL).status_code in (401, 403)


def test_admin_reads_any_area(world, api_for):
    response = api_for(world.admin).get(URL, {"area": world.other_district.pk, **Q1})
    assert response.status_code == 200
    assert response.json()["figures"]["disputes_received"] == 1


def test_unknown_area_is_404(world, api_for):
    assert api_for(world.coordinator).get(URL, {"area": "x"}).status_code == 404
    assert api_for(world.coordinator).get(URL, {"area": 999999}).status_code == 404


def test_bad_dates_name_the_field(world, api_for):
    response = api_for(world.coordinator).get(URL, {"start": "2026-13-01"})
    assert response.status_code == 400
    assert response.json() == {"start": ["Enter a date as YYYY-MM-DD, for example 2026-01-31."]}
    response = api_for(world.coordinator).get(URL, {"start": "2026-03-01", "end": "2026-02-01"})
    assert response.status_code == 400
    assert response.json() == {"end": ["The last day must not be before the first."]}


def test_bad_dates_in_chinese(world, api_for):
    world.coordinator.preferred_language = "zh-hans"
    world.coordinator.save()
    response = api_for(world.coordinator).get(URL, {"end": "yesterday"})
    assert response.status_code == 400
    assert response.json() == {"end": ["请按 YYYY-MM-DD 填写日期，例如 2026-01-31。"]}
