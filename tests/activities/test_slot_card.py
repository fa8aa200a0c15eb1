"""A card in the list of shifts is written by ``slot_card``; ``_slot_card.html`` says what it
shows. Both say the same, to the character, for every kind of card and in either language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from activities.models import Assignment
from activities.selectors.shifts import shifts_for_me
from tests.factories import AssignmentFactory, SkillFactory, SlotRoleFactory, VenueFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


def _cards():
    """Her whole list, fitting or not: a slot with seats, a full one, one whose free seat
    needs a skill she lacks (the waitlist for her), one she may not take, one far away, one
    without coordinates, and names that need escaping."""
    law = SkillFactory(code="law", name="法律", name_en="Law & order")
    near = VenueFactory(
        name="妇女之家<一>", latitude=Decimal("31.2000"), longitude=Decimal("121.4000")
    )
    make_slot(starts_at=local(2, 10), needed=3, venue=near)
    full, role = make_slot(starts_at=local(2, 14), needed=1)
    AssignmentFactory(role=role, status=Assignment.Status.CONFIRMED)
    waitlist, seat = make_slot(starts_at=local(3, 9), needed=1)
    AssignmentFactory(role=seat, status=Assignment.Status.CONFIRMED)
    SlotRoleFactory(slot=waitlist, needed=2, skill=law, language="en", label="讲师", label_en="")
    refused, _role = make_slot(starts_at=local(4, 19), skill=law, language="en")
    refused.activity.title_en = 'Talk "on rights" <b>'
    refused.activity.save(update_fields=["title_en"])
    make_slot(starts_at=local(5, 23), hours=3)  # across midnight
    volunteer = make_volunteer(latitude=Decimal("31.2010"), longitude=Decimal("121.4010"))
    slots = list(shifts_for_me(volunteer=volunteer, fits_only=False, sort="nearest"))
    assert len(slots) == 5
    kinds = {
        "seats": any(s.seats_left and not s.verdict.full for s in slots),
        "full": any(not s.seats_left for s in slots),
        "waitlist for her": any(s.verdict.ok and s.verdict.full and s.seats_left for s in slots),
        "refused": any(not s.verdict.ok for s in slots),
        "near": any(s.distance_km is not None for s in slots),
    }
    assert all(kinds.values()), kinds
    return slots


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("compact", [False, True])
def test_the_tag_and_the_template_show_a_card_alike(language, compact):
    card = Template("{% load shifts %}{% slot_card slot compact %}")
    with translation.override(language):
        for slot in _cards():
            context = {"slot": slot, "compact": compact}
            expected = render_to_string("activities/shifts/_slot_card.html", context)
            assert card.render(Context(context)) == expected


def test_what_a_card_says_in_english():
    with translation.override("en"):
        shown = [
            Template("{% load shifts %}{% slot_card slot %}").render(Context({"slot": slot}))
            for slot in _cards()
        ]
    text = "".join(shown)
    assert "Talk &quot;on rights&quot; &lt;b&gt;" in text
    assert "km away" in text
    assert "Waitlist for you" in text
    assert "Full: waitlist" in text
    assert "3 seats left" in text
