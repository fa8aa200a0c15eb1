"""Bulk-load a district shaped like the demo's for the matcher benchmark (no seed_demo needed).

    python bench/matching_seed.py --volunteers 20000 --venues 200 --weeks 12

One district, 10 streets of 5 communities, venues spread over ~20 km, volunteers living near
their community with 1–3 weekly patterns, skills of the report's world (some rare and verified),
and for every venue about ten slots a week (classes, lectures, counselling, flea markets).
Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent

SKILLS = [
    # code, Chinese, English, needs verification, share of volunteers holding it
    ("lecture", "宣讲", "lecture", False, 0.28),
    ("english", "英语教学", "English teaching", False, 0.30),
    ("childcare", "托育", "childcare", False, 0.15),
    ("finance", "财务", "finance", False, 0.08),
    ("folk-art", "民俗手艺", "folk art", False, 0.10),
    ("counselling", "心理咨询", "counselling", True, 0.035),
    ("law", "法律咨询", "legal advice", True, 0.035),
    ("mediation", "调解", "mediation", True, 0.05),
]
PATTERNS = {
    "evenings": [(d, time(18), time(21)) for d in range(5)],
    "weekends": [(d, time(9), time(17)) for d in (5, 6)],
    "daytime": [(d, time(9), time(12)) for d in range(5)],
    "afternoons": [(d, time(14), time(17)) for d in range(5)],
}
# kind, skill of the role (or None), seats, weekday set, start hour, hours
SLOT_KINDS = [
    ("class", "english", (1, 2), range(5), 18, 2),
    ("lecture", "lecture", (1, 2), range(5), 19, 2),
    ("class", "childcare", (1, 3), (5, 6), 10, 3),
    ("counselling", "counselling", (1, 1), range(5), 9, 3),
    ("rights", "law", (1, 1), range(5), 14, 2),
    ("flea_market", None, (4, 10), (5, 6), 9, 4),
    ("flea_market", "finance", (1, 1), (5, 6), 9, 4),
    ("culture_exchange", "folk-art", (1, 2), (5, 6), 14, 3),
    ("salon", None, (1, 3), range(5), 15, 2),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--venues", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("SMS_BACKEND", "locmem")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from activities.models import Activity, Slot, SlotRole
    from venues.models import Area, Coordinator, Venue
    from volunteers.models import Availability, Skill, VolunteerProfile, VolunteerSkill

    rng = random.Random(args.seed)
    tz = ZoneInfo("Asia/Shanghai")
    centre = (31.23, 121.47)
    with transaction.atomic():
        district = Area.objects.create(name="示范区", name_en="Model District", level="district")
        communities = []
        for i in range(10):
            street = Area.objects.create(
                name=f"街道{i}", name_en=f"Street {i}", level="street", parent=district
            )
            for j in range(5):
                lat = centre[0] + rng.uniform(-0.09, 0.09)
                lon = centre[1] + rng.uniform(-0.1, 0.1)
                area = Area.objects.create(
                    name=f"社区{i}-{j}",
                    name_en=f"Community {i}-{j}",
                    level="community",
                    parent=street,
                )
                communities.append((area, lat, lon))
        coordinator = User.objects.create_user("coordinator@demo.invalid", "demo-pass-2021")
        Coordinator.objects.create(user=coordinator, area=district)
        skills = {
            code: Skill.objects.create(code=code, name=zh, name_en=en, needs_verification=verify)
            for code, zh, en, verify, _share in SKILLS
        }
        venues = []
        for k in range(args.venues):
            area, lat, lon = communities[k % len(communities)]
            venues.append(
                Venue(
                    name=f"妇女之家{k}",
                    name_en=f"Women's Home {k}",
                    kind="community",
                    area=area,
                    address=f"幸福路{k}号",
                    latitude=Decimal(f"{lat + rng.uniform(-0.01, 0.01):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.01, 0.01):.6f}"),
                )
            )
        Venue.objects.bulk_create(venues)

        users = [
            User(email=f"volunteer{n}@demo.invalid", name=f"志愿者{n}", password="!")
            for n in range(1, args.volunteers + 1)
        ]
        User.objects.bulk_create(users, batch_size=2000)
        profiles = []
        for n, user in enumerate(users):
            area, lat, lon = communities[rng.randrange(len(communities))]
            profiles.append(
                VolunteerProfile(
                    user=user,
                    phone=f"+8613{n:09d}",
                    languages=["zh"] + (["en"] if rng.random() < 0.3 else []),
                    max_hours_per_week=rng.randint(2, 16),
                    home_area=area,
                    latitude=Decimal(f"{lat + rng.gauss(0, 0.01):.6f}"),
                    longitude=Decimal(f"{lon + rng.gauss(0, 0.01):.6f}"),
                    max_travel_km=Decimal(f"{rng.uniform(3, 30):.1f}"),
                )
            )
        VolunteerProfile.objects.bulk_create(profiles, batch_size=2000)
        links, windows = [], []
        now = timezone.now()
        for profile in profiles:
            for code, _zh, _en, verify, share in SKILLS:
                if rng.random() < share:
                    links.append(
                        VolunteerSkill(
                            volunteer=profile,
                            skill=skills[code],
                            verified_at=now if (not verify or rng.random() < 0.8) else None,
                        )
                    )
            for pattern in rng.sample(sorted(PATTERNS), rng.randint(1, 3)):
                for weekday, lo, hi in PATTERNS[pattern]:
                    windows.append(
                        Availability(volunteer=profile, weekday=weekday, start=lo, end=hi)
                    )
        VolunteerSkill.objects.bulk_create(links, batch_size=5000)
        Availability.objects.bulk_create(windows, batch_size=5000)

        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        activities, slot_specs = [], []
        for venue in venues:
            for week in range(args.weeks):
                for kind, skill, seats, days, hour, hours in rng.sample(SLOT_KINDS, 5):
                    for day in rng.sample(list(days), min(2, len(days))):
                        start = datetime.combine(
                            monday + timedelta(weeks=week, days=day), time(hour), tzinfo=tz
                        )
                        activities.append(
                            Activity(
                                venue=venue,
                                kind=kind,
                                title=f"{kind} {venue.pk}",
                                title_en=f"{kind} {venue.pk}",
                                starts_at=start,
                                ends_at=start + timedelta(hours=hours),
                            )
                        )
                        slot_specs.append((skill, rng.randint(*seats)))
        Activity.objects.bulk_create(activities, batch_size=2000)
        slots = [
            Slot(activity=a, starts_at=a.starts_at, ends_at=a.ends_at, original_start=a.starts_at)
            for a in activities
        ]
        Slot.objects.bulk_create(slots, batch_size=2000)
        SlotRole.objects.bulk_create(
            (
                SlotRole(slot=slot, skill=skills[code] if code else None, needed=needed)
                for slot, (code, needed) in zip(slots, slot_specs, strict=True)
            ),
            batch_size=2000,
        )
    print(
        f"seeded {len(profiles)} volunteers, {len(venues)} venues, {len(slots)} slots "
        f"over {args.weeks} weeks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
