"""What every test shares: English by default, a fresh cache, the frozen clock, the cast by
role and an API client for any of them.

The cast: ``volunteer`` (a profile; her account is ``.user``), ``host`` (of ``venue``, in
``community`` under ``street`` under ``district``), ``other_host`` (of a venue in another
district), ``coordinator`` (of ``district``, so of the venue's area), ``other_coordinator`` (of
another district), ``mediator`` (a volunteer with the verified mediation skill) and ``admin``
(a superuser). Each is made only when a test asks for it.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.clock import NOW
from tests.factories import (
    AreaFactory,
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    StreetFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)

# One switch moves the whole session's clock: ``TEST_CLOCK=2026-12-31T23:59:00+08:00 pytest …``
# starts the session at that instant, time running on from there (tests that freeze time with
# ``frozen`` still stand at ``NOW``). CI runs the suite again at instants that break code which
# reads the wall clock (.ci/run): the suite must pass at every hour of every day.
TEST_CLOCK = os.environ.get("TEST_CLOCK", "")


def _test_clock() -> datetime | None:
    if not TEST_CLOCK:
        return None
    try:
        instant = datetime.fromisoformat(TEST_CLOCK)
    except ValueError:
        raise pytest.UsageError(
            f"TEST_CLOCK={TEST_CLOCK!r} is not an ISO 8601 instant (2026-12-31T23:59:00+08:00)"
        ) from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK={TEST_CLOCK!r} needs its UTC offset (+08:00)")
    return instant


def pytest_configure(config):
    # STATIC_ROOT exists only after collectstatic; WhiteNoise serves from the finders in tests.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    instant = _test_clock()
    if instant is not None:
        config._test_clock = time_machine.travel(instant, tick=True)
        config._test_clock.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_test_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    return f"clock moved to {TEST_CLOCK} (TEST_CLOCK)" if TEST_CLOCK else None


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English unless they ask for Chinese, so that assertions are legible."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (allauth, API throttles) count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    """Time stands still at ``tests.clock.NOW`` (a Monday, 09:00 in the district)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_for():
    """``api_for(user)``: an API client signed in as ``user`` (``api_for()``: anonymous)."""
    return _api_for


# --- The cast ----------------------------------------------------------------------------------


@pytest.fixture
def district(db):
    return AreaFactory(name="示范区", name_en="Model District")


@pytest.fixture
def street(district):
    return StreetFactory(parent=district, name="幸福街道", name_en="Happiness Street")


@pytest.fixture
def community(street):
    return CommunityFactory(parent=street, name="和平社区", name_en="Peace Community")


@pytest.fixture
def host(db):
    return UserFactory(email="host@example.org", name="Host Hu")


@pytest.fixture
def venue(host, community):
    return VenueFactory(hosts=[host], area=community)


@pytest.fixture
def other_host(db):
    """The host of a venue in another district: nothing of ``venue`` is hers."""
    user = UserFactory(email="other.host@example.org", name="Other Host")
    VenueFactory(hosts=[user])
    return user


@pytest.fixture
def coordinator(district):
    return CoordinatorFactory(
        area=district, user=UserFactory(email="coordinator@example.org", name="Coordinator Chen")
    ).user


@pytest.fixture
def other_coordinator(db):
    """The coordinator of another district."""
    return CoordinatorFactory(
        user=UserFactory(email="other.coordinator@example.org", name="Other Ouyang")
    ).user


@pytest.fixture
def volunteer(db):
    return VolunteerFactory(user=UserFactory(email="li.na@example.org", name="Li Na"))


@pytest.fixture
def mediator(db):
    mediation = SkillFactory(
        code="mediation", name="调解", name_en="mediation", needs_verification=True
    )
    return VolunteerFactory(
        user=UserFactory(email="mediator@example.org", name="Mediator Ma"),
        with_skills=[mediation],
    )


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
