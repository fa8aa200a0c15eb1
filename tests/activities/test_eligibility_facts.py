"""Her facts (skills, weekly times, days away, teams) are read together in one query, and
"shifts for me" judges with them exactly as the rules say: the same shifts, with the same
reasons in both languages, as her facts read one by one through the models give. A list's roles
come with the same seat and waitlist counts as the seat counter's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from activities import eligibility
from activities.models import Assignment, SlotRole
from activities.selectors.seats import slot_roles_with_fill
from activities.selectors.shifts import shifts_for_me, slot_role_rows
from tests.factories import (
    AssignmentFactory,
    SkillFactory,
    SlotRoleFactory,
    TeamFactory,
    VenueFactory,
)
from tests.world import available, local, make_slot, make_volunteer
from volunteers.models import Absence, TeamMembership, VolunteerSkill

pytestmark = pytest.mark.django_db


def _day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _facts_by_model(volunteer) -> eligibility.VolunteerFacts:
    """Her facts read the plain way, row by row through the models."""
    facts = eligibility.VolunteerFacts(volunteer=volunteer, languages=set(volunteer.languages))
    for link in VolunteerSkill.objects.filter(volunteer=volunteer).select_related("skill"):
        facts.skills[link.skill_id] = link.counts
    spans: dict[int, list] = {}
    for window in volunteer.availability.all():
        spans.setdefault(window.weekday, []).append((window.start, window.end))
    facts.windows = {day: eligibility._merge(found) for day, found in spans.items()}
    facts.absences = [(a.start_date, a.end_date) for a in volunteer.absences.order_by("start_date")]
    facts.team_ids = set(volunteer.memberships.values_list("team_id", flat=True))
    for a in Assignment.objects.filter(volunteer=volunteer).exclude(status="cancelled"):
        facts.live_by_slot[a.slot_id] = a
        if a.status in Assignment.SEATED:
            facts.booked.append(
                eligibility.Booked(a.slot_id, a.slot.starts_at, a.slot.ends_at, a.status, a.pk)
            )
    return facts


@pytest.fixture
def world():
    law = SkillFactory(code="law", needs_verification=True)
    counsel = SkillFactory(code="counsel", needs_verification=True)
    sewing = SkillFactory(code="sewing", needs_verification=False)
    cooking = SkillFactory(code="cooking")
    ours, theirs = TeamFactory(), TeamFactory()
    venue = VenueFactory()
    slots = {
        # Across noon: inside her two touching windows of that day only once they are merged.
        "fits": make_slot(starts_at=local(3, 11), hours=3, venue=venue),
        "law": make_slot(starts_at=local(3, 13), venue=venue, skill=law),
        "our team": make_slot(starts_at=local(3, 14), venue=venue, team=ours),
        "their team": make_slot(starts_at=local(3, 9), venue=venue, team=theirs),
        "counsel": make_slot(starts_at=local(3, 15), venue=venue, skill=counsel),
        "sewing": make_slot(starts_at=local(3, 9, 30), venue=venue, skill=sewing),
        "cooking": make_slot(starts_at=local(3, 10), venue=venue, skill=cooking),
        "evening": make_slot(starts_at=local(3, 18), venue=venue),
        "away": make_slot(starts_at=local(5, 10), venue=venue),
        "mine": make_slot(starts_at=local(4, 10), venue=venue),
        "overlaps": make_slot(starts_at=local(4, 11), venue=venue),
        "waiting": make_slot(starts_at=local(4, 16), venue=venue),
    }
    her = make_volunteer(skills=[law, sewing])
    VolunteerSkill.objects.filter(volunteer=her, skill=sewing).update(verified_at=None)
    VolunteerSkill.objects.create(volunteer=her, skill=counsel, verified_at=None)
    weekday = _day(3).weekday()
    available(her, weekday, "09:00", "12:00")
    available(her, weekday, "12:00", "17:00")
    available(her, _day(4).weekday(), "08:00", "22:00")
    available(her, _day(5).weekday(), "08:00", "22:00")
    # On one slot: a cancelled sign-up, then a seat; waiting on another.
    AssignmentFactory(role=slots["mine"][1], volunteer=her, status="cancelled", sequence=4)
    AssignmentFactory(role=slots["mine"][1], volunteer=her, status="confirmed", sequence=2)
    AssignmentFactory(role=slots["waiting"][1], volunteer=her, status="waitlisted")
    # Entered out of order: the one a shift falls in is named by its own dates.
    Absence.objects.create(volunteer=her, start_date=_day(10), end_date=_day(12))
    Absence.objects.create(volunteer=her, start_date=_day(5), end_date=_day(6))
    TeamMembership.objects.create(team=ours, volunteer=her)
    nobody = make_volunteer()
    return {"her": her, "nobody": nobody, "slots": {k: s for k, (s, _r) in slots.items()}}


def _same_facts(found: eligibility.VolunteerFacts, expected: eligibility.VolunteerFacts):
    assert found.skills == expected.skills
    assert found.windows == expected.windows
    assert found.absences == expected.absences
    assert found.team_ids == expected.team_ids
    assert found.languages == expected.languages


def test_her_facts_come_in_one_query_and_as_the_models_give_them(world):
    her, nobody = world["her"], world["nobody"]
    with CaptureQueriesContext(connection) as ctx:
        facts = eligibility.facts_load_many(volunteers=[her, nobody])
    assert len(ctx.captured_queries) == 1
    _same_facts(facts[her.pk], _facts_by_model(her))
    _same_facts(facts[nobody.pk], _facts_by_model(nobody))
    mine = facts[her.pk]
    law, counsel, sewing = (SkillFactory(code=code) for code in ("law", "counsel", "sewing"))
    assert mine.skills == {law.pk: True, counsel.pk: False, sewing.pk: True}
    weekday = _day(3).weekday()
    assert [(s.hour, e.hour) for s, e in mine.windows[weekday]] == [(9, 17)]
    assert mine.absences == [(_day(5), _day(6)), (_day(10), _day(12))]
    assert len(mine.team_ids) == 1
    assert facts[nobody.pk].skills == {} and facts[nobody.pk].windows == {}
    assert facts[nobody.pk].absences == [] and facts[nobody.pk].team_ids == set()
    assert facts[nobody.pk].live_by_slot == {} and facts[nobody.pk].booked == []


def _sign_ups(facts: eligibility.VolunteerFacts):
    """Her live sign-ups as every value of their rows, and what she is booked on."""
    live = {
        slot_id: [getattr(a, f.attname) for f in Assignment._meta.concrete_fields]
        for slot_id, a in facts.live_by_slot.items()
    }
    return live, facts.booked


def test_her_sign_ups_come_whole_and_in_order(world):
    her, slots = world["her"], world["slots"]
    mine = slots["mine"]
    expected = _facts_by_model(her)
    around = (mine.starts_at, mine.ends_at)
    assert _sign_ups(eligibility.facts_load(volunteer=her, around=around)) == _sign_ups(expected)
    assert [b.slot_id for b in expected.booked] == [mine.pk]
    assert set(expected.live_by_slot) == {mine.pk, slots["waiting"].pk}
    # The slot judged: only her sign-up on it is a model; her rows on it, the cancelled one too,
    # give its top sequence.
    judged = eligibility.facts_load(volunteer=her, around=around, live_on=mine.pk)
    assert _sign_ups(judged) == (
        {mine.pk: _sign_ups(expected)[0][mine.pk]},
        expected.booked,
    )
    assert judged.top_sequence_on == 4
    assert eligibility.facts_load(volunteer=her, live_on=slots["fits"].pk).top_sequence_on is None
    # Far from the shifts judged, her sign-ups are not read.
    later = (mine.starts_at + timedelta(days=30), mine.ends_at + timedelta(days=30))
    assert _sign_ups(eligibility.facts_load(volunteer=her, around=later)) == ({}, [])


def test_without_skills_or_teams_neither_is_read(world):
    her = world["her"]
    facts = eligibility.facts_load(volunteer=her, skills=False, teams=False)
    assert facts.skills == {} and facts.team_ids == set()
    expected = _facts_by_model(her)
    assert facts.windows == expected.windows and facts.absences == expected.absences


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_she_sees_the_shifts_and_reasons_her_facts_give(world, lang):
    her, slots = world["her"], world["slots"]
    name = {slot.pk: key for key, slot in slots.items()}
    with translation.override(lang):
        fitting = shifts_for_me(volunteer=her)
        judged = list(shifts_for_me(volunteer=her, fits_only=False, sort="nearest"))
        assert [name[s.pk] for s in fitting] == ["sewing", "fits", "law", "our team"]
        codes = {name[s.pk]: [r.code for r in s.verdict.refusals] for s in judged}
        assert codes == {
            "fits": [],
            "law": [],
            "our team": [],
            "their team": [eligibility.TEAM_RESERVED],
            "counsel": [eligibility.SKILL_PENDING],
            "sewing": [],
            "cooking": [eligibility.SKILL_MISSING],
            "evening": [eligibility.NOT_AVAILABLE],
            "away": [eligibility.AWAY],
            "mine": [eligibility.ALREADY_SIGNED_UP],
            "overlaps": [eligibility.OVERLAP],
            "waiting": [eligibility.ALREADY_SIGNED_UP],
        }
        expected = _facts_by_model(her)
        for slot in judged:
            verdict = eligibility.slot_verdict(expected, slot, roles=slot.roles.all())
            assert [r.as_dict() for r in slot.verdict.refusals] == [
                r.as_dict() for r in verdict.refusals
            ]
        away = next(s for s in judged if name[s.pk] == "away")
        assert _day(5).isoformat() in away.verdict.refusals[0].message
        assert _day(6).isoformat() in away.verdict.refusals[0].message


def test_with_none_of_them_any_open_shift_without_a_skill_or_team_fits(world):
    nobody, slots = world["nobody"], world["slots"]
    name = {slot.pk: key for key, slot in slots.items()}
    fitting = shifts_for_me(volunteer=nobody)
    assert [name[s.pk] for s in fitting] == [
        "fits",
        "evening",
        "mine",
        "overlaps",
        "waiting",
        "away",
    ]
    judged = shifts_for_me(volunteer=nobody, fits_only=False, sort="nearest")
    expected = _facts_by_model(nobody)
    for slot in judged:
        verdict = eligibility.slot_verdict(expected, slot, roles=slot.roles.all())
        assert [r.as_dict() for r in slot.verdict.refusals] == [
            r.as_dict() for r in verdict.refusals
        ]


def test_a_lists_roles_count_their_seats_and_waitlist_as_the_seat_counter_does():
    law = SkillFactory(code="law", name="法律", name_en="Law")
    slot, plain = make_slot(starts_at=local(2, 10), needed=3)
    skilled = SlotRoleFactory(slot=slot, needed=1, skill=law, label="律师", label_en="Lawyer")
    SlotRoleFactory(slot=slot, needed=2)  # nobody on it
    other, _role = make_slot(starts_at=local(2, 14))
    for status in ("confirmed", "attended", "no_show", "waitlisted", "cancelled"):
        AssignmentFactory(role=plain, status=status)
    for status in ("confirmed", "waitlisted", "waitlisted", "cancelled"):
        AssignmentFactory(role=skilled, status=status)
    rows = slot_role_rows([slot.pk, other.pk])
    expected = {
        s: [
            (
                r.pk,
                r.skill_id,
                r.language,
                r.needed,
                r.label,
                r.label_en,
                r.slot_id,
                r.filled,
                r.waiting,
                *((r.skill.code, r.skill.name, r.skill.name_en) if r.skill else (None,) * 3),
            )
            for r in slot_roles_with_fill(SlotRole.objects.filter(slot_id=s)).order_by("pk")
        ]
        for s in (slot.pk, other.pk)
    }
    assert dict(rows) == expected
    assert [(row[7], row[8]) for row in rows[slot.pk]] == [(3, 1), (1, 2), (0, 0)]
    assert rows[slot.pk][1][9:] == ("law", "法律", "Law")
    assert slot_role_rows([]) == {}


def test_judged_shifts_come_with_their_roles_seats_and_waitlists(monkeypatch):
    law = SkillFactory(code="law", name="法律", name_en="Law")
    venue = VenueFactory()
    two, first = make_slot(starts_at=local(2, 10), venue=venue, needed=2)
    second = SlotRoleFactory(slot=two, needed=1, skill=law)
    bare, role = make_slot(starts_at=local(2, 12), venue=venue)
    role.delete()  # a shift that needs nobody
    full, only = make_slot(starts_at=local(2, 14), venue=venue, needed=1)
    AssignmentFactory(role=first, status="confirmed")
    AssignmentFactory(role=first, status="waitlisted")
    AssignmentFactory(role=only, status="attended")
    AssignmentFactory(role=only, status="cancelled")
    her = make_volunteer(skills=[law])
    judged = {s.pk: s for s in shifts_for_me(volunteer=her, fits_only=False, sort="nearest")}
    assert set(judged) == {two.pk, bare.pk, full.pk}
    roles = {pk: [(r.pk, r.filled, r.waiting) for r in s.roles.all()] for pk, s in judged.items()}
    assert roles == {
        two.pk: [(first.pk, 1, 1), (second.pk, 0, 0)],
        bare.pk: [],
        full.pk: [(only.pk, 1, 0)],
    }
    assert judged[two.pk].roles.all()[1].skill.code == "law"
    assert [r.code for r in judged[bare.pk].verdict.refusals] == [eligibility.NO_ROLES]
    assert judged[two.pk].seats_left == 2 and judged[full.pk].seats_left == 0
    assert judged[full.pk].verdict.ok and judged[full.pk].verdict.full
    # No more candidates than the list's bound are judged, the soonest first.
    monkeypatch.setattr("activities.selectors.shifts.MAX_CANDIDATES", 2)
    cut = shifts_for_me(volunteer=her, fits_only=False, sort="nearest")
    assert {s.pk for s in cut} == {two.pk, bare.pk}
