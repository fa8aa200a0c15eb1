"""A repeat rule that matches rarely or never is refused after scanning a bounded span of
years (recurrence.MAX_SPAN_YEARS), through the activities API a host posts to."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from activities.models import Activity
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SH), tick=False):
        yield


def post(rrule: str):
    host = UserFactory()
    venue = VenueFactory(hosts=[host])
    client = APIClient()
    client.force_authenticate(host)
    return client.post(
        "/api/v1/activities/",
        {
            "venue": venue.pk,
            "title": "夜校",
            "kind": "class",
            "starts_at": "2026-06-02T19:00:00+08:00",
            "ends_at": "2026-06-02T20:30:00+08:00",
            "rrule": rrule,
            "roles": [{"skill": None, "needed": 1, "language": None}],
        },
        format="json",
    )


@pytest.mark.parametrize(
    ("rrule", "message"),
    [
        # Never matches: dateutil alone would scan every day up to the year 9999.
        (
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1",
            "This repeat rule gives no dates in the 10 years from its start.",
        ),
        # Matches once in four years: 500 of them lie two thousand years ahead.
        (
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=500",
            "A series can run for at most 10 years from its start; end it sooner.",
        ),
        (
            "FREQ=YEARLY;UNTIL=20991231T000000Z",
            "A series can run for at most 10 years from its start; end it sooner.",
        ),
    ],
)
def test_a_rule_that_would_loop_for_long_is_refused(rrule, message):
    response = post(rrule)
    assert response.status_code == 400
    assert response.json()["rrule"] == [message]
    assert not Activity.objects.exists()


def test_a_rare_rule_within_the_span_is_taken():
    response = post("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=2")
    assert response.status_code == 201, response.json()
