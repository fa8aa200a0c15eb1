"""A district with two streets, a coordinator for the district and one for each street."""

from __future__ import annotations

import pytest

from tests.factories import (
    AreaFactory,
    CommunityFactory,
    CoordinatorFactory,
    StreetFactory,
)


@pytest.fixture
def district(db):
    district = AreaFactory(name="长宁区", name_en="Changning")
    east, west = StreetFactory(parent=district), StreetFactory(parent=district)
    return {
        "district": district,
        "east": east,
        "west": west,
        "east_community": CommunityFactory(parent=east),
        "west_community": CommunityFactory(parent=west),
        "district_coordinator": CoordinatorFactory(area=district).user,
        "east_coordinator": CoordinatorFactory(area=east).user,
        "west_coordinator": CoordinatorFactory(area=west).user,
    }
