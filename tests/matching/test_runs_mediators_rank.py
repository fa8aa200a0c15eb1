"""The matcher's second problem shape: mediators ranked for one dispute (for the mediation app)."""

from __future__ import annotations

from matching.services.mediation import mediators_rank

DISPUTE = {
    "id": "D1",
    "kind": "family",
    "language": "zh",
    "lat": 31.2000,
    "lon": 121.4000,
    "urgency": 2,
    "party_compounds": ["K-hongqiao"],
    "requires_pair": True,
}


def _mediator(mid, *, km_north=0.0, **extra):
    base = {
        "id": mid,
        "specialties": ["family"],
        "languages": ["zh"],
        "lat": 31.2000 + km_north / 111.2,
        "lon": 121.4000,
        "compound": "K-other",
        "caseload_cap": 3,
        "current_caseload": 0,
        "can_lead": True,
        "max_travel_km": 10.0,
    }
    return {**base, **extra}


def test_leads_and_assistants_ranked_by_the_rules_and_distance():
    mediators = [
        _mediator("far", km_north=8),
        _mediator("near", km_north=1),
        _mediator("neighbour", km_north=0.5, compound="K-hongqiao"),  # conflict of interest
        _mediator("no-lead", km_north=2, can_lead=False),
        _mediator("too-far", km_north=20),
        _mediator("full", km_north=0.2, current_caseload=3),
        _mediator("english", km_north=0.1, languages=["en"]),
    ]
    rows = mediators_rank(mediators=mediators, dispute=DISPUTE)
    leads = [r["mediator"] for r in rows if r["role"] == "lead"]
    assistants = [r["mediator"] for r in rows if r["role"] == "assistant"]
    # Those with a free role come first, nearest first; a full caseload goes last.
    assert leads == ["near", "far", "full"]
    assert assistants == ["near", "no-lead", "far", "full"]
    near = rows[0]
    assert near["free_roles"] == 3 and not near["in_current_plan"]
    assert 0.9 < near["distance_km"] < 1.1


def test_current_plan_and_exclusions_are_respected():
    mediators = [_mediator("a", km_north=1), _mediator("b", km_north=2)]
    rows = mediators_rank(
        mediators=mediators,
        dispute={**DISPUTE, "requires_pair": False},
        plan=[("D1", "b", None)],
        excluded=[("D1", "a")],
    )
    assert [(r["mediator"], r["role"], r["in_current_plan"]) for r in rows] == [("b", "lead", True)]
