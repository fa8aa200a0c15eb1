"""``manage.py seed_demo``: the demo world of the federation's year-end report.

Re-running adds only what is missing (accounts by email, places by name, activities by venue
and title), so it never duplicates. It is also the benchmark loader: 20,000 volunteers load
in seconds because rows are made in memory and written in batches.
"""

from __future__ import annotations

import random
import time

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo import disputes, people, places, schedule
from volunteers.models import VolunteerProfile

COUNTED = [
    "accounts.User",
    "account.EmailAddress",
    "venues.Area",
    "venues.Venue",
    "venues.Room",
    "venues.Coordinator",
    "volunteers.Skill",
    "volunteers.VolunteerProfile",
    "volunteers.VolunteerSkill",
    "volunteers.Availability",
    "volunteers.Team",
    "volunteers.TeamMembership",
    "activities.Activity",
    "activities.ActivityRole",
    "activities.Slot",
    "activities.SlotRole",
    "activities.Assignment",
    "mediation.Compound",
    "mediation.Dispute",
    "mediation.Party",
    "mediation.MediatorAssignment",
    "mediation.Visit",
]
PAST_WEEKS = 4


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=int, default=60)
        parser.add_argument("--mediators", type=int, default=None, help="default: N/500, ≥ 6")
        parser.add_argument("--venues", type=int, default=8)
        parser.add_argument("--weeks", type=int, default=12)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--password", default="demo-pass-2021")
        parser.add_argument("--disputes", type=int, default=300)

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        n_volunteers = options["volunteers"]
        n_venues = options["venues"]
        weeks = options["weeks"]
        if n_volunteers < 0 or n_venues < 3 or weeks < 1:
            raise CommandError("Use --volunteers ≥ 0, --venues ≥ 3 and --weeks ≥ 1.")
        n_mediators = options["mediators"] or max(6, n_volunteers // 500)
        seed = options["seed"]
        rng = random.Random(seed)
        started = time.perf_counter()
        before = _counts()
        now = timezone.now()
        # Hashing is slow on purpose; every demo account shares this one hash of the password.
        password_hash = make_password(options["password"])

        with transaction.atomic():
            district, streets, communities = places.areas_ensure(
                rng=rng, communities=max(n_venues, 6)
            )
            venues = places.venues_ensure(rng=rng, count=n_venues, communities=communities)
            skills = places.skills_ensure()
            teams = places.teams_ensure(district=district, streets=streets, venues=venues)
            places.english_names_fill()
            self._step("places", started)

            staff = [
                people.Person("admin@demo.invalid", "系统管理员", is_superuser=True),
                people.Person("coordinator@demo.invalid", "周红（区妇联）"),
                people.Person("street-coordinator@demo.invalid", "陈静（虹桥街道妇联）"),
            ]
            host_rng = random.Random(f"{seed}-hosts")
            hosts = [
                people.Person(f"host{i}@demo.invalid", people.chinese_name(host_rng))
                for i in range(1, n_venues + 1)
            ]
            international = [v.area for v in venues if v.kind == "international"]
            plans = [
                people.volunteer_plan(
                    seed=seed,
                    index=i,
                    mediator=False,
                    communities=communities,
                    international=international,
                )
                for i in range(1, n_volunteers + 1)
            ] + [
                people.volunteer_plan(
                    seed=seed,
                    index=i,
                    mediator=True,
                    communities=communities,
                    international=international,
                )
                for i in range(1, n_mediators + 1)
            ]
            user_ids = people.users_ensure(
                people=staff + hosts + [person for person, _plan in plans],
                password_hash=password_hash,
            )
            users = {
                u.email: u for u in User.objects.filter(email__in=[p.email for p in staff + hosts])
            }
            coordinator = users["coordinator@demo.invalid"]
            people.coordinators_ensure(
                pairs=[
                    (coordinator, district),
                    (users["street-coordinator@demo.invalid"], streets[0]),
                ]
            )
            host_users = [users[h.email] for h in hosts]
            people.hosts_ensure(venues=venues, hosts=host_users)
            people.volunteers_ensure(
                plans=[plan for _person, plan in plans],
                users=user_ids,
                skills=skills,
                teams=teams,
                verifier=coordinator,
                now=now,
            )
            self._step("people", started)

            since = timezone.now()
            made = schedule.activities_ensure(
                seed=seed,
                venues=venues,
                host_of={v.pk: host_users[i % len(host_users)] for i, v in enumerate(venues)},
                skills=skills,
                teams=teams,
                now=now,
                weeks=weeks,
                past_weeks=PAST_WEEKS,
            )
            self._step(f"{len(made)} activities and their slots", started)
            schedule.assignments_make(rng=rng, since=since, now=now)
            self._step("assignments", started)
            mediator_emails = [person.email for person, _plan in plans[n_volunteers:]]
            made_disputes = disputes.disputes_ensure(
                seed=seed,
                count=options["disputes"],
                district=district,
                streets=streets,
                communities=communities,
                coordinator=coordinator,
                mediators=list(
                    VolunteerProfile.objects.filter(user__email__in=mediator_emails).select_related(
                        "user"
                    )
                ),
                now=now,
            )
            self._step(f"{made_disputes} disputes", started)

        after = _counts()
        elapsed = time.perf_counter() - started
        self.stdout.write("")
        self.stdout.write(f"{'table':<32}{'made':>10}{'total':>10}")
        for label in COUNTED:
            self.stdout.write(f"{label:<32}{after[label] - before[label]:>10}{after[label]:>10}")
        made_rows = sum(after.values()) - sum(before.values())
        self.stdout.write(f"{'all':<32}{made_rows:>10}{sum(after.values()):>10}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        self._logins(options["password"], n_venues, n_volunteers, n_mediators)

    def _step(self, what: str, started: float) -> None:
        if self.verbosity > 1:
            self.stdout.write(f"  {what}: {time.perf_counter() - started:.1f} s")

    def _logins(self, password: str, venues: int, volunteers: int, mediators: int) -> None:
        def last(stem: str, n: int) -> str:
            return f" … {stem}{n}@demo.invalid" if n > 1 else ""

        rows = [
            ("admin@demo.invalid", "administrator (/admin/)"),
            ("coordinator@demo.invalid", "coordinator of the whole district"),
            ("street-coordinator@demo.invalid", "coordinator of Hongqiao street"),
            (f"host1@demo.invalid{last('host', venues)}", "hosts, one venue each"),
        ]
        if volunteers:
            rows.append((f"volunteer1@demo.invalid{last('volunteer', volunteers)}", "volunteers"))
        rows.append(
            (f"mediator1@demo.invalid{last('mediator', mediators)}", "entrepreneur mediators")
        )
        width = max(len(r[0]) for r in rows)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {password}):")
        for who, what in rows:
            self.stdout.write(f"  {who:<{width}}  {what}")
