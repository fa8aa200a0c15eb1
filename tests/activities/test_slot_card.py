"""A slot's card in "shifts for me" is written by ``slot_card``; ``_slot_card.html`` says what it
shows. Both say the same, to the character, in either language, in the list and in the week,
for a shift she may take, one she would wait for and one she may not take."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from activities.selectors.shifts import shifts_for_me
from activities.services.signup import slot_sign_up
from tests.factories import SkillFactory, SlotRoleFactory, VenueFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


def _slots():
    venue = VenueFactory(latitude=Decimal("31.2000"), longitude=Decimal("121.4000"))
    law = SkillFactory(code="law", name="法律<援助>", name_en="Law & aid")
    open_one, _role = make_slot(starts_at=local(2, 10), needed=3, venue=venue)
    # Full for the role she fits, a free seat in a role she does not: she would wait.
    waiting, first = make_slot(starts_at=local(3, 10), needed=1, venue=venue)
    SlotRoleFactory(slot=waiting, needed=2, skill=law, label="讲师", label_en="Lecturer")
    slot_sign_up(volunteer=make_volunteer(), slot=waiting, role=first.pk)
    refused, _r = make_slot(starts_at=local(4, 10), skill=law, language="en")
    her = make_volunteer(latitude=Decimal("31.2010"), longitude=Decimal("121.4010"))
    return list(shifts_for_me(volunteer=her, fits_only=False))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("compact", [False, True])
def test_the_tag_and_the_template_show_a_card_alike(language, compact):
    card = Template("{% load shifts %}{% slot_card slot compact=compact %}")
    with translation.override(language):
        slots = _slots()
        assert len(slots) == 3
        for slot in slots:
            context = {"slot": slot, "compact": compact}
            expected = render_to_string("activities/shifts/_slot_card.html", context)
            assert card.render(Context(context)) == expected


def test_what_the_cards_say_in_english():
    with translation.override("en"):
        slots = _slots()
        card = Template("{% load shifts %}{% slot_card slot %}")
        shown = [card.render(Context({"slot": slot})) for slot in slots]
    assert "3 seats left" in shown[0]
    assert "km away" in shown[0]
    assert "Waitlist for you" in shown[1]
    assert "needs Law &amp; aid" in shown[1]
    assert "This role needs the skill “Law &amp; aid”" in shown[2]
