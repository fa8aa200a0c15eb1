"""Every SMS text, in both languages, with long real-world values: at most two segments, one
where the values allow it; Chinese counted in UCS-2 (70 characters a segment)."""

from __future__ import annotations

import re

import pytest

from notifications.segments import encoding, segments
from notifications.texts import TEXTS, sms_text_render

LONG = {
    "en": {
        "title": "International culture exchange salon with the foreign mothers' volunteer team",
        "venue": "Women's Home of the Riverside Commercial-Residential Compound, Building 3",
    },
    "zh-hans": {
        "title": "国际文化交流沙龙——洋妈妈巾帼志愿服务队专场（第三期）暨亲子手工课",
        "venue": "滨江街道滨江商住一体小区妇女之家（三号楼一层多功能活动室）",
    },
}
COMMON = {
    "when": "11月30日周一 09:00",
    "until": "09:30",
    "link": "https://volunteers.example-district-womens-federation.org/s/123456/",
    "code": "482913",
    "minutes": "10",
    "contact": "+862112345678",
    "y": "Y 48",
    "n": "N 48",
    "choices": "Y 12 (国际文化交流沙龙 11月30日周一 09:00); Y 48 (法律讲座 12月1日周二 14:00)",
    # Mediation: a case reference and a role, never a name or a detail.
    "ref": "KX7M3TQ",
    "role": "Assistant mediator",
}
# Texts without long values must fit one segment in either language.
ONE_SEGMENT = {
    "backfill_gone",
    "backfill_declined",
    "reply_stop",
    "reply_start",
    "reply_help",
    "reply_unknown",
    "reply_nothing_open",
    "signin_code",
}


def _values(language: str) -> dict:
    values = dict(COMMON, **LONG[language])
    if language == "en":
        values["when"] = "Mon 30 Nov 09:00"
    return values


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_every_text_fits_two_segments_at_most(kind, language):
    text = sms_text_render(kind, language=language, values=_values(language))
    assert segments(text) <= 2, (kind, language, len(text), text)
    if kind in ONE_SEGMENT:
        assert segments(text) == 1, (kind, language, len(text), text)
    if language.startswith("zh"):
        assert encoding(text) == "UCS-2"
        assert re.search(r"[\u4e00-\u9fff]", text), "the Chinese text is translated"
    assert "%(" not in text


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_short_values_keep_a_shift_text_to_one_segment(language):
    values = dict(_values(language), title="法律讲座" if language != "en" else "Law talk")
    values.update(
        venue="妇女之家" if language != "en" else "Women's Home", link="https://wf.cn/s/9/"
    )
    values.update(y="Y", n="N")
    for kind in ("confirmed", "reminder", "slot_cancelled", "backfill_offer", "dispute_assigned"):
        text = sms_text_render(kind, language=language, values=values)
        assert segments(text) == 1, (kind, language, len(text), text)


def test_english_texts_stay_in_gsm7_when_the_values_do():
    values = dict(_values("en"), choices="Y 12 (Law talk Mon 09:00)")
    for kind in TEXTS:
        text = sms_text_render(kind, language="en", values=values)
        assert encoding(text) == "GSM-7", (kind, text)


def test_long_values_are_shortened_not_the_message():
    text = sms_text_render("reminder", language="en", values=_values("en"))
    assert text.startswith("Reminder: International")
    assert "Reply Y 48 if you're coming, N 48 to give up your seat." in text
    assert "..." in text


def test_segment_counting():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("a" * 306) == 2 and segments("a" * 307) == 3
    assert segments("中" * 70) == 1 and segments("中" * 71) == 2
    assert segments("中" * 134) == 2 and segments("中" * 135) == 3
    assert segments("{" * 80) == 1 and segments("{" * 81) == 2  # two septets each


def test_a_dispute_text_names_nothing_of_the_case():
    for language in ("en", "zh-hans"):
        template_fields = set(re.findall(r"%\((\w+)\)s", str(TEXTS["dispute_assigned"])))
        assert template_fields == {"link"}
        text = sms_text_render(
            "dispute_assigned", language=language, values={"link": "https://x.org/d/1/"}
        )
        assert text.endswith("https://x.org/d/1/")
