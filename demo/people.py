"""Demo accounts and volunteers: made in bulk, found again by email so a re-run adds nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db.models import Q

from accounts.models import User
from venues.models import Area, Coordinator, Venue
from volunteers.models import (
    Availability,
    Skill,
    Team,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)

from . import world

DOMAIN = "@demo.invalid"
BATCH = 2000

# (weekdays it may fall on, start, end): evenings after work, weekend half-days, lunch breaks
# in the office towers, afternoons for retired women.
WINDOWS = [
    ((0, 1, 2, 3, 4), time(18, 30), time(21, 30)),
    ((5,), time(9, 0), time(12, 30)),
    ((5,), time(13, 30), time(17, 30)),
    ((6,), time(9, 0), time(12, 30)),
    ((6,), time(13, 30), time(17, 30)),
    ((0, 1, 2, 3, 4), time(11, 30), time(13, 30)),
    ((0, 1, 2, 3, 4), time(8, 30), time(11, 30)),
    ((0, 1, 2, 3, 4), time(15, 30), time(18, 0)),
]


@dataclass
class Person:
    email: str
    name: str
    language: str = "zh-hans"
    is_staff: bool = False
    is_superuser: bool = False


@dataclass
class VolunteerPlan:
    email: str
    phone: str
    languages: list[str]
    skills: list[tuple[str, bool]]  # (code, verified)
    teams: list[str]
    windows: list[tuple[int, time, time]]
    max_hours: int
    home_area: Area
    lat: float
    lon: float
    foreign: bool = False
    extra: dict = field(default_factory=dict)


def chinese_name(rng: random.Random) -> str:
    return rng.choice(world.SURNAMES) + rng.choice(world.GIVEN_NAMES)


def users_ensure(*, people: list[Person], password_hash: str) -> dict[str, int]:
    """Users for ``people`` that do not exist yet, each with a verified primary address;
    returns the ids of all demo users by email.

    Every demo user gets the same ``password_hash``: hashing is deliberately slow, and doing it
    once instead of 20,000 times is what lets the big data set load in seconds.
    """
    existing = set(User.objects.filter(email__endswith=DOMAIN).values_list("email", flat=True))
    new = [
        User(
            email=p.email,
            name=p.name,
            password=password_hash,
            preferred_language=p.language,
            is_staff=p.is_staff or p.is_superuser,
            is_superuser=p.is_superuser,
        )
        for p in people
        if p.email not in existing
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    users = dict(User.objects.filter(email__endswith=DOMAIN).values_list("email", "id"))
    verified = set(
        EmailAddress.objects.filter(email__endswith=DOMAIN).values_list("email", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=users[p.email], email=p.email, verified=True, primary=True)
            for p in people
            if p.email not in verified
        ],
        batch_size=BATCH,
    )
    return users


def coordinators_ensure(*, pairs: list[tuple[User, Area]]) -> None:
    existing = set(Coordinator.objects.values_list("user_id", "area_id"))
    Coordinator.objects.bulk_create(
        [
            Coordinator(user=user, area=area, phone="+862162000000")
            for user, area in pairs
            if (user.pk, area.pk) not in existing
        ]
    )


def hosts_ensure(*, venues: list[Venue], hosts: list[User]) -> None:
    """Host i runs venue i (and, with fewer hosts than venues, every len(hosts)-th after it)."""
    through = Venue.hosts.through
    existing = set(through.objects.filter(venue__in=venues).values_list("venue_id", "user_id"))
    through.objects.bulk_create(
        [
            through(venue_id=venue.pk, user_id=hosts[i % len(hosts)].pk)
            for i, venue in enumerate(venues)
            if (venue.pk, hosts[i % len(hosts)].pk) not in existing
        ],
        batch_size=BATCH,
    )


def _skills_pick(rng: random.Random, k: int) -> list[tuple[str, bool]]:
    codes = list(world.SKILL_WEIGHTS)
    weights = [world.SKILL_WEIGHTS[c] for c in codes]
    trusted = {code for code, _zh, _en, trust in world.SKILLS if trust}
    picked: dict[str, bool] = {}
    while len(picked) < k:
        code = rng.choices(codes, weights)[0]
        # Most trusted skills have been checked already; some wait for a coordinator.
        picked[code] = code not in trusted or rng.random() < 0.7
    return list(picked.items())


def _windows_pick(rng: random.Random) -> list[tuple[int, time, time]]:
    chosen: dict[tuple[int, time], tuple[int, time, time]] = {}
    for _ in range(rng.randint(1, 3)):
        days, start, end = rng.choice(WINDOWS)
        for day in rng.sample(days, min(len(days), rng.randint(1, 2))):
            chosen[(day, start)] = (day, start, end)
    return sorted(chosen.values())


def volunteer_plan(
    *,
    seed: int,
    index: int,
    mediator: bool,
    communities: list[Area],
    international: list[Area],
) -> tuple[Person, VolunteerPlan]:
    """One volunteer, decided by (seed, index) alone so that a bigger N keeps the first ones."""
    kind = "m" if mediator else "v"
    rng = random.Random(f"{seed}-{kind}-{index}")
    lat0, lon0 = world.DISTRICT_CENTRE
    lat, lon = lat0 + rng.gauss(0, 0.018), lon0 + rng.gauss(0, 0.022)
    max_hours = rng.choice([2, 4, 4, 6, 6, 8, 10])
    windows = _windows_pick(rng)
    area = rng.choice(communities)
    if mediator:
        email = f"mediator{index}{DOMAIN}"
        person = Person(email=email, name=chinese_name(rng))
        skills = [("mediation", True)]
        if rng.random() < 0.4:
            skills.append(("law", True))
        if rng.random() < 0.5:
            skills.append(("finance", True))
        languages = ["zh", "en"] if rng.random() < 0.3 else ["zh"]
        return person, VolunteerPlan(
            email,
            f"+86139{index:08d}",
            languages,
            skills,
            ["mediators"],
            windows,
            max_hours,
            area,
            lat,
            lon,
        )
    email = f"volunteer{index}{DOMAIN}"
    teams: list[str] = []
    # One in twelve is a foreign mother of the international community.
    if international and index % 12 == 5:
        name, native = world.FOREIGN_NAMES[index % len(world.FOREIGN_NAMES)]
        person = Person(email=email, name=name, language="en")
        languages = [native] + (["en"] if native != "en" else [])
        if rng.random() < 0.4:
            languages.append("zh")
        skills = (
            [("english", True), ("childcare", True)] if native == "en" else [("childcare", True)]
        )
        skills += [s for s in _skills_pick(rng, 1) if s[0] not in dict(skills)]
        area = rng.choice(international)
        return person, VolunteerPlan(
            email,
            f"+86138{index:08d}",
            languages,
            skills,
            ["foreign_mothers"],
            windows,
            max_hours,
            area,
            lat,
            lon,
            foreign=True,
        )
    person = Person(email=email, name=chinese_name(rng))
    languages = ["zh"] + (["en"] if rng.random() < 0.15 else [])
    skills = _skills_pick(rng, rng.choice([1, 1, 2, 2, 3]))
    codes = dict(skills)
    if "lecture" in codes and rng.random() < 0.5:
        teams.append("lecturers")
    if codes.get("psych-counselling"):
        teams.append("counsellors")
    if "folk-culture" in codes and rng.random() < 0.5:
        teams.append("folk_culture")
    if codes.get("social-work"):
        teams.append("social_workers")
    return person, VolunteerPlan(
        email,
        f"+86138{index:08d}",
        languages,
        skills,
        teams,
        windows,
        max_hours,
        area,
        lat,
        lon,
    )


def volunteers_ensure(
    *,
    plans: list[VolunteerPlan],
    users: dict[str, int],
    skills: dict[str, Skill],
    teams: dict[str, Team],
    verifier: User,
    now: datetime,
) -> int:
    """Profiles, skills, availability and team places for the plans that have no profile yet."""
    user_ids = [users[p.email] for p in plans]
    # Only profiles made here are filled in: a re-run leaves existing volunteers as they are.
    have = set(
        VolunteerProfile.objects.filter(user__email__endswith=DOMAIN).values_list(
            "user_id", flat=True
        )
    )
    taken_phones = set(
        VolunteerProfile.objects.filter(
            Q(phone__startswith="+86138") | Q(phone__startswith="+86139")
        ).values_list("phone", flat=True)
    )
    todo = [(p, uid) for p, uid in zip(plans, user_ids, strict=True) if uid not in have]
    VolunteerProfile.objects.bulk_create(
        [
            VolunteerProfile(
                user_id=uid,
                phone=None if p.phone in taken_phones else p.phone,
                phone_verified_at=now,
                languages=p.languages,
                max_hours_per_week=p.max_hours,
                home_area=p.home_area,
                latitude=Decimal(f"{p.lat:.6f}"),
                longitude=Decimal(f"{p.lon:.6f}"),
                max_travel_km=Decimal("5.0") if p.max_hours <= 4 else Decimal("10.0"),
            )
            for p, uid in todo
        ],
        batch_size=BATCH,
    )
    profile_of = dict(
        VolunteerProfile.objects.filter(user__email__endswith=DOMAIN).values_list("user_id", "id")
    )
    links, windows, members = [], [], []
    leaders = set(
        TeamMembership.objects.filter(role=TeamMembership.Role.LEADER).values_list(
            "team_id", flat=True
        )
    )
    for plan, uid in todo:
        pid = profile_of[uid]
        for code, verified in plan.skills:
            skill = skills[code]
            ok = verified and skill.needs_verification
            links.append(
                VolunteerSkill(
                    volunteer_id=pid,
                    skill=skill,
                    verified_at=now if ok else None,
                    verified_by=verifier if ok else None,
                )
            )
        windows.extend(
            Availability(volunteer_id=pid, weekday=d, start=s, end=e) for d, s, e in plan.windows
        )
        for key in plan.teams:
            team = teams[key]
            role = TeamMembership.Role.MEMBER
            if team.pk not in leaders:
                leaders.add(team.pk)
                role = TeamMembership.Role.LEADER
            members.append(TeamMembership(team=team, volunteer_id=pid, role=role))
    VolunteerSkill.objects.bulk_create(links, batch_size=BATCH)
    Availability.objects.bulk_create(windows, batch_size=BATCH)
    TeamMembership.objects.bulk_create(members, batch_size=BATCH)
    return len(todo)
