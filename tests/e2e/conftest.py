"""End-to-end tests: a real Chromium (Debian's package) drives the pages of a live server.

Skipped where Chromium or Playwright is missing. Playwright's own browser download is not used:
the browser is /usr/bin/chromium (or $CHROMIUM).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Screenshots of the journeys, for a person to look at (CI keeps them; git ignores them).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Where the layout changes: a phone (the menu folds) and a desktop.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# axe-core's two worst levels: what keeps someone from using the page at all.
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop in the test thread for the whole session; the
    # ORM calls the tests (and the database fixtures) make there are safe because nothing else
    # uses that connection.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def screenshot(page, name: str) -> Path:
    """A full-page screenshot under test-artifacts/ (one name per journey step)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def open_as(browser, live_server):
    """``open_as(user, language=..., viewport=...)``: a browser tab signed in as ``user``
    (None: nobody) reading ``language``, on a phone or a desktop; closed after the test.

    The session comes from Django's test client, so that the journeys do not spend their time
    (and the sign-in's failed-attempt limits) on the sign-in form, which its own test covers.
    """
    contexts = []

    def open_tab(user, *, language: str, viewport: str = "phone"):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            locale="zh-CN" if language.startswith("zh") else "en-GB",
            base_url=live_server.url,
        )
        contexts.append(context)
        cookies = [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
        ]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            )
        context.add_cookies(cookies)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser):
    # A phone-sized window: the pages are built phone first.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
