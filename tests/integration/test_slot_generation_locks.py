"""On PostgreSQL: the periodic generation skips an activity being edited instead of waiting."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from activities.models import Activity
from activities.services.activities import activity_create, slots_generate
from tests.concurrency import ON_POSTGRES
from tests.factories import UserFactory, VenueFactory

pytestmark = ON_POSTGRES


def post(venue, host, title):
    start = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    return activity_create(
        by=host,
        venue=venue,
        kind=Activity.Kind.CLASS,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=30",
        roles=[{"needed": 1}],
    )


def test_generation_skips_a_locked_activity_and_does_the_rest(settings):
    settings.SLOT_HORIZON_WEEKS = 2
    host = UserFactory()
    venue = VenueFactory(hosts=[host])
    busy = post(venue, host, "在编辑")
    free = post(venue, host, "空闲")
    busy_before, free_before = busy.slots.count(), free.slots.count()

    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        try:
            with transaction.atomic():
                Activity.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        created = slots_generate(until=timezone.now() + timedelta(weeks=10))
    finally:
        release.set()
        holder.join()
    assert busy.slots.count() == busy_before
    assert free.slots.count() == free_before + created
    assert created > 0
    # Once the edit is over, the next run catches up.
    assert slots_generate(until=timezone.now() + timedelta(weeks=10)) == created
