"""Actions that cannot be undone or that text many people ask first, in a native dialog
(data-confirm, opened by static/js/site.js: the CSP refuses inline scripts), and say how many
people will be told; cancelling her place is set apart from "I am coming" and looks different."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from activities.models import Assignment, Slot
from tests.factories import VolunteerFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def form_for(page: str, action: str) -> str:
    """The opening tag of the form posting to ``action``."""
    found = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>', page)
    assert found, action
    return html.unescape(found.group(0))


def seat(slot, status="confirmed"):
    return Assignment.objects.create(
        slot=slot, role=slot.roles.first(), volunteer=VolunteerFactory(), status=status
    )


def test_cancelling_an_occurrence_asks_and_counts_the_people_told(client, host, post_series):
    activity = post_series()
    first, second, *_rest = Slot.objects.filter(activity=activity).order_by("starts_at")
    seat(first)
    seat(first, status="waitlisted")
    seat(second)
    client.force_login(host)
    page = client.get(reverse("host_slot", args=[first.pk])).content.decode()
    form = form_for(page, reverse("host_slot_cancel", args=[first.pk]))
    assert (
        'data-confirm="Cancel it? 2 people on this date are told by SMS '
        '(3 with the following dates, 3 for the whole series)."'
    ) in form
    assert 'data-confirm-yes="Yes, cancel it"' in form
    assert 'class="button danger">Cancel it</button>' in page


def test_the_confirmation_reads_in_chinese(client, host, post_series):
    activity = post_series()
    first = Slot.objects.filter(activity=activity).order_by("starts_at").first()
    seat(first)
    host.preferred_language = "zh-hans"
    host.save()
    client.force_login(host)
    page = client.get(reverse("host_slot", args=[first.pk])).content.decode()
    form = form_for(page, reverse("host_slot_cancel", args=[first.pk]))
    assert "确定取消吗？本场次的 1 人会收到短信通知" in form


def test_giving_up_a_place_is_apart_from_i_am_coming_and_asks(client):
    slot, role = make_slot(starts_at=local(2, 10))
    volunteer = make_volunteer()
    assignment = Assignment.objects.create(
        slot=slot, role=role, volunteer=volunteer, status="confirmed"
    )
    client.force_login(volunteer.user)
    page = client.get(reverse("my_shifts")).content.decode()
    coming = form_for(page, reverse("assignment_reconfirm_page", args=[assignment.pk]))
    cancel = form_for(page, reverse("assignment_cancel_page", args=[assignment.pk]))
    assert "data-confirm" not in coming
    assert 'class="apart"' in cancel
    assert 'data-confirm="Give up your place on' in cancel
    assert '<button type="submit" class="primary">I am coming</button>' in page
    assert '<button type="submit" class="button danger">Cancel my place</button>' in page
    slot_page = client.get(reverse("slot_detail", args=[slot.pk])).content.decode()
    assert 'data-confirm="Give up your place on' in form_for(
        slot_page, reverse("assignment_cancel_page", args=[assignment.pk])
    )


def test_the_dialog_script_is_static_and_the_page_has_no_inline_script(client):
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    page = client.get(reverse("my_shifts")).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    response = client.get("/static/js/site.js")
    script = b"".join(response.streaming_content).decode()
    response.close()
    assert "data-confirm" in script and "showModal" in script
