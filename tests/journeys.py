"""The newcomer's cast: one person of every role in a bilingual district, with something on each
of her pages (a shift, hours served, a dispute), and the pages each of them can reach.

``build_cast()`` puts the cast in the database; ``pages_of(client)`` walks the links a signed-in
person can follow from the home page and her menu, so that a page added later is covered
without being listed here. The language checks (tests/test_language_leak.py) and the browser
journeys (tests/e2e) read the same cast and the same pages.

Every name that has an English field gets one, so that Chinese on an English page can only be
a person's own words (a name, a narrative) or a page that forgot the English name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

from activities.models import Assignment
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    AvailabilityFactory,
    SkillFactory,
    SlotFactory,
    SlotRoleFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.mediation.conftest import build_world

# A Tuesday morning in Shanghai, as in the mediation cast.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROLES = ("anonymous", "volunteer", "host", "coordinator", "mediator", "admin")
PASSWORD = "pass-word-1"
# Pages each role must reach from her menu (the walk finds more): a walk that stops early fails.
LANDMARKS = {
    "anonymous": {"/", "/whats-on/", "/accounts/login/", "/accounts/signup/"},
    "volunteer": {
        "/shifts/",
        "/my/shifts/",
        "/my/hours/",
        "/my/hours/record/",
        "/volunteer/profile/",
    },
    "host": {"/host/"},
    "coordinator": {
        "/coordination/",
        "/matching/",
        "/outbox/",
        "/coordinate/import/",
        "/mediation/",
    },
    "mediator": {"/mediation/my/", "/shifts/"},
    "admin": {"/admin/", "/mediation/audit/"},
}

# A code as the program spells it ("dispute_assigned"), never shown to a person as it is.
CODE = re.compile(r"[a-z]+(?:_[a-z]+)+")
# Links not followed: leaving, files rather than pages, the API, and actions.
SKIPPED_PREFIXES = ("/api/", "/accounts/logout/", "/static/", "/calendar/feed/", "/webhooks/")
SKIPPED_SUFFIXES = (".ics", ".csv")
# The same page for another object reads the same: at most this many of one URL name.
PER_URL_NAME = 2
# The admin is Django's; its index and one list and one form of each kind are enough.
ADMIN_PAGES = 8


@dataclass
class Cast:
    world: object
    people: dict
    slot: object
    open_slot: object
    childcare_slot: object
    past_slot: object
    dispute: object


def build_cast() -> Cast:
    """The mediation cast, plus her shift, a shift to take, hours served and a team."""
    world = build_world()
    for user, name in (
        (world.volunteer, "王小红"),
        (world.host, "黄美玲"),
        (world.coordinator, "陈静怡"),
        (world.admin, "林慧"),
    ):
        user.name = name
        user.save(update_fields=["name"])
    volunteer = world.volunteer.volunteer
    childcare = SkillFactory(code="childcare", name="托育", name_en="Childcare")
    activity = ActivityFactory(
        venue=world.venue,
        title="7点钟学堂",
        title_en="The 7 o'clock class",
        description="面向外籍妈妈的中文课。",
        description_en="Chinese for mothers from abroad.",
        starts_at=NOW + timedelta(days=2, hours=9),
        ends_at=NOW + timedelta(days=2, hours=10, minutes=30),
    )
    slot = SlotFactory(activity=activity)
    role = SlotRoleFactory(slot=slot, needed=2, label="助教")
    SlotRoleFactory(slot=slot, needed=1, skill=childcare, label="看护")
    AssignmentFactory(role=role, volunteer=volunteer)

    salon = ActivityFactory(
        venue=world.venue,
        kind="salon",
        title="妈妈沙龙",
        title_en="Mothers' salon",
        starts_at=NOW - timedelta(days=7),
        ends_at=NOW - timedelta(days=7) + timedelta(minutes=75),
    )
    past_slot = SlotFactory(activity=salon)
    past_role = SlotRoleFactory(slot=past_slot, needed=1)
    AssignmentFactory(role=past_role, volunteer=volunteer, status=Assignment.Status.ATTENDED)

    # Tomorrow evening: a shift she can take, empty (so on the coordinators' 48-hour board).
    for weekday in range(7):
        AvailabilityFactory(volunteer=volunteer, weekday=weekday, start=time(8), end=time(22))
    club = ActivityFactory(
        venue=world.venue,
        title="妈妈读书会",
        title_en="Mothers' reading club",
        starts_at=NOW + timedelta(days=1, hours=9),
        ends_at=NOW + timedelta(days=1, hours=10, minutes=30),
    )
    open_slot = SlotFactory(activity=club)
    SlotRoleFactory(slot=open_slot, needed=2, label="领读")

    # In three days, a seat only someone with the childcare skill can take: she reads why not.
    corner = ActivityFactory(
        venue=world.venue,
        title="托育角",
        title_en="Childcare corner",
        starts_at=NOW + timedelta(days=3, hours=4),
        ends_at=NOW + timedelta(days=3, hours=6),
    )
    childcare_slot = SlotFactory(activity=corner)
    SlotRoleFactory(slot=childcare_slot, needed=1, skill=childcare, label="看护")

    team = TeamFactory(
        name="洋妈妈巾帼志愿服务队", name_en="Mothers from Abroad", area=world.district
    )
    TeamMembershipFactory(team=team, volunteer=volunteer)

    dispute = world.assigned()
    people = {
        "anonymous": None,
        "volunteer": world.volunteer,
        "host": world.host,
        "coordinator": world.coordinator,
        "mediator": world.lead,
        "admin": world.admin,
    }
    return Cast(
        world=world,
        people=people,
        slot=slot,
        open_slot=open_slot,
        childcare_slot=childcare_slot,
        past_slot=past_slot,
        dispute=dispute,
    )


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _followable(href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    return path


def pages_of(
    client,
    start: tuple[str, ...] = ("/",),
    *,
    per_url_name: int = PER_URL_NAME,
    admin_pages: int = ADMIN_PAGES,
    html: dict[str, str] | None = None,
) -> list[str]:
    """The pages (paths) a person with this client's session reaches by following links.

    Breadth first from ``start``, at most ``per_url_name`` pages of each URL name and
    ``admin_pages`` of the admin; query strings are dropped (a filter shows the same page).
    Only pages that answer 200 with HTML are kept (and put in ``html``, when given).
    """
    seen: set[str] = set()
    per_name: dict[str, int] = defaultdict(int)
    admin_seen = 0
    queue = list(start)
    pages: list[str] = []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        name = match.view_name or match.route
        if per_name[name] >= per_url_name:
            continue
        if path.startswith("/admin/"):
            if admin_seen >= admin_pages or "/history/" in path or "/delete/" in path:
                continue
            admin_seen += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per_name[name] += 1
        pages.append(path)
        content = response.content.decode()
        if html is not None:
            html[path] = content
        parser = _Links()
        parser.feed(content)
        queue.extend(p for href in parser.hrefs if (p := _followable(href)) and p not in seen)
    return pages


def user_data(language: str) -> set[str]:
    """What people typed: every text value in the database, but for names in two languages
    (``name``/``name_en``, ``title``/``title_en``) only the one of ``language`` ("en" or "zh"):
    an English page shows the English name when there is one, a Chinese page the Chinese.
    Codes are not typed text (a field with choices, a ``snake_case`` kind): a page shows their
    names in words.
    """
    values: set[str] = set()
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        names = {f.name for f in fields}
        for obj in model.objects.all():
            for f in fields:
                value = getattr(obj, f.attname)
                if not isinstance(value, str) or not value.strip() or CODE.fullmatch(value):
                    continue
                if language == "en" and f"{f.name}_en" in names and getattr(obj, f"{f.name}_en"):
                    continue
                if language == "zh" and f.name.endswith("_en") and f.name[:-3] in names:
                    continue
                values.add(value.strip())
        for f in model._meta.concrete_fields:
            if isinstance(f, models.JSONField) and not f.choices:
                for obj in model.objects.all():
                    _strings(getattr(obj, f.attname), values)
    return values


def _strings(value, into: set[str]) -> None:
    if isinstance(value, str):
        if value.strip() and not CODE.fullmatch(value):
            into.add(value.strip())
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, into)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, into)
