"""Every read, change and export of a dispute is in the audit log; nobody edits or deletes it."""

from __future__ import annotations

import os

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, transaction

from mediation.models import Dispute
from mediation.services.retention import dispute_erase

from .conftest import NARRATIVE, PARTY_NAMES, PARTY_PHONES, api_for


def _reads(dispute, via=None):
    qs = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(dispute.pk), object_repr=dispute.reference
    )
    if via:
        qs = qs.filter(additional_data__via=via)
    return qs


def test_reads_are_logged_with_who_and_from_where(world, web):
    dispute = world.assigned()
    api_for(world.lead).get(f"/api/v1/disputes/{dispute.pk}/", REMOTE_ADDR="10.1.2.3")
    entry = _reads(dispute, "api").get()
    assert entry.actor == world.lead and entry.remote_addr == "10.1.2.3"
    web(world.coordinator).get(f"/mediation/disputes/{dispute.pk}/")
    assert _reads(dispute, "case page").get().actor == world.coordinator
    web(world.coordinator).get("/mediation/")
    assert _reads(dispute, "list").filter(actor=world.coordinator).count() == 1
    api_for(world.coordinator).get(f"/api/v1/disputes/{dispute.pk}/candidates/")
    assert _reads(dispute, "candidates").count() == 1


def test_a_refused_read_leaves_no_read_entry_and_shows_nothing(world):
    dispute = world.assigned()
    assert api_for(world.spare).get(f"/api/v1/disputes/{dispute.pk}/").status_code == 404
    assert not _reads(dispute).exists()


def test_changes_are_logged_by_the_actor_without_the_secret_values(world):
    dispute = world.dispute()
    api_for(world.coordinator).post(
        f"/api/v1/disputes/{dispute.pk}/assign/",
        {"lead": world.lead.pk, "assistant": world.assistant.pk},
        format="json",
    )
    changes = LogEntry.objects.filter(action__in=[0, 1]).exclude(actor__isnull=True)
    assert changes.filter(actor=world.coordinator, object_repr=dispute.reference).exists()
    created = LogEntry.objects.get(action=0, object_repr=dispute.reference)
    assert created.changes["narrative"][1] == "••••"
    dump = " ".join(str(e.changes) + e.object_repr for e in LogEntry.objects.all())
    for secret in (*PARTY_NAMES, *PARTY_PHONES, NARRATIVE[:8]):
        assert secret not in dump


def test_export_is_logged_and_holds_no_personal_data(world, web):
    dispute = world.assigned()
    response = web(world.coordinator).get("/mediation/export.csv")
    body = response.content.decode("utf-8-sig")
    assert dispute.reference in body
    for secret in (*PARTY_NAMES, *PARTY_PHONES, NARRATIVE[:8]):
        assert secret not in body
    assert _reads(dispute, "export").count() == 1
    assert (
        web(world.other_coordinator)
        .get("/mediation/export.csv")
        .content.decode("utf-8-sig")
        .count(dispute.reference)
        == 0
    )


def test_audit_trail_for_coordinators_and_whole_log_for_district_admins(world, web):
    dispute = world.assigned()
    api_for(world.lead).get(f"/api/v1/disputes/{dispute.pk}/")
    body = api_for(world.coordinator).get(f"/api/v1/disputes/{dispute.pk}/audit/").json()
    reads = [e for e in body["results"] if e["action"] == "read" and e["what"] == "api"]
    assert reads and reads[0]["actor"]["id"] == world.lead.pk
    assert api_for(world.lead).get(f"/api/v1/disputes/{dispute.pk}/audit/").status_code == 403
    assert web(world.district_coordinator).get("/mediation/audit/").status_code == 200
    assert web(world.coordinator).get("/mediation/audit/").status_code == 403


def test_admin_shows_disputes_only_to_superusers_and_logs_the_look(world, web):
    dispute = world.assigned()
    staff = world.coordinator
    staff.is_staff = True
    staff.save()
    assert web(staff).get(f"/admin/mediation/dispute/{dispute.pk}/change/").status_code in (
        302,
        403,
    )
    admin = web(world.admin)
    assert admin.get("/admin/mediation/dispute/").status_code == 200
    assert _reads(dispute, "admin list").filter(actor=world.admin).count() == 1
    page = admin.get(f"/admin/mediation/dispute/{dispute.pk}/change/")
    assert page.status_code == 200
    assert _reads(dispute, "admin").filter(actor=world.admin).count() == 1
    entry = LogEntry.objects.first()
    assert admin.post(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    assert admin.post(f"/admin/auditlog/logentry/{entry.pk}/change/", {}).status_code == 403


def test_the_erasure_is_audited(world):
    dispute = world.dispute()
    Dispute.objects.filter(pk=dispute.pk).update(status="closed")
    counts = dispute_erase(dispute=dispute)
    entry = LogEntry.objects.filter(object_repr=dispute.reference, action=1).latest("pk")
    assert entry.additional_data["via"] == "personal data erased"
    assert entry.additional_data["parties"] == counts["parties"] == 2


@pytest.mark.integration
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL"
)
def test_postgresql_refuses_to_change_or_delete_an_entry(world):
    world.dispute()
    entry = LogEntry.objects.first()
    for attempt in (
        lambda: LogEntry.objects.filter(pk=entry.pk).update(object_repr="changed"),
        lambda: LogEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    # Deleting a person clears her name from the entries, as Django must; nothing else moves.
    actor = world.coordinator
    LogEntry.objects.filter(pk=entry.pk).update(actor=None)
    assert LogEntry.objects.get(pk=entry.pk).actor is None and actor.pk
