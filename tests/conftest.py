"""What every test shares: English by default, a fresh cache, the frozen clock, the cast by
role and an API client for any of them.

The cast: ``volunteer`` (a profile; her account is ``.user``), ``host`` (of ``venue``, in
``community`` under ``street`` under ``district``), ``other_host`` (of a venue in another
district), ``coordinator`` (of ``district``, so of the venue's area), ``other_coordinator`` (of
another district), ``mediator`` (a volunteer with the verified mediation skill) and ``admin``
(a superuser). Each is made only when a test asks for it.
"""

from __future__ import annotations

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


def pytest_configure(config):
    # STATIC_ROOT exists only after collectstatic; WhiteNoise serves from the finders in tests.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


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
