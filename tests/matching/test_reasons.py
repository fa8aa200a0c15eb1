"""Empty seats explained in plain words, in both languages."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from matching.reasons import reason_text

TUESDAY_EVENING = datetime.combine(
    date(2026, 12, 8), time(18, 30), tzinfo=ZoneInfo("Asia/Shanghai")
)


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def test_nobody_with_the_skill_is_free_names_skill_weekday_and_part_of_day():
    with translation.override("en"):
        text = reason_text(
            reason="no_one_available", skill="counselling", starts_at=TUESDAY_EVENING
        )
    assert text == "Nobody with the counselling skill is free on Tuesday evening."


def test_people_at_their_weekly_hours_are_counted():
    with translation.override("en"):
        assert (
            reason_text(
                reason="all_at_weekly_hours", counts={"at_weekly_hours": 3, "booked_elsewhere": 0}
            )
            == "3 people fit but are at their weekly hours."
        )
        assert (
            reason_text(reason="all_at_weekly_hours", counts={"at_weekly_hours": 1})
            == "1 person fits but is at their weekly hours."
        )


def test_every_reason_reads_in_chinese():
    with translation.override("zh-hans"):
        assert (
            reason_text(reason="no_one_available", skill="心理咨询", starts_at=TUESDAY_EVENING)
            == "星期二晚上没有具备心理咨询技能的志愿者有空。"
        )
        assert (
            reason_text(reason="no_skill", skill="心理咨询")
            == "本区域没有具备心理咨询技能的志愿者。"
        )
        assert (
            reason_text(
                reason="all_at_weekly_hours", counts={"at_weekly_hours": 3, "booked_elsewhere": 0}
            )
            == "有3人符合条件，但本周时长已满。"
        )
        counts = {"booked_elsewhere": 1, "at_weekly_hours": 1, "out_of_range": 2, "free": 2}
        for reason in ("lost_to_other_slots", "out_of_travel_range"):
            text = reason_text(reason=reason, counts=counts)
            assert text.startswith("有2人符合条件"), text
        assert reason_text(reason="all_booked_elsewhere", counts=counts) == (
            "有1人符合条件，但当时已在别处值班。"
        )
        assert "重新" in reason_text(reason="not_reached", counts=counts)


def test_engine_counts_behind_each_reason():
    counts = {
        "lacks_skills": 40,
        "unavailable": 7,
        "out_of_range": 4,
        "max_hours_too_low": 1,
        "excluded": 1,
        "booked_elsewhere": 2,
        "at_weekly_hours": 3,
        "free": 0,
    }
    with translation.override("en"):
        assert reason_text(reason="lost_to_other_slots", counts=counts) == (
            "5 people fit but are needed more at other slots."
        )
        assert reason_text(reason="all_booked_elsewhere", counts=counts) == (
            "2 people fit but are booked elsewhere at that time."
        )
        assert reason_text(reason="out_of_travel_range", counts=counts) == (
            "4 people fit but live farther away than they will travel."
        )
        assert reason_text(reason="excluded", counts=counts) == (
            "The one person who could come was removed from this seat by a coordinator."
        )
        assert reason_text(reason="not_reached", counts={**counts, "free": 2}) == (
            "2 people could still take it: the matcher ran out of time; run it again."
        )


def test_language_and_morning_and_unknown_reason():
    morning = TUESDAY_EVENING.replace(hour=9)
    with translation.override("en"):
        assert (
            reason_text(reason="no_one_available", language_code="ja", starts_at=morning)
            == "Nobody who speaks Japanese is free on Tuesday morning."
        )
        assert reason_text(reason="no_one_available", starts_at=morning.replace(hour=14)) == (
            "Nobody is free on Tuesday afternoon."
        )
        assert reason_text(reason="something_new") == "Nobody could be found for this seat."


def test_a_slot_at_twelve_is_at_noon():
    thursday_noon = datetime.combine(
        date(2026, 12, 10), time(12, 0), tzinfo=ZoneInfo("Asia/Shanghai")
    )
    with translation.override("en"):
        assert (
            reason_text(reason="no_one_available", starts_at=thursday_noon)
            == "Nobody is free on Thursday noon."
        )
    with translation.override("zh-hans"):
        text = reason_text(reason="no_one_available", starts_at=thursday_noon)
    assert "中午" in text
    assert "下午" not in text
