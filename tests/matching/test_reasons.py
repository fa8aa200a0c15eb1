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
            reason_text(reason="all_at_weekly_hours", counts={"at_weekly_hours": 3})
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
            reason_text(reason="all_at_weekly_hours", counts={"at_weekly_hours": 3})
            == "有3人符合条件，但本周时长已满。"
        )
        for reason in ("all_booked_elsewhere", "out_of_travel_range", "lost_to_other_slots"):
            text = reason_text(reason=reason, counts={"candidates": 2})
            assert text.startswith("有2人符合条件"), text


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
