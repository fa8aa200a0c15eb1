"""A coordinator opens the reports: the charts are drawn by the vendored ECharts from the page's
JSON data island under the Content-Security-Policy, each beside its table; the summary's copy
button puts the sentences on the clipboard."""

import pytest
from allauth.account.models import EmailAddress

from tests.reports.conftest import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUERY = "start=2026-01-01&end=2026-03-31"


def _sign_in(page, live_server, user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "pass-word-1")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def test_charts_drawn_and_summary_copied(page, live_server):
    world = build_world()
    errors = []
    # Script errors and CSP refusals; a missing file shows in ``missing`` (the browser's own
    # favicon request logs a 404 to the console without a response event).
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    _sign_in(page, live_server, world.coordinator)

    page.goto(f"{live_server.url}/reports/?area={world.district.pk}&{QUERY}")
    for chart in ("monthly", "kinds", "streets"):
        page.locator(f"[data-chart={chart}] svg").wait_for()
    # Each chart's table is beside it, for screen readers and printing.
    assert page.locator("#table-monthly tbody tr").count() == 3
    assert page.locator("#table-streets tbody tr").count() == 2
    page.screenshot(path="/tmp/e2e-reports.png", full_page=True)
    assert missing == []
    assert errors == []

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/reports/summary/?area={world.district.pk}&{QUERY}")
    button = page.locator("button[data-copy=summary-zh-hans]")
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("2026-01-01 至 2026-03-31，示范区入户走访 2 户（走访 3 次）")
    assert errors == []
