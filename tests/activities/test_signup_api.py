"""The sign-up API: who may do what, and what each refusal looks like."""

from __future__ import annotations

import pytest

from activities.models import Assignment
from activities.services.signup import slot_sign_up
from tests.factories import CoordinatorFactory, SkillFactory, UserFactory, VenueFactory
from tests.world import host_of, local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


def test_signup_201_then_409_on_second_press(api_for):
    slot, role = make_slot(needed=1)
    volunteer = make_volunteer()
    api = api_for(volunteer.user)
    first = api.post(f"/api/v1/slots/{slot.pk}/signup/", {}, format="json")
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    again = api.post(f"/api/v1/slots/{slot.pk}/signup/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_signed_up"
    assert Assignment.objects.filter(volunteer=volunteer).count() == 1

    other = make_volunteer()
    waiting = api_for(other.user).post(f"/api/v1/slots/{slot.pk}/signup/", {"role": role.pk})
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waitlisted"
    assert waiting.json()["waitlist_position"] == 1


def test_signup_400_names_the_rule_in_chinese(api_for):
    skill = SkillFactory(code="counselling", name="心理咨询", name_en="Counselling")
    slot, _role = make_slot(skill=skill)
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    response = api_for(volunteer.user).post(f"/api/v1/slots/{slot.pk}/signup/", {})
    assert response.status_code == 400
    assert response.json()["code"] == "skill_missing"
    assert "需要“心理咨询”技能" in response.json()["detail"]


def test_non_volunteer_cannot_sign_up_and_anonymous_is_401(api_for):
    slot, _role = make_slot()
    assert api_for(UserFactory()).post(f"/api/v1/slots/{slot.pk}/signup/").status_code == 403
    assert api_for().post(f"/api/v1/slots/{slot.pk}/signup/").status_code == 401
    assert not Assignment.objects.exists()


def test_slots_list_gives_reasons_and_fits_me_filters(api_for):
    skill = SkillFactory(code="law", name="法律", name_en="Law")
    fits, _r = make_slot(starts_at=local(2, 10))
    unfit, _r2 = make_slot(starts_at=local(2, 14), skill=skill)
    volunteer = make_volunteer()
    api = api_for(volunteer.user)
    everything = api.get("/api/v1/slots/").json()
    by_id = {row["id"]: row for row in everything["results"]}
    assert by_id[fits.pk]["reasons"] == []
    assert by_id[fits.pk]["seats_left"] == 2
    assert by_id[unfit.pk]["reasons"][0]["code"] == "skill_missing"
    assert by_id[unfit.pk]["roles"][0]["skill"] == "law"
    mine = api.get("/api/v1/slots/?fits_me=true").json()
    assert [row["id"] for row in mine["results"]] == [fits.pk]


def test_open_filter_drops_full_slots(api_for):
    full, _r = make_slot(needed=1)
    open_slot, _r2 = make_slot(starts_at=local(4, 10))
    slot_sign_up(volunteer=make_volunteer(), slot=full)
    rows = api_for(UserFactory()).get("/api/v1/slots/?open=true").json()["results"]
    assert [row["id"] for row in rows] == [open_slot.pk]
    assert rows[0]["reasons"] is None


def test_assignment_scope_per_role(api_for):
    venue = VenueFactory()
    slot, _role = make_slot(venue=venue)
    volunteer = make_volunteer()
    assignment = slot_sign_up(volunteer=volunteer, slot=slot)
    host = host_of(venue)
    other_host = host_of(VenueFactory())
    coordinator = CoordinatorFactory(area=venue.area.parent.parent).user
    outsider_coordinator = CoordinatorFactory().user
    stranger = make_volunteer()

    def ids(user):
        return [row["id"] for row in api_for(user).get("/api/v1/assignments/").json()["results"]]

    assert ids(volunteer.user) == [assignment.pk]
    assert ids(host) == [assignment.pk]
    assert ids(coordinator) == [assignment.pk]
    assert ids(other_host) == []
    assert ids(outsider_coordinator) == []
    assert ids(stranger.user) == []

    url = f"/api/v1/assignments/{assignment.pk}/cancel/"
    assert api_for(stranger.user).post(url).status_code == 404
    assert api_for(other_host).post(url).status_code == 404
    assert api_for(outsider_coordinator).post(url).status_code == 404
    checkin = f"/api/v1/assignments/{assignment.pk}/check-in/"
    assert api_for(other_host).post(checkin).status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "confirmed"

    response = api_for(volunteer.user).post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_a_volunteer_cancelling_someone_elses_sign_up_is_answered_as_for_none(api_for):
    slot, _role = make_slot()
    seat = slot_sign_up(volunteer=make_volunteer(), slot=slot)
    stranger = api_for(make_volunteer().user)
    theirs = stranger.post(f"/api/v1/assignments/{seat.pk}/cancel/")
    missing = stranger.post(f"/api/v1/assignments/{seat.pk + 1000}/cancel/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert stranger.post("/api/v1/assignments/99999999999999999999/cancel/").status_code == 404
    seat.refresh_from_db()
    assert seat.status == Assignment.Status.CONFIRMED


def test_a_host_who_volunteers_too_cancels_a_sign_up_at_her_venue(api_for):
    venue = VenueFactory()
    slot, _role = make_slot(venue=venue)
    seat = slot_sign_up(volunteer=make_volunteer(), slot=slot)
    host = make_volunteer()
    venue.hosts.add(host.user)
    response = api_for(host.user).post(f"/api/v1/assignments/{seat.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_late"] is False
    seat.refresh_from_db()
    assert seat.status == Assignment.Status.CANCELLED


def test_her_own_cancellation_answers_her_sign_up_and_a_second_press_changes_nothing(api_for):
    slot, role = make_slot()
    volunteer = make_volunteer()
    seat = slot_sign_up(volunteer=volunteer, slot=slot)
    api = api_for(volunteer.user)
    # A filter the sign-up does not match finds nothing to cancel, as in the list.
    filtered = api.post(f"/api/v1/assignments/{seat.pk}/cancel/?status=waitlisted")
    assert filtered.status_code == 404
    first = api.post(f"/api/v1/assignments/{seat.pk}/cancel/")
    assert first.status_code == 200
    body = first.json()
    assert body["id"] == seat.pk
    assert body["slot"] == slot.pk
    assert body["role"] == role.pk
    assert body["status"] == "cancelled"
    assert body["volunteer_name"] == volunteer.user.get_full_name()
    assert body["volunteer_phone"] == volunteer.phone
    cancelled = Assignment.objects.get(pk=seat.pk)
    again = api.post(f"/api/v1/assignments/{seat.pk}/cancel/")
    assert again.status_code == 200
    assert again.json() == body
    assert Assignment.objects.get(pk=seat.pk).sequence == cancelled.sequence


def test_slots_list_is_coming_slots_unless_asked_and_filters_by_venue(api_for):
    from datetime import timedelta
    from urllib.parse import quote

    from django.utils import timezone

    past, _r = make_slot(starts_at=timezone.now() - timedelta(days=2))
    coming, _r2 = make_slot(starts_at=local(2, 10))
    api = api_for(UserFactory())
    rows = api.get("/api/v1/slots/").json()["results"]
    assert [r["id"] for r in rows] == [coming.pk]
    since = quote((timezone.now() - timedelta(days=3)).isoformat())
    rows = api.get(f"/api/v1/slots/?start_after={since}").json()["results"]
    assert [r["id"] for r in rows] == [past.pk, coming.pk]
    rows = api.get(f"/api/v1/slots/?start_after={since}&venue={past.activity.venue_id}").json()
    assert [r["id"] for r in rows["results"]] == [past.pk]
    assert api.get("/api/v1/slots/?start_after=yesterday").status_code == 400
