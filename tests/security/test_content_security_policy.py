"""A Content-Security-Policy that refuses inline scripts, and pages that need none: every page
without arguments in the URL configuration, and the main pages with one, as a person who holds
every role sees them. With https, browsers are sent there and told to stay."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities.models import Slot
from tests.factories import CoordinatorFactory, UserFactory, VolunteerFactory
from venues.models import Venue
from volunteers.models import Team

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _routes(resolver=None, prefix=""):
    """Names of the routes that take no arguments."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.pattern.regex.groups:
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            yield prefix + entry.name


@pytest.fixture
def everyone(client):
    """Superuser, coordinator of the district, host and volunteer in one person."""
    call_command("seed_demo", volunteers=4, venues=3, weeks=1, stdout=StringIO())
    user = UserFactory(is_staff=True, is_superuser=True)
    CoordinatorFactory(user=user)
    VolunteerFactory(user=user, phone_verified_at=timezone.now())
    Venue.objects.first().hosts.add(user)
    client.force_login(user)
    return client


def _pages():
    pages = []
    for name in sorted(set(_routes())):
        try:
            pages.append(reverse(name))
        except Exception:  # a route that needs query arguments of its own
            continue
    slot = Slot.objects.order_by("pk").first()
    venue = Venue.objects.order_by("pk").first()
    team = Team.objects.order_by("pk").first()
    pages += [f"/shifts/{slot.pk}/", f"/venues/{venue.pk}/", f"/teams/{team.pk}/"]
    pages += ["/admin/accounts/user/", "/admin/accounts/user/add/"]
    return pages


def test_no_page_needs_an_inline_script(everyone):
    checked = []
    for path in _pages():
        if path.startswith(("/api/v1/", "/webhooks/", "/calendar/")) or "logout" in path:
            continue
        response = everyone.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), path
        assert not HANDLER.findall(html), (path, HANDLER.findall(html))
        assert not JS_URL.findall(html), path
        checked.append(path)
    assert len(checked) > 25
    assert {"/", "/outbox/", "/admin/", "/api/docs/", "/accounts/2fa/"} <= set(checked)


def test_every_page_carries_the_policy(client):
    for path in ["/", reverse("account_login"), "/api/docs/", "/api/docs/?script="]:
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", path
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_the_api_docs_start_from_a_script_file(client):
    page = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.findall(page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
