"""Every mediation route, page and API, for every role: who gets in, who is refused, and how.

Outside her scope a dispute does not exist (404); a role that sees the case but may not take
the action gets 403; a role with no business in mediation at all gets 403 on pages of its own
kind; nobody signed out gets anything.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import get_resolver

from mediation.models import MediationRun, Session
from mediation.services.runs import run_create, run_get

from .conftest import api_for

ROLES = [
    "anonymous",
    "volunteer",
    "host",
    "operator",
    "coordinator",
    "other_coordinator",
    "district_coordinator",
    "lead",
    "assistant",
    "spare",
    "admin",
]
COORD = {"coordinator", "district_coordinator", "admin"}
TEAM = {"lead", "assistant"}
SEES = COORD | TEAM
# Past the permission decision: 200, 201, 202, a redirect back to the page (302), or 409 when an
# earlier allowed role already made the same change.
ALLOWED = "ok"


def _who(world, role):
    return None if role == "anonymous" else getattr(world, role)


def expect(ok: set[str], forbidden: set[str] = frozenset(), *, default: int = 404) -> dict:
    """Roles in ``ok`` get in, in ``forbidden`` get 403, the others ``default``."""
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = "login"
        elif role in ok:
            table[role] = ALLOWED
        elif role in forbidden:
            table[role] = 403
        else:
            table[role] = default
    return table


NOT_COORD = set(ROLES) - COORD - {"other_coordinator", "anonymous"}
CASE_VIEW = expect(SEES)
COORD_CASE = expect(COORD, TEAM)
LEAD_CASE = expect(COORD | {"lead"}, {"assistant"})
TEAM_ONLY = expect(TEAM, COORD)
COORD_PAGE = expect(COORD | {"other_coordinator"}, NOT_COORD, default=403)
# A mediator's settings: the coordinators who look after her (she lives in their area); to the
# coordinator of another street she does not exist.
HER_COORD_PAGE = {**COORD_PAGE, "other_coordinator": 404}
ANYONE = expect(set(ROLES))
DISTRICT_ADMIN = expect({"district_coordinator", "admin"}, set(ROLES), default=403)
INTAKE = expect(COORD | {"other_coordinator", "operator"}, set(ROLES), default=403)
RUN = expect(COORD, {"volunteer", "host", "operator", "lead", "assistant", "spare"})
API_LIST = expect(set(ROLES))

# (url name, method, url kwargs key, data, expectations)
PAGES = [
    ("mediation_disputes", "get", None, None, COORD_PAGE),
    ("mediation_export", "get", None, None, COORD_PAGE),
    ("mediation_my_cases", "get", None, None, ANYONE),
    ("mediation_intake", "get", None, None, INTAKE),
    ("mediation_compounds", "get", None, None, INTAKE),
    ("mediation_dispute", "get", "dispute", None, CASE_VIEW),
    ("mediation_dispute_edit", "get", "dispute", None, COORD_CASE),
    ("mediation_candidates", "get", "dispute", None, COORD_CASE),
    ("mediation_assess", "post", "dispute", {}, COORD_CASE),
    ("mediation_status", "post", "dispute", {"status": "in_progress"}, LEAD_CASE),
    (
        "mediation_visit",
        "post",
        "dispute",
        {"step": "1", "visited_on": "2026-03-09", "what_happened": "走访"},
        CASE_VIEW,
    ),
    ("mediation_escalate", "post", "dispute", {"contacts": ["PARTNER"], "reason": "x"}, LEAD_CASE),
    (
        "mediation_session_book",
        "post",
        "dispute",
        {"venue": "VENUE", "room": "ROOM", "day": "2026-03-12", "start": "14:00", "end": "15:00"},
        LEAD_CASE,
    ),
    ("mediation_conflict", "post", "dispute", {"reason": "knows_party"}, TEAM_ONLY),
    ("mediation_dispute_audit", "get", "dispute", None, COORD_CASE),
    ("mediation_session_cancel", "post", "session", {}, LEAD_CASE),
    ("mediation_session_ics", "get", "session", None, CASE_VIEW),
    ("mediation_runs", "get", None, None, COORD_PAGE),
    ("mediation_run", "get", "run", None, RUN),
    ("mediation_run_progress", "get", "run", None, RUN),
    ("mediation_run_rerun", "post", "run", {}, RUN),
    ("mediation_run_publish", "post", "run", {}, RUN),
    ("mediation_proposal_action", "post", "proposal", {}, RUN),
    ("mediation_mediators", "get", None, None, COORD_PAGE),
    ("mediation_mediator_edit", "get", "mediator", None, HER_COORD_PAGE),
    ("mediation_partners", "get", None, None, COORD_PAGE),
    ("mediation_partner_deactivate", "post", "partner", {}, expect(COORD, NOT_COORD)),
    ("mediation_audit", "get", None, None, DISTRICT_ADMIN),
]

API = [
    ("get", "/api/v1/disputes/", None, API_LIST),
    ("get", "/api/v1/disputes/{dispute}/", None, CASE_VIEW),
    ("get", "/api/v1/disputes/{dispute}/candidates/", None, COORD_CASE),
    ("get", "/api/v1/disputes/{dispute}/audit/", None, COORD_CASE),
    (
        "post",
        "/api/v1/disputes/{dispute}/assign/",
        {"lead": "LEAD", "assistant": "ASSISTANT"},
        COORD_CASE,
    ),
    ("get", "/api/v1/disputes/{dispute}/visits/", None, CASE_VIEW),
    (
        "post",
        "/api/v1/disputes/{dispute}/visits/",
        {"step": 1, "visited_on": "2026-03-09", "what_happened": "走访"},
        CASE_VIEW,
    ),
    (
        "post",
        "/api/v1/disputes/{dispute}/escalate/",
        {"contacts": ["PARTNER"], "reason": "x"},
        LEAD_CASE,
    ),
    ("post", "/api/v1/disputes/{dispute}/status/", {"status": "in_progress"}, LEAD_CASE),
    ("get", "/api/v1/disputes/{dispute}/sessions/", None, CASE_VIEW),
    (
        "post",
        "/api/v1/disputes/{dispute}/sessions/",
        {
            "venue": "VENUE",
            "room": "ROOM",
            "starts_at": "2026-03-12T14:00:00+08:00",
            "ends_at": "2026-03-12T15:00:00+08:00",
        },
        LEAD_CASE,
    ),
    ("post", "/api/v1/disputes/{dispute}/conflicts/", {"reason": "knows_party"}, TEAM_ONLY),
    # Another street's coordinator is told the area is not hers (a field error).
    ("post", "/api/v1/mediation/runs/", {"area": "AREA"}, {**RUN, "other_coordinator": 400}),
    ("get", "/api/v1/mediation/runs/{run}/", None, RUN),
    ("post", "/api/v1/mediation/runs/{run}/publish/", None, RUN),
    ("post", "/api/v1/mediation/runs/{run}/rerun/", None, RUN),
    ("post", "/api/v1/mediation/proposals/{proposal}/lock/", None, RUN),
    ("post", "/api/v1/mediation/proposals/{proposal}/unlock/", None, RUN),
    ("post", "/api/v1/mediation/proposals/{proposal}/remove/", None, RUN),
    ("get", "/api/v1/mediation/partners/", None, {**RUN, "other_coordinator": ALLOWED}),
    (
        "post",
        "/api/v1/mediation/partners/",
        {"area": "AREA", "kind": "court", "organisation": "法院", "phone": "13900001111"},
        {**RUN, "other_coordinator": 400},
    ),
]


def _objects(world, commit):
    dispute = world.assigned()
    session = Session.objects.create(
        dispute=dispute,
        venue=world.venue,
        room=world.venue.rooms.first(),
        starts_at=datetime(2026, 3, 12, 6, tzinfo=UTC),
        ends_at=datetime(2026, 3, 12, 7, tzinfo=UTC),
    )
    # A second, unassigned dispute gives the run something to propose.
    world.dispute(kind="family", gender_preference="", safety_risk=False)
    with commit(execute=True):
        run = run_create(by=world.coordinator, area=world.street)
    run = run_get(by=world.coordinator, run_id=run.pk)
    assert run.status == MediationRun.Status.DONE, run.error
    proposal = run.proposals.first()
    return {
        "dispute": dispute.pk,
        "session": session.pk,
        "run": run.pk,
        "proposal": proposal.pk,
        "mediator": world.spare.volunteer.pk,
        "partner": world.partner.pk,
    }


def _fill(data, world):
    if data is None:
        return None
    swaps = {
        "PARTNER": world.partner.pk,
        "VENUE": world.venue.pk,
        "ROOM": world.venue.rooms.first().pk,
        "LEAD": world.lead.pk,
        "ASSISTANT": world.assistant.pk,
        "AREA": world.street.pk,
    }
    out = {}
    for key, value in data.items():
        if isinstance(value, list):
            out[key] = [swaps.get(v, v) for v in value]
        else:
            out[key] = swaps.get(value, value)
    return out


def _check(status, expected, *, api, role):
    if expected == "login":
        assert status in ((401, 403) if api else (302,)), (role, status)
    elif expected == ALLOWED:
        assert status in (200, 201, 202, 302, 409), (role, status)
    else:
        assert status == expected, (role, status)


def _order(table):
    """Refused roles first: an allowed POST changes the case for those after it."""
    return sorted(ROLES, key=lambda r: table[r] == ALLOWED)


def test_every_route_is_in_the_matrix():
    names = {
        p.name
        for p in get_resolver().url_patterns
        for p in getattr(p, "url_patterns", [p])
        if getattr(p, "name", "") and p.name.startswith("mediation_")
    }
    assert names == {row[0] for row in PAGES}
    from mediation.api.urls import urlpatterns

    api_names = {p.name for p in urlpatterns}
    covered = {
        "dispute-list",
        "dispute-detail",
        "dispute-candidates",
        "dispute-audit",
        "dispute-assign",
        "dispute-visits",
        "dispute-escalate",
        "dispute-set-status",
        "dispute-sessions",
        "dispute-conflicts",
        "mediation-run-list",
        "mediation-run-detail",
        "mediation-run-publish",
        "mediation-run-rerun",
        "mediation-proposal-lock",
        "mediation-proposal-unlock",
        "mediation-proposal-remove",
        "mediation-partner-list",
    }
    assert api_names == covered
    assert len(API) >= len(covered)


@pytest.mark.parametrize("name,method,key,data,table", PAGES, ids=[p[0] for p in PAGES])
def test_page(world, client, django_capture_on_commit_callbacks, name, method, key, data, table):
    from django.urls import reverse

    ids = _objects(world, django_capture_on_commit_callbacks)
    url = (
        reverse(name, kwargs={"pk": ids[key]} if key else None)
        if name != "mediation_proposal_action"
        else reverse(name, kwargs={"pk": ids[key], "verb": "lock"})
    )
    for role in _order(table):
        client.logout()
        user = _who(world, role)
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, _fill(data, world) or {})
        _check(response.status_code, table[role], api=False, role=role)


@pytest.mark.parametrize("method,path,data,table", API, ids=[f"{a[0]} {a[1]}" for a in API])
def test_api(world, django_capture_on_commit_callbacks, method, path, data, table):
    ids = _objects(world, django_capture_on_commit_callbacks)
    url = path.format(**ids)
    for role in _order(table):
        api = api_for(_who(world, role))
        response = getattr(api, method)(url, _fill(data, world), format="json")
        _check(response.status_code, table[role], api=True, role=role)
