"""Recurrence rules: built from the friendly form, validated, expanded on the local clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from activities import recurrence

SH = ZoneInfo("Asia/Shanghai")


def at(tz: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


def test_friendly_form_builds_a_weekly_rule_ending_at_the_end_of_the_local_day():
    rule = recurrence.rrule_build(
        frequency="weekly", weekdays=[3, 1], until=date(2026, 6, 30), tz="Asia/Shanghai"
    )
    # 30 June 23:59:59 in Shanghai is 15:59:59 UTC.
    assert rule == "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260630T155959Z"


def test_tuesday_and_thursday_class_until_end_of_june_except_holidays():
    rule = recurrence.rrule_build(
        frequency="weekly", weekdays=[1, 3], until=date(2026, 6, 30), tz="Asia/Shanghai"
    )
    occ = recurrence.occurrences(
        starts_at=at("Asia/Shanghai", 2026, 6, 1, 19, 0),
        ends_at=at("Asia/Shanghai", 2026, 6, 1, 20, 30),
        rrule=rule,
        exdates=["2026-06-19"],  # no class on that day (a Friday: nothing to skip)
        tz="Asia/Shanghai",
    )
    local = [o.starts_at.astimezone(SH) for o in occ]
    assert [d.day for d in local] == [2, 4, 9, 11, 16, 18, 23, 25, 30]
    assert all((d.hour, d.minute) == (19, 0) for d in local)
    assert all(o.ends_at - o.starts_at == timedelta(minutes=90) for o in occ)
    occ = recurrence.occurrences(
        starts_at=at("Asia/Shanghai", 2026, 6, 1, 19, 0),
        ends_at=at("Asia/Shanghai", 2026, 6, 1, 20, 30),
        rrule=rule,
        exdates=["2026-06-18", date(2026, 6, 25)],
        tz="Asia/Shanghai",
    )
    assert [o.starts_at.astimezone(SH).day for o in occ] == [2, 4, 9, 11, 16, 23, 30]


def test_results_are_utc_and_windowed():
    occ = recurrence.occurrences(
        starts_at=at("Asia/Shanghai", 2026, 6, 1, 19, 0),
        ends_at=at("Asia/Shanghai", 2026, 6, 1, 20, 0),
        rrule="FREQ=DAILY;COUNT=10",
        exdates=[],
        tz="Asia/Shanghai",
        after=datetime(2026, 6, 3, 11, 0, tzinfo=UTC),
        before=datetime(2026, 6, 5, 11, 0, tzinfo=UTC),
    )
    assert [o.starts_at for o in occ] == [
        datetime(2026, 6, 3, 11, 0, tzinfo=UTC),
        datetime(2026, 6, 4, 11, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Europe/Berlin leaves summer time on 25 October 2026.
        ("Europe/Berlin", (2026, 10, 20), (2026, 10, 27)),
        # New York starts summer time on 8 March 2026.
        ("America/New_York", (2026, 3, 3), (2026, 3, 10)),
    ],
)
def test_seven_pm_stays_seven_pm_across_a_dst_change(tz, before, after):
    occ = recurrence.occurrences(
        starts_at=at(tz, *before, 19, 0),
        ends_at=at(tz, *before, 20, 30),
        rrule="FREQ=WEEKLY;COUNT=2",
        exdates=[],
        tz=tz,
    )
    first, second = occ
    local = [o.starts_at.astimezone(ZoneInfo(tz)) for o in occ]
    assert [(d.date(), d.hour, d.minute) for d in local] == [
        (date(*before), 19, 0),
        (date(*after), 19, 0),
    ]
    # The UTC offset changed, so the UTC hour did too.
    assert first.starts_at.astimezone(UTC).hour != second.starts_at.astimezone(UTC).hour
    assert second.ends_at.astimezone(ZoneInfo(tz)).hour == 20
    assert second.ends_at.astimezone(ZoneInfo(tz)).minute == 30


def test_rule_with_local_until_is_normalised_to_utc():
    assert (
        recurrence.rrule_normalize("RRULE:FREQ=WEEKLY;UNTIL=20260630", tz="Asia/Shanghai")
        == "FREQ=WEEKLY;UNTIL=20260630T155959Z"
    )


def _errors(**kwargs):
    base = dict(
        starts_at=at("Asia/Shanghai", 2026, 6, 1, 19, 0),
        ends_at=at("Asia/Shanghai", 2026, 6, 1, 20, 30),
        rrule="",
        exdates=[],
        tz="Asia/Shanghai",
    )
    base.update(kwargs)
    return recurrence.validate(**base)


@pytest.mark.parametrize(
    ("kwargs", "field", "english", "chinese"),
    [
        (
            {"ends_at": at("Asia/Shanghai", 2026, 6, 1, 18, 0)},
            "ends_at",
            "The end must be after the start.",
            "结束时间必须晚于开始时间。",
        ),
        (
            {"ends_at": at("Asia/Shanghai", 2026, 6, 2, 8, 0)},
            "ends_at",
            "A slot cannot be longer than 12 hours.",
            "一个时段不能超过 12 小时。",
        ),
        (
            {"starts_at": datetime(2026, 6, 1, 19, 0)},
            "starts_at",
            "Give the time with its time zone (for example +08:00).",
            "请给出带时区的时间（例如 +08:00）。",
        ),
        (
            {"rrule": "FREQ=HOURLY;COUNT=5"},
            "rrule",
            "An activity can repeat at most once a day.",
            "活动最多每天重复一次。",
        ),
        (
            {"rrule": "FREQ=DAILY;BYHOUR=9,19;COUNT=5"},
            "rrule",
            "An activity can repeat at most once a day.",
            "活动最多每天重复一次。",
        ),
        (
            {"rrule": "FREQ=WEEKLY"},
            "rrule",
            "Say until which date it repeats, or how many times (at most 500).",
            "请说明重复到哪一天，或重复多少次（最多 500 次）。",
        ),
        (
            {"rrule": "FREQ=DAILY;COUNT=501"},
            "rrule",
            "A series can have at most 500 occurrences; end it sooner.",
            "一个系列最多 500 次；请提前结束。",
        ),
        (
            {"rrule": "FREQ=DAILY;UNTIL=20290101"},
            "rrule",
            "A series can have at most 500 occurrences; end it sooner.",
            "一个系列最多 500 次；请提前结束。",
        ),
        (
            {"exdates": ["30/06/2026"]},
            "exdates",
            "“30/06/2026” is not a date (write it as YYYY-MM-DD).",
            "“30/06/2026”不是日期（请写成 YYYY-MM-DD）。",
        ),
    ],
)
def test_validation_messages_in_both_languages(kwargs, field, english, chinese):
    with translation.override("en"):
        assert english in _errors(**kwargs)[field]
    with translation.override("zh-hans"):
        assert chinese in _errors(**kwargs)[field]


def test_exactly_500_occurrences_is_allowed():
    assert _errors(rrule="FREQ=DAILY;COUNT=500") == {}


def test_dates_that_are_all_excepted_are_refused():
    errors = _errors(rrule="FREQ=DAILY;COUNT=2", exdates=["2026-06-01", "2026-06-02"])
    assert "exdates" in errors


def test_split_helpers_end_the_rule_before_an_occurrence():
    rule = recurrence.rrule_with_until(
        "FREQ=WEEKLY;BYDAY=TU;COUNT=10", until=datetime(2026, 6, 16, 11, 0, tzinfo=UTC)
    )
    assert rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260616T105959Z"
    assert recurrence.rrule_count("FREQ=WEEKLY;COUNT=7") == 7
