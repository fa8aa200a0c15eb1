"""Mediators for one dispute: ranking with reasons, exclusions said by name, assignment, texts."""

from __future__ import annotations

from mediation.models import MediatorAssignment, MediatorConflict
from notifications.models import Message

from .conftest import NARRATIVE, PARTY_NAMES, api_for


def _names(rows):
    return [r["mediator"]["name"] for r in rows]


def test_ranking_with_reasons_and_exclusions(world):
    dispute = world.dispute()
    MediatorConflict.objects.create(dispute=dispute, mediator=world.spare, reason="knows_party")
    body = api_for(world.coordinator).get(f"/api/v1/disputes/{dispute.pk}/candidates/").json()
    # The lead is nearest among those who may lead; the assistant cannot lead but can assist.
    assert _names(body["leads"]) == ["张丽"]
    assert _names(body["assistants"]) == ["张丽", "刘芳"]
    reasons = body["leads"][0]["reasons"]
    assert "Handles domestic violence disputes" in reasons
    assert "Speaks Chinese" in reasons
    assert any(r.endswith("km away") for r in reasons)
    assert "0 of 3 cases" in reasons
    assert "Matches the gender the party asked for" in reasons
    excluded = {e["mediator"]["name"]: e["text"] for e in body["excluded"]}
    assert excluded == {
        "陈静": "Declared a conflict: Knows a party personally",
        "赵敏": "Lives in the same compound as a party",
        "孙强": "The party asked for a woman mediator",
    }


def test_assign_the_pair_texts_them_a_link_only(world):
    dispute = world.dispute()
    response = api_for(world.coordinator).post(
        f"/api/v1/disputes/{dispute.pk}/assign/",
        {"lead": world.lead.pk, "assistant": world.assistant.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "assigned"
    texts = Message.objects.filter(kind="dispute_assigned").order_by("user__email")
    assert [m.user for m in texts] == [world.assistant, world.lead]
    for message in texts:
        assert f"/mediation/disputes/{dispute.pk}/" in message.body
        assert "case" in message.body
        for secret in (*PARTY_NAMES, NARRATIVE[:6], dispute.compound.name, "violence"):
            assert secret not in message.body
    # Now they see it; the spare mediator does not.
    assert api_for(world.lead).get(f"/api/v1/disputes/{dispute.pk}/").status_code == 200
    assert api_for(world.spare).get(f"/api/v1/disputes/{dispute.pk}/").status_code == 404


def test_domestic_violence_needs_two(world):
    dispute = world.dispute()
    response = api_for(world.coordinator).post(
        f"/api/v1/disputes/{dispute.pk}/assign/", {"lead": world.lead.pk}, format="json"
    )
    assert response.status_code == 400 and "assistant" in response.json()
    assert not MediatorAssignment.objects.exists()


def test_excluded_people_cannot_be_assigned(world):
    dispute = world.dispute()
    api = api_for(world.coordinator)
    for person, why in (
        (world.same_compound, "Lives in the same compound as a party"),
        (world.man, "The party asked for a woman mediator"),
    ):
        response = api.post(
            f"/api/v1/disputes/{dispute.pk}/assign/",
            {"lead": world.lead.pk, "assistant": person.pk},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["assistant"] == [why]
    response = api.post(
        f"/api/v1/disputes/{dispute.pk}/assign/",
        {"lead": world.assistant.pk, "assistant": world.lead.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "does not lead" in response.json()["lead"][0]
    assert not MediatorAssignment.objects.exists()


def test_caseload_cap_is_kept(world):
    profile = world.lead.volunteer.mediator
    profile.caseload_cap = 1
    profile.save()
    world.assigned()
    second = world.dispute(kind="family", gender_preference="")
    response = api_for(world.coordinator).post(
        f"/api/v1/disputes/{second.pk}/assign/", {"lead": world.lead.pk}, format="json"
    )
    assert response.status_code == 400
    assert "already has 1 open cases" in response.json()["lead"][0]


def test_mediator_declares_a_conflict_and_leaves(world):
    dispute = world.assigned()
    api = api_for(world.assistant)
    response = api.post(
        f"/api/v1/disputes/{dispute.pk}/conflicts/", {"reason": "related"}, format="json"
    )
    assert response.status_code == 201
    assert api.get(f"/api/v1/disputes/{dispute.pk}/").status_code == 404
    body = api_for(world.coordinator).get(f"/api/v1/disputes/{dispute.pk}/candidates/").json()
    assert "刘芳" in {e["mediator"]["name"] for e in body["excluded"]}
    assert "刘芳" not in _names(body["assistants"])


def test_candidates_page_offers_the_first_ranked_pair(world, web):
    dispute = world.dispute()
    page = web(world.coordinator).get(f"/mediation/disputes/{dispute.pk}/mediators/")
    html = page.content.decode()
    assert "Assign the first-ranked pair: 张丽 and 刘芳" in html
    assert "Lives in the same compound as a party" in html
