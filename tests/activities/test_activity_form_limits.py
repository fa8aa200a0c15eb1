"""The activity form says how long a title may be, the limit is the model's, and a longer one is
refused naming the field instead of being cut without a word."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import Activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_the_title_limit_is_the_models_and_is_shown(client, host, venue):
    limit = Activity._meta.get_field("title").max_length
    client.force_login(host)
    page = client.get(reverse("activity_new", args=[venue.pk])).content.decode()
    assert f'name="title" maxlength="{limit}"' in page
    assert f"At most {limit} characters." in page


def test_a_longer_title_is_refused_with_a_message(client, host, venue):
    client.force_login(host)
    response = client.post(
        reverse("activity_new", args=[venue.pk]),
        {"kind": "class", "title": "长" * 500, "date": "2026-06-09"},
    )
    text = response.content.decode()
    assert "Ensure this value has at most 200 characters (it has 500)." in text
    assert Activity.objects.count() == 0


def test_the_limit_reads_in_chinese(client, host, venue):
    host.preferred_language = "zh-hans"
    host.save()
    client.force_login(host)
    page = client.get(reverse("activity_new", args=[venue.pk])).content.decode()
    assert "最多 200 个字。" in page
