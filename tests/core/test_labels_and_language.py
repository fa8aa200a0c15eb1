"""What a newcomer reads: labels translated rightly, languages and kinds by name, one clock,
areas named one way, the site named in its emails, and admin labels that say what they mean."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from matching.models import MatchRun
from notifications.models import Message
from tests.clock import NOW, SH
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    SlotFactory,
    SlotRoleFactory,
    StreetFactory,
    TeamFactory,
    VenueFactory,
)
from tests.world import make_volunteer
from volunteers.models import TeamMembership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def in_chinese(client, user):
    user.preferred_language = "zh-hans"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client


def test_new_activity_form_labels_the_end_time_as_such(client, host, venue):
    body = in_chinese(client, host).get(reverse("activity_new", args=[venue.pk])).content
    text = body.decode()
    assert "结束时间" in text
    assert "开始时间" in text
    assert "发往" not in text


def test_the_preview_of_a_fresh_form_shows_no_errors(client, host, venue):
    client.force_login(host)
    url = reverse("recurrence_preview", args=[venue.pk])
    fresh = client.get(url).content.decode()
    assert "This field is required." not in fresh
    assert "The next dates appear here as you fill in the times." in fresh
    typed = client.get(url, {"date": "2026-06-09", "start_time": "25:99"}).content.decode()
    assert "Enter a valid time." in typed


def test_outbox_names_kinds_and_columns_in_chinese(client, admin):
    Message.objects.create(to="+8613800000000", body="提醒", language="zh-hans", kind="reminder")
    Message.objects.create(to="+8613800000001", body="x", language="zh-hans", kind="assigned")
    text = in_chinese(client, admin).get(reverse("outbox")).content.decode()
    assert "<td>提醒</td>" in text
    assert "<td>协调员安排</td>" in text
    assert ">筛选</button>" in text
    assert '<th scope="col">日期</th>' in text
    for raw in ("<td>reminder</td>", "<td>assigned</td>", "过滤器", '<th scope="col">星期</th>'):
        assert raw not in text


def test_outbox_names_kinds_in_english(client, admin):
    Message.objects.create(to="+8613800000000", body="x", language="en", kind="reminder")
    client.force_login(admin)
    assert "<td>Reminder</td>" in client.get(reverse("outbox")).content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_switcher_offers_each_language_in_its_own_name(language):
    client = Client()
    client.cookies["django_language"] = language
    text = client.get("/").content.decode()
    assert 'lang="en" selected>English</option>' in text or 'lang="en">English</option>' in text
    assert "简体中文</option>" in text
    assert "英语</option>" not in text
    assert "Simplified Chinese</option>" not in text


def test_the_confirmation_email_names_the_site_not_the_host():
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    client.post(
        "/accounts/signup/",
        {
            "email": "new.volunteer@example.org",
            "name": "王芳",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.body.startswith("妇联志愿者向您问好。")
    assert "Hello" not in message.body
    assert "testserver" not in message.body.splitlines()[0]
    assert message.subject.startswith("[妇联志愿者] ")


def test_english_times_use_the_24_hour_clock(client):
    volunteer = make_volunteer()
    start = datetime(2026, 6, 3, 18, 30, tzinfo=SH)
    slot = SlotFactory(
        activity=ActivityFactory(starts_at=start, ends_at=start + timedelta(hours=1, minutes=30))
    )
    AssignmentFactory(role=SlotRoleFactory(slot=slot), volunteer=volunteer)
    client.force_login(volunteer.user)
    text = client.get("/").content.decode()
    assert "June 3, 2026, 18:30" in text
    assert "p.m." not in text


def test_slot_names_in_the_admin_are_in_local_time(client, admin):
    start = datetime(2026, 6, 3, 19, 0, tzinfo=SH)
    slot = SlotFactory(
        activity=ActivityFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    )
    assert str(slot).endswith("2026-06-03 19:00")
    client.force_login(admin)
    text = client.get(reverse("admin:activities_slot_changelist")).content.decode()
    assert "2026-06-03 19:00" in text
    assert "2026-06-03 11:00" not in text
    assert "Changed on its own" in text
    assert "Detached" not in text


def test_a_match_run_is_named_with_its_status_in_words(district):
    run = MatchRun.objects.create(
        area=district, start=NOW.date(), end=NOW.date(), status=MatchRun.Status.DONE
    )
    assert str(run).endswith("(Proposal ready)")


def test_areas_are_named_name_first_everywhere(client, coordinator, venue, street):
    town = StreetFactory(parent=street.parent, name="新泾镇", name_en="Xinjing Town", is_town=True)
    VenueFactory(area=town)
    client.force_login(coordinator)
    whats_on = client.get(reverse("whats_on")).content.decode()
    matcher = client.get(reverse("matching_runs")).content.decode()
    for page in (whats_on, matcher):
        assert "Model District · District" in page
        assert "Happiness Street · Street" in page
        assert "Xinjing Town · Town" in page
        assert "District · Model District" not in page
    assert town.level_label == "Town"


def test_the_matcher_page_has_one_name_in_title_and_heading(client, coordinator):
    text = in_chinese(client, coordinator).get(reverse("matching_runs")).content.decode()
    title = text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "智能排班" in title
    assert "智能匹配" not in text


def test_the_admin_has_one_section_called_accounts(client, admin):
    text = in_chinese(client, admin).get(reverse("admin:index")).content.decode()
    assert text.count(">账户<") <= 1
    assert "用户与接口令牌" in text


def test_admin_names_show_statuses_and_roles_in_words(admin, client):
    assignment = AssignmentFactory()
    assert str(assignment).endswith("(Confirmed)")
    member = TeamMembership.objects.create(team=TeamFactory(), volunteer=assignment.volunteer)
    assert str(member).endswith("(Member)")
    message = Message.objects.create(to="+8613800000000", body="x", language="en", kind="reminder")
    assert str(message) == "+8613800000000 · Reminder · Queued"
    client.force_login(admin)
    text = client.get(reverse("admin:activities_assignment_changelist")).content.decode()
    assert "(Confirmed)" in text and "(confirmed)" not in text
