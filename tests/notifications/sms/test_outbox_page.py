"""The coordinators' outbox page: statuses, failures in words, opt-outs, counts per day."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Message, OptOut
from tests.factories import CoordinatorFactory, UserFactory, VenueFactory
from tests.world import reachable_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts():
    anna = reachable_volunteer()
    Message.objects.create(
        to=anna.phone,
        body="Reminder: Sewing class",
        kind="reminder",
        language="en",
        status="delivered",
        user=anna.user,
    )
    Message.objects.create(
        to="+8613000000000",
        body="Confirmed: Law talk",
        kind="confirmed",
        language="en",
        status="failed",
        error_code=21211,
        error_message="The 'To' number is not a valid phone number.",
    )
    Message.objects.create(
        to="+8613000000001",
        body="Moved: Salon",
        kind="slot_changed",
        language="en",
        status="suppressed",
        suppressed_reason="opt_out",
    )
    OptOut.objects.create(phone="+8613000000001", source="keyword", keyword="退订")


def test_a_coordinator_sees_every_text_with_status_and_reasons(client, texts):
    coordinator = CoordinatorFactory().user
    client.force_login(coordinator)
    response = client.get(reverse("outbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reminder: Sewing class" in page and "Delivered" in page
    assert "Error 21211" in page
    assert "not a valid mobile number" in page
    assert "Opted out (STOP)" in page
    assert "+8613000000001" in page and "退订" in page
    assert "Texts per day" in page


def test_the_status_filter_narrows_the_list(client, texts):
    client.force_login(CoordinatorFactory().user)
    page = client.get(reverse("outbox"), {"status": "failed"}).content.decode()
    assert "Confirmed: Law talk" in page and "Reminder: Sewing class" not in page


def test_the_filter_answers_htmx_with_the_table_only(client, texts):
    client.force_login(CoordinatorFactory().user)
    response = client.get(reverse("outbox"), {"status": "delivered"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "Reminder: Sewing class" in page


def test_the_page_is_in_chinese_for_a_chinese_coordinator(client, texts):
    client.force_login(CoordinatorFactory(user=UserFactory(preferred_language="zh-hans")).user)
    page = client.get(reverse("outbox")).content.decode()
    assert "短信发件箱" in page and "这不是有效的手机号码" in page


@pytest.mark.parametrize("who", ["volunteer", "host"])
def test_others_are_refused(client, texts, who):
    if who == "volunteer":
        user = reachable_volunteer().user
    else:
        user = UserFactory()
        VenueFactory(hosts=[user])
    client.force_login(user)
    response = client.get(reverse("outbox"))
    assert response.status_code == 403
    assert "Reminder: Sewing class" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, texts):
    response = client.get(reverse("outbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
