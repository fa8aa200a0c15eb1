"""Probing ids: a host of another venue or a coordinator of another area who names a venue,
activity, slot or sign-up that is not hers gets exactly what a wrong id gets (404), in pages and
API alike, and nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client

from activities.models import Activity, Assignment, Slot
from tests.factories import AreaFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

MISSING = 987654


@pytest.fixture
def district(db):
    """The cast's district (this folder's conftest builds a bigger one for other tests)."""
    return AreaFactory(name="示范区", name_en="Model District")


@pytest.fixture
def target(venue):
    slot, role = make_slot(venue=venue, starts_at=local(2, 10))
    assignment = Assignment.objects.create(
        slot=slot, role=role, volunteer=make_volunteer(), status=Assignment.Status.CONFIRMED
    )
    return {"venue": venue.pk, "activity": slot.activity_id, "slot": slot.pk, "a": assignment.pk}


# (method, url with {venue}/{activity}/{slot}/{a}, data, API?)
PROBES = [
    ("get", "/host/venues/{venue}/edit/", None, False),
    ("post", "/host/venues/{venue}/edit/", {"name": "taken"}, False),
    ("get", "/host/venues/{venue}/activities/new/", None, False),
    ("post", "/host/venues/{venue}/activities/new/", {"kind": "class"}, False),
    ("get", "/host/venues/{venue}/activities/preview/", None, False),
    ("get", "/host/activities/{activity}/edit/", None, False),
    ("post", "/host/activities/{activity}/edit/", {"kind": "class"}, False),
    ("get", "/host/slots/{slot}/", None, False),
    ("post", "/host/slots/{slot}/move/", {"scope": "all"}, False),
    ("post", "/host/slots/{slot}/cancel/", {"scope": "all"}, False),
    ("get", "/shifts/{slot}/roster/", None, False),
    ("post", "/roster/{a}/mark/", {"status": "attended"}, False),
    ("patch", "/api/v1/venues/{venue}/", {"opening_hours": "x"}, True),
    ("get", "/api/v1/venues/{venue}/", None, True),
    ("get", "/api/v1/activities/{activity}/", None, True),
    ("patch", "/api/v1/activities/{activity}/", {"title": "x"}, True),
    ("post", "/api/v1/slots/{slot}/reschedule/", {"scope": "one"}, True),
    ("post", "/api/v1/slots/{slot}/cancel/", {"scope": "all"}, True),
    ("get", "/api/v1/assignments/{a}/", None, True),
    ("post", "/api/v1/assignments/{a}/cancel/", None, True),
    ("post", "/api/v1/assignments/{a}/check-in/", None, True),
    ("post", "/api/v1/assignments/{a}/mark/", {"status": "attended"}, True),
]


def _call(user, method, url, data, api):
    client = Client()
    client.force_login(user)
    if api:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("who", ["other_host", "other_coordinator"])
@pytest.mark.parametrize(("method", "url", "data", "api"), PROBES)
def test_an_id_outside_her_scope_answers_like_a_missing_one(
    request, target, who, method, url, data, api
):
    user = request.getfixturevalue(who)
    real = _call(user, method, url.format(**target), data, api)
    missing = _call(user, method, url.format(**dict.fromkeys(target, MISSING)), data, api)
    assert missing.status_code == 404
    assert real.status_code == 404, real.content[:300]
    # Nothing was changed on the way.
    slot = Slot.objects.get(pk=target["slot"])
    assert slot.status == Slot.Status.SCHEDULED
    assert Activity.objects.get(pk=target["activity"]).title != "x"
    assert Assignment.objects.get(pk=target["a"]).status == Assignment.Status.CONFIRMED
