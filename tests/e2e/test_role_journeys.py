"""Each role's journey in Chromium, as a newcomer walks it: Chinese on a phone, English on a
desktop (the two layouts and the two languages, each once). Every step asserts what she reads
(titles in her language, labels, names, counts and totals), takes a screenshot under
test-artifacts/, and the states only a journey reaches (after signing up, after logging a visit)
are checked with axe-core too.
"""

from __future__ import annotations

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from activities.models import Assignment
from mediation.models import Visit
from tests.e2e.conftest import axe_violations, screenshot
from tests.journeys import NOW, build_cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WAYS = [
    pytest.param("zh-hans", "phone", id="chinese-phone"),
    pytest.param("en", "desktop", id="english-desktop"),
]


def t(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def t_n(language: str, singular: str, plural: str, n: int) -> str:
    with translation.override(language):
        return ngettext(singular, plural, n) % {"n": n}


def title(activity, language: str) -> str:
    return activity.title if language.startswith("zh") else activity.title_en


def name(thing, language: str) -> str:
    return thing.name if language.startswith("zh") else thing.name_en


def from_menu(page, language: str, viewport: str, item: str) -> None:
    """Follow an item of the menu, opening it first on a phone, where it folds."""
    link = page.locator("header nav").get_by_role("link", name=t(language, item), exact=True)
    if viewport == "phone":
        assert not link.is_visible(), "the menu should be folded on a phone"
        page.locator("header summary").click()
    assert link.is_visible()
    link.click()
    page.wait_for_load_state()


def main_text(page) -> str:
    return page.locator("main").inner_text()


def no_blocking_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, violations


@pytest.fixture
def cast():
    with time_machine.travel(NOW, tick=True):
        yield build_cast()


@pytest.mark.parametrize(("language", "viewport"), WAYS)
def test_volunteer_finds_a_shift_takes_it_and_reads_her_hours(open_as, cast, language, viewport):
    club, salon = cast.open_slot.activity, cast.past_slot.activity
    page = open_as(cast.people["volunteer"], language=language, viewport=viewport)
    page.goto("/")
    from_menu(page, language, viewport, "Shifts for me")
    card = page.locator("article.card", has_text=title(club, language))
    assert t_n(language, "%(n)s seat left", "%(n)s seats left", 2) in card.inner_text()
    assert "领读" in card.inner_text()
    corner = cast.childcare_slot.activity
    assert title(corner, language) not in main_text(page)
    # The shifts she cannot take, each with the reason in her language. On a phone the filters
    # are folded behind "Filter".
    filters = page.locator("details.filters-panel")
    if not filters.evaluate("panel => panel.open"):
        with translation.override(language):
            filters.locator("summary").filter(has_text=pgettext("button", "Filter")).click()
    page.get_by_label(t(language, "Also shifts I cannot take, with the reason")).check()
    page.locator("main form").get_by_role("button", name=t(language, "Show")).first.click()
    page.wait_for_load_state()
    refused = page.locator("article.card", has_text=title(corner, language))
    skill = name(cast.childcare_slot.roles.get().skill, language)
    with translation.override(language):
        reason = gettext("This role needs the skill “%(skill)s”, which is not in your profile.") % {
            "skill": skill
        }
    assert reason in refused.inner_text()
    screenshot(page, f"volunteer-{language}-{viewport}-1-shifts")
    page.goto("/shifts/")

    card.get_by_role("link", name=title(club, language)).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title(club, language)
    assert name(cast.world.venue, language) in main_text(page)
    page.get_by_role("button", name=t(language, "Sign up"), exact=True).click()
    page.get_by_text(t(language, "You have a seat on this shift.")).wait_for()
    assert page.get_by_role("button", name=t(language, "Cancel my place")).is_visible()
    assert Assignment.objects.get(slot=cast.open_slot).status == Assignment.Status.CONFIRMED
    no_blocking_violations(page)
    screenshot(page, f"volunteer-{language}-{viewport}-2-signed-up")

    from_menu(page, language, viewport, "My shifts")
    coming = main_text(page)
    assert title(club, language) in coming and title(cast.slot.activity, language) in coming
    assert coming.index(title(club, language)) < coming.index(title(cast.slot.activity, language))
    assert title(salon, language) in coming  # under "Recent", attended
    screenshot(page, f"volunteer-{language}-{viewport}-3-my-shifts")

    from_menu(page, language, viewport, "My hours")
    total = page.locator(".stats li").nth(0)
    attended = page.locator(".stats li").nth(1)
    with translation.override(language):
        assert pgettext("time", "given") in total.inner_text()
    assert attended.locator("strong").inner_text() == "1"
    # One salon, so one month and one kind: each table says what the headline says.
    hours = total.locator("strong").inner_text()
    month_rows = page.locator("table").nth(0).locator("tbody tr")
    kind_rows = page.locator("table").nth(1).locator("tbody tr")
    assert month_rows.count() == 1 and kind_rows.count() == 1
    assert month_rows.locator("td").nth(1).inner_text() == hours
    assert kind_rows.locator("td").nth(0).inner_text() == t(language, "Salon")
    assert kind_rows.locator("td").nth(1).inner_text() == hours
    screenshot(page, f"volunteer-{language}-{viewport}-4-hours")


@pytest.mark.parametrize(("language", "viewport"), WAYS)
def test_host_reads_her_venue_fill_and_roster(open_as, cast, language, viewport):
    activity = cast.slot.activity
    page = open_as(cast.people["host"], language=language, viewport=viewport)
    page.goto("/")
    from_menu(page, language, viewport, "My venues")
    assert name(cast.world.venue, language) in main_text(page)
    row = page.locator("tr", has_text=title(activity, language))
    # 1 of 3 seats: her helper's seat taken, another helper and the childminder missing.
    assert "1 / 3" in row.inner_text()
    assert "1 × 助教" in row.inner_text() and "1 × 看护" in row.inner_text()
    screenshot(page, f"host-{language}-{viewport}-1-venues")

    row.get_by_role("link", name=t(language, "Roster and changes")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title(activity, language)
    roster = page.locator("tr", has_text=cast.people["volunteer"].name)
    assert "助教" in roster.inner_text()
    assert t(language, "Confirmed") in roster.inner_text()
    assert page.get_by_role("button", name=t(language, "Cancel it")).is_visible()
    screenshot(page, f"host-{language}-{viewport}-2-roster")


@pytest.mark.parametrize(("language", "viewport"), WAYS)
def test_coordinator_sees_the_empty_shift_and_the_dispute(open_as, cast, language, viewport):
    page = open_as(cast.people["coordinator"], language=language, viewport=viewport)
    page.goto("/")
    from_menu(page, language, viewport, "Coordination")
    row = page.locator("tbody tr", has_text=title(cast.open_slot.activity, language))
    assert "0 / 2" in row.inner_text()
    assert t(language, "empty") in row.inner_text()
    assert page.locator("tbody tr").count() == 1  # her own shift is three days away
    screenshot(page, f"coordinator-{language}-{viewport}-1-board")

    from_menu(page, language, viewport, "Disputes")
    dispute = cast.dispute
    row = page.locator("tbody tr", has_text=dispute.reference)
    assert t(language, "Domestic violence") in row.inner_text()
    assert "张丽" in row.inner_text()
    assert t_n(language, "%(n)s dispute", "%(n)s disputes", 1) in main_text(page)
    screenshot(page, f"coordinator-{language}-{viewport}-2-disputes")

    row.get_by_role("link", name=dispute.reference).click()
    page.wait_for_load_state()
    text = main_text(page)
    assert dispute.narrative in text
    team = page.locator("main li", has_text="张丽").first.inner_text()
    assert t(language, "Lead mediator") in team
    assert (
        t(language, "Assistant mediator")
        in page.locator("main li", has_text="刘芳").first.inner_text()
    )
    screenshot(page, f"coordinator-{language}-{viewport}-3-case")


@pytest.mark.parametrize(("language", "viewport"), WAYS)
def test_mediator_reads_her_case_and_logs_a_visit(open_as, cast, language, viewport):
    dispute = cast.dispute
    page = open_as(cast.people["mediator"], language=language, viewport=viewport)
    page.goto("/")
    from_menu(page, language, viewport, "My cases")
    case = page.locator("main li, main article, main tr", has_text=dispute.reference).first
    assert t(language, "You lead this case.") in main_text(page)
    assert t(language, "Domestic violence") in case.inner_text()
    screenshot(page, f"mediator-{language}-{viewport}-1-my-cases")

    page.get_by_role("link", name=dispute.reference).click()
    page.wait_for_load_state()
    page.select_option("#id_step", "1")
    page.fill("#id_what_happened", "上门了解情况，女方暂住娘家。")
    page.get_by_role("button", name=t(language, "Log the visit")).click()
    page.wait_for_load_state()
    assert Visit.objects.filter(dispute=dispute).count() == 1
    assert "上门了解情况，女方暂住娘家。" in main_text(page)
    assert t(language, "No visit yet.") not in main_text(page)
    no_blocking_violations(page)
    screenshot(page, f"mediator-{language}-{viewport}-2-visit-logged")


@pytest.mark.parametrize(("language", "viewport"), WAYS)
def test_admin_reads_the_audit_log_in_her_language(open_as, cast, language, viewport):
    page = open_as(cast.people["admin"], language=language, viewport=viewport)
    page.goto("/")
    from_menu(page, language, viewport, "Audit log")
    created = page.locator("tbody tr", has_text=t(language, "created")).filter(
        has_text=cast.dispute.reference
    )
    assert created.count() >= 1
    text = created.last.inner_text()
    # The fields she changed, as the intake form names them, never the columns' names.
    with translation.override(language):
        from mediation.models import Dispute

        urgency = str(Dispute._meta.get_field("urgency").verbose_name)
    assert urgency in text
    assert "safety_risk" not in main_text(page)
    screenshot(page, f"admin-{language}-{viewport}-1-audit")

    page.goto("/admin/")
    with translation.override(language):
        from django.contrib.admin import site

        site_header = str(site.site_header)
    assert page.locator("#site-name").inner_text() == site_header
    assert t(language, "Site administration") in page.locator("main, #content").first.inner_text()
    screenshot(page, f"admin-{language}-{viewport}-2-admin")
