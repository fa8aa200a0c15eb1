"""A role's line in the list of shifts is written by ``role_line``; the slot's page and the
others by ``_role.html``: both say the same, to the character, in either language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from activities.models import SlotRole
from activities.selectors.seats import slot_roles_with_fill
from tests.factories import AssignmentFactory, SkillFactory, SlotFactory, SlotRoleFactory

pytestmark = pytest.mark.django_db


def _roles():
    slot = SlotFactory()
    skill = SkillFactory(name="急救", name_en="First aid & care")
    made = [
        SlotRoleFactory(slot=slot, needed=2),
        SlotRoleFactory(slot=slot, needed=1, label="帮手", label_en="Helper"),
        SlotRoleFactory(slot=slot, needed=3, label="讲师<b>", skill=skill, language="en"),
        SlotRoleFactory(slot=slot, needed=1, label="Interpreter", language="yue"),
        SlotRoleFactory(slot=slot, needed=2, skill=skill),
    ]
    AssignmentFactory(role=made[1])
    AssignmentFactory(role=made[2])
    return list(slot_roles_with_fill(SlotRole.objects.filter(slot=slot)).order_by("pk"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_list_and_the_slot_page_show_a_role_alike(language):
    roles = _roles()
    line = Template("{% load shifts %}{% role_line role %}")
    with translation.override(language):
        for role in roles:
            expected = render_to_string("activities/shifts/_role.html", {"role": role})
            assert line.render(Context({"role": role})) == expected


def test_what_the_line_says_in_english():
    roles = _roles()
    line = Template("{% load shifts %}{% role_line role %}")
    with translation.override("en"):
        shown = [line.render(Context({"role": role})) for role in roles]
    assert shown[1] == "Helper: 1 / 1\n"
    assert shown[2].startswith('<span lang="zh-Hans">讲师&lt;b&gt;</span> <small class="meta')
    assert "(needs First aid &amp; care) · speaks English: 1 / 3 · 2 seats left\n" in shown[2]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_role_of_thousands_reads_alike_with_thousands_separators_on(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    role = SlotRoleFactory(slot=SlotFactory(), needed=12000)
    [role] = slot_roles_with_fill(SlotRole.objects.filter(pk=role.pk))
    line = Template("{% load shifts %}{% role_line role %}")
    with translation.override(language):
        expected = render_to_string("activities/shifts/_role.html", {"role": role})
        assert line.render(Context({"role": role})) == expected
    assert ("12,000" in expected) == (language == "en")
