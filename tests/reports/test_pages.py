"""Report pages, the summary sentences, the printable page and who reaches them."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

Q1 = {"start": "2026-01-01", "end": "2026-03-31"}
YEAR_2026 = {"start": "2026-01-01", "end": "2026-12-31"}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_coordinator_sees_figures_tables_and_charts(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports"), {"area": world.district.pk, **Q1})
    assert response.status_code == 200
    page = _text(response)
    assert "Model District" in page
    assert "Activities by kind" in page
    assert "Rights-protection event" in page
    assert "Disputes received, by source and kind" in page
    assert "The district's streets compared" in page
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    assert figures["Hours served"] == "5"
    assert figures["Hours per volunteer (median)"] == "2.5"
    assert figures["Most hours by one volunteer"] == "3.5"
    assert figures["Days to settle a dispute (median)"] == "22"
    assert figures["Households visited"] == "2"
    charts = json.loads(
        re.search(
            r'<script id="report-charts" type="application/json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
    )
    assert charts["monthly"]["categories"] == ["2026-01", "2026-02", "2026-03"]
    assert charts["monthly"]["series"][0]["data"] == [1, 0, 1]
    assert {d["name"]: d["value"] for d in charts["kinds"]["data"]} == {
        "Class": 1,
        "Rights-protection event": 1,
    }
    assert charts["streets"]["categories"] == ["Bright Street", "Happiness Street"]
    # The chart's figures are also in a plain table beside it.
    assert 'data-chart="monthly"' in page
    assert 'id="table-monthly"' in page


def test_menu_shows_reports_to_coordinators_only(world, client):
    client.force_login(world.coordinator)
    assert reverse("reports") in client.get(reverse("home")).content.decode()
    client.force_login(world.volunteer)
    assert reverse("reports") not in client.get(reverse("home")).content.decode()


def test_street_coordinator_picks_only_her_areas(world, client):
    client.force_login(world.street_coordinator)
    response = client.get(reverse("reports"))
    assert response.status_code == 200
    select = re.search(r'<select id="report-area".*?</select>', response.content.decode(), re.S)
    options = re.findall(r'<option value="(\d+)"', select.group(0))
    assert options == [str(world.street.pk), str(world.community.pk)]


@pytest.mark.parametrize("who", ["volunteer", "host", "other_coordinator", "street_coordinator"])
def test_others_find_nothing(world, client, who):
    client.force_login(getattr(world, who))
    for name in ("reports", "reports_summary", "reports_print", "reports_workbook"):
        assert client.get(reverse(name), {"area": world.district.pk}).status_code == 404


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(reverse("reports"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_bad_date_shows_the_error_beside_the_field(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports"), {"start": "31/01/2026"})
    assert response.status_code == 400
    page = _text(response)
    assert 'id="report-start-error">Enter a date as YYYY-MM-DD' in page
    assert "the figures below are for this year so far" in page


def test_year_and_quarter_picker(world, client):
    client.force_login(world.coordinator)
    response = client.get(
        reverse("reports"), {"area": world.district.pk, "year": "2026", "part": "q1"}
    )
    assert response.status_code == 200
    assert response.context["report"].period.end.isoformat() == "2026-03-31"
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", _text(response)))
    assert figures["Sessions held"] == "2"
    assert '<option value="q1" selected>Quarter 1</option>' in _text(response)
    response = client.get(reverse("reports"), {"year": "2026", "part": "q9"})
    assert response.status_code == 400
    assert 'id="report-part-error">Choose the whole year, a quarter or a month.' in _text(response)


def test_bad_date_in_chinese(world, client):
    world.coordinator.preferred_language = "zh-hans"
    world.coordinator.save()
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("reports"), {"end": "2026-02-30"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "请按 YYYY-MM-DD 填写日期" in response.content.decode()


def test_summary_in_both_languages(world, client):
    # The whole of 2026 adds to the quarter the class of 1 April (v2 attended, 1 hour) and the
    # step-1 visit to d2 on 1 April: 3 households, 4 visits, 3 volunteers, 6 hours.
    client.force_login(world.coordinator)
    response = client.get(reverse("reports_summary"), {"area": world.district.pk, **YEAR_2026})
    assert response.status_code == 200
    page = _text(response)
    assert (
        "2026年全年，示范区入户走访 3 户（走访 4 次），妥善处理来访来信 2 件，受理各类纠纷 3 件，"
        "立案 2 件，结案 0 件，化解婚姻家庭矛盾纠纷 2 起，举办维权活动 1 场。"
    ) in page
    assert "移交公安、司法、法院联动处置 1 件，仍在跟进 1 件，化解用时中位数 22 天。" in page
    assert "巾帼志愿者 3 人服务 6 小时（其中新增 1 人，人均服务时长中位数 1.5 小时）" in page
    assert (
        "In 2026, Model District: households visited 3 (home visits 4); letters and visits "
        "received 2; disputes received 3, accepted 2, closed 0; marital and family disputes "
        "settled 2; rights-protection events held 1."
    ) in page
    # What the platform cannot know is said, not invented.
    assert "以下数字本平台没有记录，需另行统计：受理救助件数" in page
    assert "Not recorded on this platform, to be counted elsewhere: aid cases accepted" in page
    assert 'data-copy="summary-zh-hans"' in page
    assert 'data-copy="summary-en"' in page
    assert re.search(r'<script src="[^"]*reports/copy[^"]*\.js"', page)


def test_summary_of_a_community_hides_small_counts(world, client):
    client.force_login(world.street_coordinator)
    response = client.get(reverse("reports_summary"), {"area": world.community.pk, **Q1})
    page = _text(response)
    assert "受理各类纠纷 少于5 件" in page
    assert "disputes received fewer than 5, accepted fewer than 5" in page


def test_printable_page(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("reports_print"), {"area": world.district.pk, **Q1})
    assert response.status_code == 200
    page = _text(response)
    assert "reports/reports" in page and ".css" in page
    assert (
        "From 2026-01-01 to 2026-03-31, Model District: households visited 2 (home visits 3)"
        in page
    )
    assert "Home visits by step" in page
