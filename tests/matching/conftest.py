"""The matcher's world: a district with a street, a community, a venue, its host, coordinators
in and out of the area, two skills, and next week's Tuesday (see ``tests.world.build_world``)."""

import pytest

from tests.world import build_world


@pytest.fixture
def world(db, settings):
    settings.MATCHER_TIME_LIMIT_SECONDS = 5
    return build_world()
