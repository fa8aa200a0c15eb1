"""Demo areas, venues, rooms, skills and teams: found by their natural keys, made when missing."""

from __future__ import annotations

import random
from decimal import Decimal

from activities.models import ActivityRole, SlotRole
from venues.models import Area, Room, Venue
from volunteers.models import Skill, Team

from . import world


def _coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def areas_ensure(*, rng: random.Random, communities: int) -> tuple[Area, list[Area], list[Area]]:
    """The district, its streets and ``communities`` communities spread over the streets."""
    district, _ = Area.objects.get_or_create(
        level=Area.Level.DISTRICT,
        name=world.DISTRICT[0],
        defaults={"name_en": world.DISTRICT[1]},
    )
    existing_streets = {a.name: a for a in Area.objects.filter(parent=district)}
    missing = [
        Area(
            level=Area.Level.STREET, parent=district, name=zh, name_en=en, is_town=zh.endswith("镇")
        )
        for zh, en, _lat, _lon in world.STREETS
        if zh not in existing_streets
    ]
    Area.objects.bulk_create(missing)
    by_name = {a.name: a for a in Area.objects.filter(parent=district)}
    streets = [by_name[zh] for zh, *_rest in world.STREETS]

    wanted: list[tuple[str, str, Area]] = []
    # The international community is named in the report: Gubei, in Hongqiao street.
    wanted.append(("古北国际社区", "Gubei International Community", streets[0]))
    stems = world.COMMUNITY_STEMS[1:]
    n = 0
    while len(wanted) < communities:
        zh_stem, en_stem = stems[n % len(stems)]
        round_ = n // len(stems)
        if round_ == 0:
            zh, en = f"{zh_stem}社区", f"{en_stem} Community"
        else:
            number = world.CHINESE_NUMBERS[round_] if round_ < 10 else str(round_ + 1)
            zh, en = f"{zh_stem}{number}村社区", f"{en_stem} Village {round_ + 1} Community"
        wanted.append((zh, en, streets[n % len(streets)]))
        n += 1
    existing = set(
        Area.objects.filter(level=Area.Level.COMMUNITY, parent__in=streets).values_list(
            "parent_id", "name"
        )
    )
    Area.objects.bulk_create(
        [
            Area(level=Area.Level.COMMUNITY, parent=street, name=zh, name_en=en)
            for zh, en, street in wanted
            if (street.pk, zh) not in existing
        ],
        batch_size=1000,
    )
    names = {(street.pk, zh) for zh, _en, street in wanted}
    found = {
        (a.parent_id, a.name): a
        for a in Area.objects.filter(level=Area.Level.COMMUNITY, parent__in=streets)
    }
    ordered = [found[(street.pk, zh)] for zh, _en, street in wanted if (street.pk, zh) in names]
    return district, streets, ordered


def _venue_plan(index: int, community: Area) -> tuple[str, str, str, str]:
    """(kind, name, name_en, address) of the venue at ``index``; the first three are the
    report's showcase homes."""
    street = community.parent.name if community.parent_id else ""
    if index == 0:
        return (
            "office",
            "第一广场楼宇妇女之家",
            "First Plaza Building Women's Home",
            f"{world.DISTRICT[0]}{street}第一广场12楼",
        )
    if index == 1:
        return (
            "residential",
            "荣华商住一体小区妇女之家",
            "Ronghua Commercial-Residential Compound Women's Home",
            f"{world.DISTRICT[0]}{street}荣华公寓会所二楼",
        )
    if index == 2:
        return (
            "international",
            "古北国际社区妇女之家",
            "Gubei International Community Women's Home",
            f"{world.DISTRICT[0]}{street}古北路国际社区服务中心",
        )
    if index % 9 == 3:
        tower_zh, tower_en = world.OFFICE_TOWERS[(index // 9) % len(world.OFFICE_TOWERS)]
        suffix = "" if index < 9 * len(world.OFFICE_TOWERS) else f"（{index}）"
        return (
            "office",
            f"{tower_zh}楼宇妇女之家{suffix}",
            f"{tower_en} Building Women's Home{suffix and f' ({index})'}",
            f"{world.DISTRICT[0]}{street}{tower_zh}",
        )
    if index % 13 == 5:
        return (
            "residential",
            f"{community.name}商住小区妇女之家",
            f"{community.name_en} Mixed Compound Women's Home",
            f"{world.DISTRICT[0]}{street}{community.name}商住小区",
        )
    if index % 17 == 7:
        return (
            "international",
            f"{community.name}国际友人之家",
            f"{community.name_en} International Friends' Home",
            f"{world.DISTRICT[0]}{street}{community.name}国际公寓",
        )
    return (
        "community",
        f"{community.name}妇女之家",
        f"{community.name_en} Women's Home",
        f"{world.DISTRICT[0]}{street}{community.name}居委会一楼",
    )


def venues_ensure(*, rng: random.Random, count: int, communities: list[Area]) -> list[Venue]:
    """``count`` venues, the first three being the report's; each with a room or two."""
    street_pos = {zh: (lat, lon) for zh, _en, lat, lon in world.STREETS}
    plans = []
    used: set[str] = set()
    for i in range(count):
        # The international community's home sits in Gubei (the first community); First Plaza
        # takes the place Gubei would have had.
        community = communities[{0: 2, 2: 0}.get(i, i) % len(communities)]
        kind, name, name_en, address = _venue_plan(i, community)
        if name in used:  # a second home in the same community
            name, name_en = f"{name}（{i}）", f"{name_en} ({i})"
        used.add(name)
        lat, lon = street_pos.get(community.parent.name, world.DISTRICT_CENTRE)
        plans.append((kind, name, name_en, address, community, lat, lon))
    existing = {v.name: v for v in Venue.objects.filter(name__in=[p[1] for p in plans])}
    new = []
    for kind, name, name_en, address, community, lat, lon in plans:
        if name in existing:
            continue
        new.append(
            Venue(
                kind=kind,
                name=name,
                name_en=name_en,
                area=community,
                address=address,
                address_en=f"{name_en}, {community.name_en}, {world.DISTRICT[1]}, Shanghai",
                latitude=_coord(lat + rng.uniform(-0.006, 0.006)),
                longitude=_coord(lon + rng.uniform(-0.006, 0.006)),
                timezone="Asia/Shanghai",
                capacity=rng.choice([30, 40, 60, 80, 120]),
                opening_hours="周一至周六 9:00–21:00",
                opening_hours_en="Monday to Saturday 9:00–21:00",
                facilities="多功能厅、图书角、母婴室",
                facilities_en="Multi-purpose hall, reading corner, nursing room",
                description=f"{community.name}的妇女活动阵地，开展课堂、沙龙、讲座和维权服务。",
                description_en=(
                    f"The women's home of {community.name_en}: classes, salons, lectures "
                    "and rights advice."
                ),
                phone=f"+8621{62000000 + len(existing) + len(new):08d}",
            )
        )
    Venue.objects.bulk_create(new, batch_size=500)
    venues = {v.name: v for v in Venue.objects.filter(name__in=[p[1] for p in plans])}
    ordered = [venues[p[1]] for p in plans]
    have_rooms = set(Room.objects.filter(venue__in=ordered).values_list("venue_id", flat=True))
    rooms = []
    for venue in ordered:
        if venue.pk in have_rooms:
            continue
        hall = world.ROOM_NAMES["多功能厅"]
        rooms.append(
            Room(venue=venue, name="多功能厅", name_en=hall, capacity=rng.choice([30, 40, 60]))
        )
        if venue.kind == Venue.Kind.OFFICE:
            counselling = world.ROOM_NAMES["心理咨询室"]
            rooms.append(Room(venue=venue, name="心理咨询室", name_en=counselling, capacity=4))
        elif rng.random() < 0.5:
            activity_room = world.ROOM_NAMES["活动室"]
            rooms.append(Room(venue=venue, name="活动室", name_en=activity_room, capacity=20))
    Room.objects.bulk_create(rooms, batch_size=1000)
    return ordered


def skills_ensure() -> dict[str, Skill]:
    existing = set(Skill.objects.values_list("code", flat=True))
    Skill.objects.bulk_create(
        [
            Skill(code=code, name=zh, name_en=en, needs_verification=trust)
            for code, zh, en, trust in world.SKILLS
            if code not in existing
        ]
    )
    return {s.code: s for s in Skill.objects.filter(code__in=[s[0] for s in world.SKILLS])}


def teams_ensure(*, district: Area, streets: list[Area], venues: list[Venue]) -> dict[str, Team]:
    """The report's teams, each in the area where it works."""
    area_of = {
        "foreign_mothers": venues[2].area if len(venues) > 2 else district,
        "mediators": venues[1].area.parent if len(venues) > 1 else district,
        "lecturers": district,
        "counsellors": district,
        "folk_culture": streets[1],
        "social_workers": district,
    }
    existing = {t.name: t for t in Team.objects.filter(name__in=[s.name for s in world.TEAMS])}
    Team.objects.bulk_create(
        [
            Team(
                name=spec.name,
                name_en=spec.name_en,
                kind=spec.kind,
                area=area_of[spec.key],
                description=spec.description,
            )
            for spec in world.TEAMS
            if spec.name not in existing
        ]
    )
    by_name = {t.name: t for t in Team.objects.filter(name__in=[s.name for s in world.TEAMS])}
    return {spec.key: by_name[spec.name] for spec in world.TEAMS}


def english_names_fill() -> None:
    """Give rows made before the demo had English names theirs (rooms, opening hours,
    facilities, role labels), so that a re-run brings an older demo database up to date."""
    for zh, en in world.ROOM_NAMES.items():
        Room.objects.filter(name=zh, name_en="").update(name_en=en)
    Venue.objects.filter(opening_hours="周一至周六 9:00–21:00", opening_hours_en="").update(
        opening_hours_en="Monday to Saturday 9:00–21:00"
    )
    Venue.objects.filter(facilities="多功能厅、图书角、母婴室", facilities_en="").update(
        facilities_en="Multi-purpose hall, reading corner, nursing room"
    )
    for zh, en in world.ROLE_LABELS_EN.items():
        ActivityRole.objects.filter(label=zh, label_en="").update(label_en=en)
        SlotRole.objects.filter(label=zh, label_en="").update(label_en=en)
