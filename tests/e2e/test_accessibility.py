"""Every page of every role's journey passes axe-core (the engine of the browsers' own
accessibility audits) with no serious or critical violation, in Chinese and in English.

The pages are those ``tests.journeys.pages_of`` reaches for each role (one of each kind, and
three of Django's admin); a page reached by several roles is checked once, as the first of
them sees it. Desktop width: the phone layout is checked by the journeys.
"""

import pytest
import time_machine
from django.test import Client

from tests.e2e.conftest import axe_violations
from tests.journeys import NOW, ROLES, build_cast, pages_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_page_passes_axe_in_both_languages(open_as):
    with time_machine.travel(NOW, tick=True):
        cast = build_cast()
        pages_by_role: dict[str, list[str]] = {}
        checked: set[str] = set()
        for role in ROLES:
            client = Client()
            if cast.people[role] is not None:
                client.force_login(cast.people[role])
            pages = pages_of(client, per_url_name=1, admin_pages=3)
            pages_by_role[role] = [p for p in pages if p not in checked]
            checked.update(pages)

        found: dict[str, list[str]] = {}
        for language in ("zh-hans", "en"):
            for role, pages in pages_by_role.items():
                page = open_as(cast.people[role], language=language, viewport="desktop")
                for path in pages:
                    response = page.goto(path)
                    assert response.status == 200, (role, path)
                    if violations := axe_violations(page):
                        found[f"{language} {role} {path}"] = violations
    assert len(checked) > 30, checked
    assert not found, "\n".join(f"{where}: {v}" for where, v in found.items())


def test_axe_finds_what_it_should(browser):
    """The check itself: a page with an unlabelled field and an image without words fails."""
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><body><main><h1>Form</h1><input type="text">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    violations = " ".join(axe_violations(page))
    page.close()
    assert "label (critical)" in violations
    assert "image-alt (critical)" in violations
