"""Properties of the expansion, over many rules, zones and dates (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from activities import recurrence

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Sydney"]


@settings(max_examples=150, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    first=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    at=st.times(min_value=time(6, 0), max_value=time(21, 0)).map(
        lambda t: t.replace(second=0, microsecond=0)
    ),
    minutes=st.integers(min_value=15, max_value=12 * 60),
    frequency=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), max_size=7),
    interval=st.integers(min_value=1, max_value=4),
    count=st.integers(min_value=1, max_value=60),
)
def test_every_occurrence_keeps_the_local_time_and_length(
    tz, first, at, minutes, frequency, weekdays, interval, count
):
    zi = ZoneInfo(tz)
    starts_at = datetime.combine(first, at, tzinfo=zi)
    # Skip wall-clock times that do not exist on the first day (spring-forward gaps).
    if starts_at.astimezone(ZoneInfo("UTC")).astimezone(zi).time() != at:
        return
    ends_at = starts_at + timedelta(minutes=minutes)
    rule = recurrence.rrule_build(
        frequency=frequency,
        tz=tz,
        interval=interval,
        weekdays=weekdays if frequency == "WEEKLY" else (),
        count=count,
    )
    found = recurrence.occurrences(
        starts_at=starts_at, ends_at=ends_at, rrule=rule, exdates=(), tz=tz
    )
    assert 1 <= len(found) <= count
    assert all(a.starts_at < b.starts_at for a, b in zip(found, found[1:], strict=False))
    wall_length = (
        datetime.combine(first, at) + timedelta(minutes=minutes) - datetime.combine(first, at)
    )
    for occ in found:
        local_start = occ.starts_at.astimezone(zi)
        local_end = occ.ends_at.astimezone(zi)
        if local_start.replace(tzinfo=None).time() != at:
            # Only an occurrence on a spring-forward day at a time that does not exist moves.
            continue
        assert local_start.time() == at
        if local_end.replace(tzinfo=None) - local_start.replace(tzinfo=None) == wall_length:
            continue
        # The end fell into a DST gap or fold; its length differs by the clock change only.
        assert abs((occ.ends_at - occ.starts_at) - wall_length) <= timedelta(hours=1)
    # Excepting each date in turn removes exactly that occurrence.
    day = found[-1].starts_at.astimezone(zi).date()
    fewer = recurrence.occurrences(
        starts_at=starts_at, ends_at=ends_at, rrule=rule, exdates=[day.isoformat()], tz=tz
    )
    assert len(fewer) == len(found) - 1
