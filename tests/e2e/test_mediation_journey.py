"""A coordinator takes in a domestic-violence dispute and assigns the first-ranked pair; the
lead mediator logs a visit and escalates; a mediator who is not on the case gets 404."""

import pytest
from allauth.account.models import EmailAddress

from mediation.models import Dispute, Escalation, Visit
from notifications.models import Message
from tests.e2e.conftest import screenshot
from tests.mediation.conftest import NARRATIVE, PARTY_NAMES, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "pass-word-1")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def test_intake_assign_visit_escalate_and_refuse(page, live_server):
    world = build_world()
    _sign_in(page, live_server, world.coordinator)
    page.goto(f"{live_server.url}/mediation/new/")
    page.select_option("#id_source", "hotline")
    page.select_option("#id_kind", "domestic_violence")
    # The area's compounds replace the list: choose one only once they have arrived.
    with page.expect_response(lambda r: "/mediation/new/compounds/" in r.url):
        page.select_option("#id_area", str(world.community.pk))
    page.locator(f"#id_compound option[value='{world.home.pk}']").wait_for(state="attached")
    page.select_option("#id_compound", str(world.home.pk))
    page.select_option("#id_urgency", "2")
    page.check("#id_safety_risk")
    page.select_option("#id_gender_preference", "female")
    page.fill("#id_party-0-name", PARTY_NAMES[0])
    page.fill("#id_party-0-phone", "13911112222")
    page.select_option("#id_party-0-relation", "spouse")
    page.fill("#id_party-1-name", PARTY_NAMES[1])
    page.select_option("#id_party-1-relation", "spouse")
    page.check("#id_party-1-unsafe_sms")
    page.fill("#id_narrative", NARRATIVE)
    page.check("input[name=lawful_basis][value=consent]")
    page.check("#id_consent_given")
    page.get_by_role("button", name="Take in").click()
    page.wait_for_load_state()
    dispute = Dispute.objects.get()
    assert page.url.endswith(f"/mediation/disputes/{dispute.pk}/")
    page.get_by_role("link", name="Find mediators").click()
    page.locator("#assign-first").wait_for()
    assert "张丽 and 刘芳" in page.locator("#assign-first").inner_text()
    screenshot(page, "mediation-candidates")
    page.locator("#assign-first").click()
    page.wait_for_load_state()
    dispute.refresh_from_db()
    assert dispute.status == "assigned"
    assert Message.objects.filter(kind="dispute_assigned").count() == 2

    _sign_in(page, live_server, world.lead)
    page.goto(f"{live_server.url}/mediation/my/")
    page.get_by_role("link", name=dispute.reference).click()
    page.wait_for_load_state()
    assert NARRATIVE in page.content()
    page.select_option("#id_step", "1")
    page.fill("#id_what_happened", "上门了解情况，女方暂住娘家。")
    page.get_by_role("button", name="Log the visit").click()
    page.wait_for_load_state()
    assert Visit.objects.filter(dispute=dispute).count() == 1
    page.locator("summary", has_text="Escalate to joint intervention").click()
    page.check(f"input[name=contacts][value='{world.partner.pk}']")
    page.fill("#id_reason", "男方威胁再次动手。")
    page.get_by_role("button", name="Escalate and tell them").click()
    page.wait_for_load_state()
    assert Escalation.objects.filter(dispute=dispute).exists()
    dispute.refresh_from_db()
    assert dispute.level == Dispute.Level.JOINT and dispute.status == "in_progress"
    screenshot(page, "mediation-case")

    _sign_in(page, live_server, world.spare)
    response = page.goto(f"{live_server.url}/mediation/disputes/{dispute.pk}/")
    assert response.status == 404
    assert NARRATIVE not in page.content()
