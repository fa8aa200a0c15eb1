"""Seats are shown per role with what each role needs; a volunteer who would only join the
waitlist while seats are left is told why, on the list and on the slot page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, SkillFactory, SlotRoleFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def childcare_seat_left(frozen):
    """A salon whose helper seat is taken and whose childcare seat is free."""
    childcare = SkillFactory(code="childcare", name="儿童看护", name_en="Childcare")
    slot, helper = make_slot(starts_at=local(2, 10), needed=1)
    AssignmentFactory(role=helper)
    SlotRoleFactory(slot=slot, needed=1, skill=childcare, label="Child corner", language="en")
    return slot


def test_list_shows_seats_per_role_and_why_she_would_wait(client, childcare_seat_left):
    client.force_login(make_volunteer(languages=("zh",)).user)
    body = client.get(reverse("shifts_for_me")).content.decode()
    assert "Any volunteer: 1 / 1" in body
    assert "Child corner (needs Childcare) · speaks English: 0 / 1 · 1 seat left" in body
    assert "Waitlist for you" in body
    assert "This role needs the skill “Childcare”, which is not in your profile." in body
    assert "speaks en" not in body


def test_slot_page_says_why_she_joins_the_waitlist(client, childcare_seat_left):
    client.force_login(make_volunteer(languages=("zh",)).user)
    body = client.get(reverse("slot_detail", args=[childcare_seat_left.pk])).content.decode()
    assert "The free seat is for a role you cannot take, so you would join the waitlist:" in body
    assert "This role needs someone who speaks English." in body
    assert "Join the waitlist" in body


def test_slot_page_in_chinese_names_the_language(client, childcare_seat_left):
    user = make_volunteer(languages=("zh",)).user
    user.preferred_language = "zh-hans"
    user.save()
    client.force_login(user)
    body = client.get(reverse("slot_detail", args=[childcare_seat_left.pk])).content.decode()
    assert "会说英语" in body
    assert "空位所需的岗位您无法担任" in body


def test_who_fits_the_free_seat_is_offered_it_without_a_waitlist_note(client, childcare_seat_left):
    childcare = childcare_seat_left.roles.get(skill__code="childcare").skill
    client.force_login(make_volunteer(skills=[childcare], languages=("zh", "en")).user)
    body = client.get(reverse("slot_detail", args=[childcare_seat_left.pk])).content.decode()
    assert "Sign up" in body
    assert "join the waitlist" not in body
    listing = client.get(reverse("shifts_for_me")).content.decode()
    assert "Waitlist for you" not in listing
    assert "1 seat left" in listing


def test_full_slot_says_every_seat_is_taken(client, frozen):
    slot, helper = make_slot(starts_at=local(2, 10), needed=1)
    AssignmentFactory(role=helper)
    client.force_login(make_volunteer().user)
    body = client.get(reverse("slot_detail", args=[slot.pk])).content.decode()
    assert "Every seat is taken: you would join the waitlist" in body
