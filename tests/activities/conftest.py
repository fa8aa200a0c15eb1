"""The activities' world: a series posted through the service at the cast's venue."""

from __future__ import annotations

from datetime import datetime

import pytest

from activities.models import Activity
from activities.services.activities import activity_create
from tests.clock import SH


@pytest.fixture
def post_series(host, venue):
    """``post_series(**changes)``: an activity posted by ``host`` at ``venue`` through
    ``activity_create``; by default a class on Tuesdays from 2 June 2026, 19:00–20:30, six
    times, needing two helpers."""

    def post(**changes) -> Activity:
        data = dict(
            by=host,
            venue=venue,
            kind=Activity.Kind.CLASS,
            title="七点钟学堂",
            starts_at=datetime(2026, 6, 2, 19, 0, tzinfo=SH),
            ends_at=datetime(2026, 6, 2, 20, 30, tzinfo=SH),
            rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
            roles=[{"needed": 2, "label": "Helper"}],
        )
        data.update(changes)
        return activity_create(**data)

    return post
