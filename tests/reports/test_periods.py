"""Periods: presets, defaults and refusals, with edges at the district's local midnight."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from core.errors import ValidationFailed
from reports.periods import Period, period_choice, period_parse, period_presets
from tests.clock import SH


def test_edges_are_local_midnights():
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert period.start_at == datetime(2026, 1, 1, 0, 0, tzinfo=SH)
    assert period.end_at == datetime(2026, 2, 1, 0, 0, tzinfo=SH)
    assert period.start_at.utcoffset().total_seconds() == 8 * 3600


def test_presets_on_a_day_in_may():
    presets = dict(period_presets(today=date(2026, 5, 20)))
    assert presets["This year so far"] == Period(date(2026, 1, 1), date(2026, 5, 20))
    assert presets["Last year"] == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert presets["This quarter so far"] == Period(date(2026, 4, 1), date(2026, 5, 20))
    assert presets["Last quarter"] == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert presets["This month so far"] == Period(date(2026, 5, 1), date(2026, 5, 20))
    assert presets["Last month"] == Period(date(2026, 4, 1), date(2026, 4, 30))


def test_last_quarter_in_january_is_the_previous_years():
    presets = dict(period_presets(today=date(2026, 1, 15)))
    assert presets["Last quarter"] == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert presets["Last month"] == Period(date(2025, 12, 1), date(2025, 12, 31))


def test_defaults_read_the_district_clock():
    # 07:30 on 1 January in Shanghai is still 31 December in UTC: this year so far is one day.
    with time_machine.travel(datetime(2027, 1, 1, 7, 30, tzinfo=SH), tick=False):
        assert period_parse(start=None, end=None) == Period(date(2027, 1, 1), date(2027, 1, 1))
        # A start in an earlier year runs to the end of that year.
        assert period_parse(start="2025-07-01", end=None) == Period(
            date(2025, 7, 1), date(2025, 12, 31)
        )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2026-02-30", None, "start"),
        ("2026-01-01", "31.01.2026", "end"),
        ("2026-03-01", "2026-02-28", "end"),
        ("2019-01-01", "2026-12-31", "end"),
    ],
)
def test_refusals_name_the_field(start, end, field):
    with pytest.raises(ValidationFailed) as refused:
        period_parse(start=start, end=end)
    assert list(refused.value.errors) == [field]


@pytest.mark.parametrize(
    ("part", "first", "last"),
    [
        ("year", date(2028, 1, 1), date(2028, 12, 31)),
        ("q1", date(2028, 1, 1), date(2028, 3, 31)),
        ("q4", date(2028, 10, 1), date(2028, 12, 31)),
        ("m2", date(2028, 2, 1), date(2028, 2, 29)),
        ("m12", date(2028, 12, 1), date(2028, 12, 31)),
    ],
)
def test_year_quarter_month(part, first, last):
    assert period_choice(year="2028", part=part) == Period(first, last)


@pytest.mark.parametrize(
    ("year", "part", "field"),
    [("20x6", "year", "year"), ("1999", "q1", "year"), ("2026", "q5", "part")],
)
def test_bad_choices_name_the_field(year, part, field):
    with pytest.raises(ValidationFailed) as refused:
        period_choice(year=year, part=part)
    assert list(refused.value.errors) == [field]
