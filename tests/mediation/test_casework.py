"""The federation's way of working: visits, statuses, joint intervention, follow-ups,
retention."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine

from mediation.models import Dispute, FollowUp, Party, Visit
from mediation.services.retention import retention_erase
from mediation.tasks import follow_ups_remind
from notifications.models import Message

from .conftest import NARRATIVE, NOW, PARTY_NAMES, PARTY_PHONES, api_for


def _visit(api, dispute, **extra):
    data = {"step": 1, "visited_on": "2026-03-09", "what_happened": "上门了解情况"}
    data.update(extra)
    return api.post(f"/api/v1/disputes/{dispute.pk}/visits/", data, format="json")


def test_first_visit_puts_the_case_in_progress(world):
    dispute = world.assigned()
    response = _visit(api_for(world.assistant), dispute, next_visit_on="2026-03-16")
    assert response.status_code == 201, response.content
    assert response.json()["mediators"] == [{"id": world.assistant.pk, "name": "刘芳"}]
    dispute.refresh_from_db()
    assert dispute.status == "in_progress"


def test_a_visit_in_the_future_or_without_notes_is_refused(world):
    dispute = world.assigned()
    api = api_for(world.lead)
    response = _visit(api, dispute, visited_on="2026-03-11", what_happened="")
    assert response.status_code == 400
    assert {"visited_on", "what_happened"} <= set(response.json())
    response = _visit(api, dispute, mediators=[world.spare.pk])
    assert response.status_code == 400 and "mediators" in response.json()
    assert not Visit.objects.exists()


def test_status_moves_follow_the_rules(world):
    dispute = world.assigned()
    lead, assistant = api_for(world.lead), api_for(world.assistant)
    url = f"/api/v1/disputes/{dispute.pk}/status/"
    assert assistant.post(url, {"status": "resolved"}, format="json").status_code == 403
    assert lead.post(url, {"status": "closed"}, format="json").status_code == 409
    assert lead.post(url, {"status": "referred"}, format="json").status_code == 400
    assert lead.post(url, {"status": "resolved"}, format="json").status_code == 200
    dispute.refresh_from_db()
    assert dispute.status == "resolved"
    due = sorted(FollowUp.objects.filter(dispute=dispute).values_list("due_on", flat=True))
    assert due == [date(2026, 3, 17), date(2026, 4, 9)]
    assert lead.post(url, {"status": "closed"}, format="json").status_code == 403
    coordinator = api_for(world.coordinator)
    assert coordinator.post(url, {"status": "closed"}, format="json").status_code == 200


def test_escalation_tells_the_partners_only_the_reference(world):
    dispute = world.assigned()
    response = api_for(world.lead).post(
        f"/api/v1/disputes/{dispute.pk}/escalate/",
        {"contacts": [world.partner.pk], "reason": "威胁再次动手"},
        format="json",
    )
    assert response.status_code == 201, response.content
    dispute.refresh_from_db()
    assert dispute.level == Dispute.Level.JOINT
    text = Message.objects.get(kind="mediation_joint_request")
    assert text.to == world.partner.phone and dispute.reference in text.body
    for secret in (*PARTY_NAMES, "威胁", NARRATIVE[:6]):
        assert secret not in text.body


def test_partners_of_another_area_cannot_be_called(world):
    from mediation.models import PartnerContact

    elsewhere = PartnerContact.objects.create(
        area=world.other_street, kind="court", organisation="别处法院", phone="+8613977778888"
    )
    dispute = world.assigned()
    response = api_for(world.coordinator).post(
        f"/api/v1/disputes/{dispute.pk}/escalate/",
        {"contacts": [elsewhere.pk], "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "contacts" in response.json()
    assert not Message.objects.filter(kind="mediation_joint_request").exists()


def test_follow_up_reminders_reach_the_lead_once(world):
    dispute = world.assigned()
    api_for(world.lead).post(
        f"/api/v1/disputes/{dispute.pk}/status/", {"status": "resolved"}, format="json"
    )
    assert follow_ups_remind() == 0
    with time_machine.travel(NOW + timedelta(days=7, hours=1), tick=False):
        assert follow_ups_remind() == 1
        assert follow_ups_remind() == 0
    texts = Message.objects.filter(kind="mediation_follow_up")
    assert [m.user for m in texts] == [world.lead]
    assert f"/mediation/disputes/{dispute.pk}/" in texts[0].body
    # A follow-up-support visit closes the earliest open follow-up.
    _visit(api_for(world.lead), dispute, step=4)
    assert FollowUp.objects.filter(dispute=dispute, done_at__isnull=False).count() == 1


def test_overdue_follow_ups_show_on_the_coordinator_home(world, web):
    dispute = world.assigned()
    api_for(world.lead).post(
        f"/api/v1/disputes/{dispute.pk}/status/", {"status": "resolved"}, format="json"
    )
    with time_machine.travel(NOW + timedelta(days=9), tick=False):
        home = web(world.coordinator).get("/").content.decode()
    assert "follow-ups overdue" in home
    mine = web(world.lead).get("/mediation/my/").content.decode()
    assert dispute.reference in mine


def test_retention_erases_closed_cases_past_the_period(world, settings):
    settings.MEDIATION_RETENTION_DAYS = 30
    old = world.assigned()
    _visit(api_for(world.lead), old)
    recent = world.dispute(kind="family", gender_preference="")
    Dispute.objects.filter(pk=old.pk).update(status="closed", closed_at=NOW - timedelta(days=31))
    Dispute.objects.filter(pk=recent.pk).update(status="closed", closed_at=NOW - timedelta(days=29))
    assert retention_erase() == 1
    assert retention_erase() == 0
    old.refresh_from_db()
    assert old.erased_at is not None and old.narrative is None and old.party_count == 2
    assert not Party.objects.filter(dispute=old, name__isnull=False).exists()
    assert Visit.objects.get(dispute=old).what_happened is None
    assert Visit.objects.get(dispute=old).step == 1  # the counts stay
    recent.refresh_from_db()
    assert recent.narrative == NARRATIVE
    assert {p.phone for p in recent.parties.all()} == set(PARTY_PHONES)
