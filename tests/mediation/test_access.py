"""Who counts as able to open disputes (they will need a second factor), and the scope rules
that lists and counts follow."""

from __future__ import annotations

from mediation.selectors import disputes_visible, user_can_open_disputes

from .conftest import api_for


def test_who_can_open_disputes(world):
    able = {
        "coordinator",
        "other_coordinator",
        "district_coordinator",
        "admin",
        "lead",
        "assistant",
        "spare",
        "operator",
    }
    for role in (*able, "volunteer", "host"):
        assert user_can_open_disputes(getattr(world, role)) == (role in able), role


def test_lists_and_counts_follow_scope(world, web):
    mine = world.assigned()
    world.dispute(
        area=world.other_community, compound=world.far, by=world.other_coordinator, kind="family"
    )
    assert list(disputes_visible(user=world.coordinator)) == [mine]
    assert disputes_visible(user=world.district_coordinator).count() == 2
    assert list(disputes_visible(user=world.lead)) == [mine]
    assert not disputes_visible(user=world.spare).exists()
    assert api_for(world.other_coordinator).get("/api/v1/disputes/").json()["count"] == 1
    assert api_for(world.lead).get("/api/v1/disputes/").json()["count"] == 1
    home = web(world.coordinator).get("/").content.decode()
    assert "open disputes" in home
    rows = web(world.coordinator).get("/mediation/?q=" + mine.reference, HTTP_HX_REQUEST="true")
    assert "1 dispute" in rows.content.decode()
    assert f"/mediation/disputes/{mine.pk}/" in rows.content.decode()
    other = web(world.other_coordinator).get(
        "/mediation/?q=" + mine.reference, HTTP_HX_REQUEST="true"
    )
    assert "0 disputes" in other.content.decode()
    assert f"/mediation/disputes/{mine.pk}/" not in other.content.decode()
