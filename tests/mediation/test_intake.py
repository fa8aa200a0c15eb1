"""Taking in a dispute: who may, what is checked, nothing half-saved."""

from __future__ import annotations

from mediation.models import Dispute, Party

from .conftest import NARRATIVE, PARTY_NAMES, api_for


def _payload(world, **extra):
    data = {
        "source": "hotline",
        "kind": "family",
        "area": world.community.pk,
        "compound": world.home.pk,
        "narrative": NARRATIVE,
        "lawful_basis": "consent",
        "consent_given": True,
        "parties": [{"name": PARTY_NAMES[0], "phone": "13911112222", "relation": "spouse"}],
    }
    data.update(extra)
    return data


def test_coordinator_takes_in_a_dispute_by_api(world):
    response = api_for(world.coordinator).post("/api/v1/disputes/", _payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new" and body["narrative"] == NARRATIVE
    assert body["parties"][0]["name"] == PARTY_NAMES[0]
    assert body["parties"][0]["phone"] == "+8613911112222"
    assert Dispute.objects.get(pk=body["id"]).consent_recorded_at is not None


def test_operator_takes_in_for_her_area_but_cannot_read_it(world):
    api = api_for(world.operator)
    response = api.post("/api/v1/disputes/", _payload(world), format="json")
    assert response.status_code == 201
    assert set(response.json()) == {"id", "reference"}
    assert api.get(f"/api/v1/disputes/{response.json()['id']}/").status_code == 404
    assert api.get("/api/v1/disputes/").json()["count"] == 0


def test_operator_cannot_take_in_for_another_area(world):
    response = api_for(world.operator).post(
        "/api/v1/disputes/",
        _payload(world, area=world.other_community.pk, compound=world.far.pk),
        format="json",
    )
    assert response.status_code == 400
    assert "area" in response.json()
    assert not Dispute.objects.exists()


def test_volunteer_and_mediator_cannot_take_in(world):
    for user in (world.volunteer, world.lead, world.host):
        response = api_for(user).post("/api/v1/disputes/", _payload(world), format="json")
        assert response.status_code == 403
    assert not Dispute.objects.exists()


def test_bad_input_names_each_field_and_saves_nothing(world):
    response = api_for(world.coordinator).post(
        "/api/v1/disputes/",
        _payload(
            world,
            narrative=" ",
            consent_given=False,
            compound=world.far.pk,
            parties=[{"name": PARTY_NAMES[0], "phone": "12345", "relation": "spouse"}],
        ),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"narrative", "consent_given", "compound", "parties.0.phone"} <= set(errors)
    assert not Dispute.objects.exists() and not Party.objects.exists()


def test_lawful_basis_other_than_consent_needs_a_note(world):
    api = api_for(world.coordinator)
    payload = _payload(world, lawful_basis="emergency", consent_given=False)
    response = api.post("/api/v1/disputes/", payload, format="json")
    assert response.status_code == 400 and "basis_note" in response.json()
    payload["basis_note"] = "当事人受伤送医，无法当面征得同意。"
    assert api.post("/api/v1/disputes/", payload, format="json").status_code == 201


def test_intake_page_in_chinese(world, web):
    client = web(world.coordinator)
    page = client.get("/mediation/new/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    response = client.post(
        "/mediation/new/",
        {
            "source": "walk_in",
            "kind": "neighbour",
            "area": world.community.pk,
            "compound": world.home.pk,
            "language": "zh",
            "urgency": "1",
            "level": "2",
            "narrative": NARRATIVE,
            "lawful_basis": "consent",
            "consent_given": "on",
            "party-TOTAL_FORMS": "3",
            "party-INITIAL_FORMS": "0",
            "party-0-name": PARTY_NAMES[0],
            "party-0-phone": "13911112222",
            "party-0-relation": "neighbour",
            "party-1-relation": "other",
            "party-2-relation": "other",
        },
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url == f"/mediation/disputes/{dispute.pk}/"
    assert dispute.parties.count() == 1
