"""Shifts for me: only what fits, sorted, filtered, in a fixed number of queries; the slot page's
sign-up button with and without htmx."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Assignment
from activities.services.signup import slot_sign_up
from tests.factories import SkillFactory, UserFactory, VenueFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


def signed_in(client, volunteer):
    client.force_login(volunteer.user)
    return client


def test_lists_only_fitting_shifts_with_seats_left(client):
    law = SkillFactory(code="law", name="法律", name_en="Law")
    fits, _r = make_slot(starts_at=local(2, 10), needed=3)
    unfit, _r2 = make_slot(starts_at=local(2, 14), skill=law)
    volunteer = make_volunteer()
    response = signed_in(client, volunteer).get(reverse("shifts_for_me"))
    assert response.status_code == 200
    body = response.content.decode()
    assert fits.activity.title_en in body or fits.activity.title in body
    assert unfit.activity.title not in body
    assert "3 seats left" in body


def test_nearest_first_uses_her_home(client):
    near_venue = VenueFactory(latitude=Decimal("31.2000"), longitude=Decimal("121.4000"))
    far_venue = VenueFactory(latitude=Decimal("31.9000"), longitude=Decimal("121.9000"))
    far, _r = make_slot(starts_at=local(2, 10), venue=far_venue)
    near, _r2 = make_slot(starts_at=local(3, 10), venue=near_venue)
    volunteer = make_volunteer(latitude=Decimal("31.2010"), longitude=Decimal("121.4010"))
    client = signed_in(client, volunteer)
    soonest = client.get(reverse("shifts_for_me")).context["page"].object_list
    assert [s.pk for s in soonest] == [far.pk, near.pk]
    nearest = client.get(reverse("shifts_for_me") + "?sort=nearest").context["page"].object_list
    assert [s.pk for s in nearest] == [near.pk, far.pk]
    assert nearest[0].distance_km < 1


def test_filter_by_venue_and_week_view(client):
    venue = VenueFactory()
    mine, _r = make_slot(starts_at=local(2, 10), venue=venue)
    make_slot(starts_at=local(2, 12))
    client = signed_in(client, make_volunteer())
    page = client.get(reverse("shifts_for_me") + f"?venue={venue.pk}").context["page"]
    assert [s.pk for s in page.object_list] == [mine.pk]
    week = client.get(reverse("shifts_for_me") + f"?view=week&date={local(2, 10).date()}")
    days = week.context["days"]
    assert len(days) == 7
    assert mine.pk in [s.pk for _day, slots in days for s in slots]


def test_query_count_does_not_grow_with_page_size(client):
    volunteer = make_volunteer()
    for i in range(120):
        make_slot(starts_at=local(1 + i % 20, 8 + i % 10), hours=1)
    client = signed_in(client, volunteer)
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("shifts_for_me") + f"?page_size={size}")
        assert len(response.context["page"].object_list) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[10] == counts[100]


def test_api_query_count_same_at_10_and_100(client):
    volunteer = make_volunteer()
    for i in range(120):
        make_slot(starts_at=local(1 + i % 20, 8 + i % 10), hours=1)
    client.force_login(volunteer.user)
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/slots/?fits_me=true&page_size={size}")
        assert len(response.json()["results"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[10] == counts[100]


def test_signup_button_with_htmx_swaps_in_place(client):
    slot, _role = make_slot(needed=1)
    client = signed_in(client, make_volunteer())
    response = client.post(reverse("slot_signup", args=[slot.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Confirmed" in response.content.decode()
    assert "<html" not in response.content.decode()

    other = make_volunteer()
    client.force_login(other.user)
    response = client.post(reverse("slot_signup", args=[slot.pk]), HTTP_HX_REQUEST="true")
    assert "Waitlisted #1" in response.content.decode()
    # A second press shows where she stands and adds nothing.
    again = client.post(reverse("slot_signup", args=[slot.pk]), HTTP_HX_REQUEST="true")
    assert "Waitlisted #1" in again.content.decode()
    assert Assignment.objects.filter(volunteer=other).count() == 1


def test_signup_without_js_redirects_with_the_refusal_in_chinese(client):
    skill = SkillFactory(code="law", name="法律", name_en="Law")
    slot, _role = make_slot(skill=skill)
    volunteer = make_volunteer()
    volunteer.user.preferred_language = "zh-hans"
    volunteer.user.save()
    client = signed_in(client, volunteer)
    response = client.post(reverse("slot_signup", args=[slot.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("slot_detail", args=[slot.pk])
    assert "需要“法律”技能" in response.content.decode()
    assert not Assignment.objects.exists()


def test_person_without_profile_is_sent_to_become_a_volunteer(client):
    client.force_login(UserFactory())
    response = client.get(reverse("shifts_for_me"))
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteer_become")


def test_my_shifts_cancel_and_detail_page(client):
    slot, _role = make_slot()
    volunteer = make_volunteer()
    assignment = slot_sign_up(volunteer=volunteer, slot=slot)
    client = signed_in(client, volunteer)
    assert slot.activity.title_en in client.get(reverse("my_shifts")).content.decode()
    assert client.get(reverse("slot_detail", args=[slot.pk])).status_code == 200
    client.post(reverse("assignment_cancel_page", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == "cancelled"
    # Someone else's sign-up is not hers to cancel.
    theirs = slot_sign_up(volunteer=make_volunteer(), slot=slot)
    assert client.post(reverse("assignment_cancel_page", args=[theirs.pk])).status_code == 404


def test_everything_mode_shows_the_reason(client):
    skill = SkillFactory(code="law", name="法律", name_en="Law")
    slot, _role = make_slot(skill=skill)
    client = signed_in(client, make_volunteer())
    body = client.get(reverse("shifts_for_me") + "?everything=on").content.decode()
    assert "needs the skill “Law”" in body
    assert "1 open shift." in body


def test_a_later_page_shows_the_next_shifts_that_fit_her_and_counts_them_all(client):
    """Which shifts fit, and how many, is decided over every open shift; only the page's are
    shown whole: the second page starts where the first ended, with the ones she cannot take
    (a skill she lacks) left out, and the count is of all that fit."""
    law = SkillFactory(code="law", name="法律", name_en="Law")
    fitting = []
    for i in range(12):
        slot, _role = make_slot(starts_at=local(1 + i, 10), hours=1)
        fitting.append(slot)
        make_slot(starts_at=local(1 + i, 12), hours=1, skill=law)
    client = signed_in(client, make_volunteer())
    response = client.get(reverse("shifts_for_me") + "?page_size=5&page=2")
    page = response.context["page"]
    assert [s.pk for s in page.object_list] == [s.pk for s in fitting[5:10]]
    assert all(s.verdict.ok for s in page.object_list)
    assert "12 shifts fit you." in response.content.decode()
    api = client.get("/api/v1/slots/?fits_me=true&page_size=5&page=3").json()
    assert api["count"] == 12
    assert [row["id"] for row in api["results"]] == [s.pk for s in fitting[10:]]
    assert all(row["reasons"] == [] for row in api["results"])


def test_the_api_list_of_every_coming_shift_counts_them_all_on_each_page(client):
    """Every coming shift, a page at a time: each page says how many there are in all and
    links the next and the previous; a page past the end, or not a page number, is 404."""
    made = [make_slot(starts_at=local(1 + i, 10), hours=1)[0] for i in range(7)]
    client = signed_in(client, make_volunteer())
    first = client.get("/api/v1/slots/?page_size=3").json()
    assert first["count"] == 7 and first["previous"] is None
    assert first["next"].endswith("/api/v1/slots/?page=2&page_size=3")
    assert [row["id"] for row in first["results"]] == [s.pk for s in made[:3]]
    last = client.get("/api/v1/slots/?page_size=3&page=3").json()
    assert last["count"] == 7 and last["next"] is None
    assert [row["id"] for row in last["results"]] == [made[6].pk]
    assert client.get("/api/v1/slots/?page_size=3&page=last").json()["results"] == last["results"]
    for page in ("4", "0", "two"):
        response = client.get(f"/api/v1/slots/?page_size=3&page={page}")
        assert response.status_code == 404, page
    nothing = client.get("/api/v1/slots/?page_size=3&start_after=2100-01-01T00:00:00Z").json()
    assert nothing == {"count": 0, "next": None, "previous": None, "results": []}
