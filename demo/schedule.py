"""Demo activities, their slots and who signed up: recurring classes, markets and salons over
the coming weeks, and some weeks of the past with attendance, so that hours show."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from activities import recurrence
from activities.models import Activity, ActivityRole, Assignment, Slot, SlotRole
from activities.services.activities import activity_create, slots_generate
from venues.models import Venue
from volunteers.models import Skill, Team, TeamMembership, VolunteerProfile, VolunteerSkill

from . import world
from .people import BATCH, DOMAIN

TZ = "Asia/Shanghai"

# One-off events posted the way a host posts them, through the activities service.
SHOWCASE = [
    (0, "反家暴法律讲座", "Talk: the law against domestic violence", "lecture", 10, "12:00", 90,
     [("law", "", 1), (None, "", 2)]),
    (1, "最美家庭分享会", "Most Beautiful Families: an evening of stories", "salon", 17, "19:00",
     120, [("lecture", "", 1), (None, "", 3)]),
    (2, "国际家庭文化节", "International Families' Culture Day", "culture_exchange", 24, "09:00",
     180, [("english", "en", 2), (None, "", 6)]),
    (0, "春蕾计划助学义卖", "Spring Bud charity sale for girls' schooling", "flea_market", 31,
     "10:00", 180, [("finance", "", 1), (None, "", 5)]),
]  # fmt: skip


def _local(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(TZ))


def _specs_for(venue: Venue, index: int, rng: random.Random) -> list[world.ActivitySpec]:
    """What a venue runs: decided by its own random stream, so a re-run picks the same."""
    specs = world.ACTIVITIES[venue.kind]
    if index < 3:  # the report's three homes run everything
        return list(specs)
    return [specs[0], *rng.sample(specs[1:], rng.randint(1, min(2, len(specs) - 1)))]


def activities_ensure(
    *,
    seed: int,
    venues: list[Venue],
    host_of: dict[int, object],
    skills: dict[str, Skill],
    teams: dict[str, Team],
    now: datetime,
    weeks: int,
    past_weeks: int,
) -> list[Activity]:
    """Weekly (or fortnightly, monthly) activities at every venue, and the showcase one-offs.

    Returns the activities made in this run; their slots are generated from ``past_weeks``
    ago to ``weeks`` ahead by the activities service.
    """
    today = now.astimezone(ZoneInfo(TZ)).date()
    first_day = today - timedelta(weeks=past_weeks)
    term_end = today + timedelta(weeks=weeks + 12)
    existing = set(Activity.objects.filter(venue__in=venues).values_list("venue_id", "title"))
    rooms = {}
    for venue in Venue.objects.filter(pk__in=[v.pk for v in venues]).prefetch_related("rooms"):
        rooms[venue.pk] = next(iter(venue.rooms.all()), None)
    made: list[Activity] = []
    role_rows: list[tuple[Activity, world.ActivitySpec]] = []
    for index, venue in enumerate(venues):
        venue_rng = random.Random(f"{seed}-venue-{index}")
        for spec in _specs_for(venue, index, venue_rng):
            if (venue.pk, spec.title) in existing:
                continue
            weekday = spec.weekday if spec.weekday >= 0 else venue_rng.randrange(5)
            day = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
            starts = _local(day, spec.start)
            activity = Activity(
                venue=venue,
                room=rooms.get(venue.pk),
                kind=spec.kind,
                title=spec.title,
                title_en=spec.title_en,
                description=spec.description,
                team=teams[spec.team] if spec.team else None,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=spec.minutes),
                rrule=recurrence.rrule_build(
                    frequency="WEEKLY",
                    tz=TZ,
                    interval=spec.interval,
                    weekdays=[weekday],
                    until=term_end,
                ),
                created_by=host_of.get(venue.pk),
            )
            made.append(activity)
            role_rows.append((activity, spec))
    Activity.objects.bulk_create(made, batch_size=BATCH)
    ActivityRole.objects.bulk_create(
        [
            ActivityRole(
                activity=activity,
                skill=skills[code] if code else None,
                language=language,
                needed=needed,
                label=label,
                label_en=world.ROLE_LABELS_EN.get(label, ""),
            )
            for activity, spec in role_rows
            for code, language, needed, label in spec.roles
        ],
        batch_size=BATCH,
    )
    slots_generate(
        activities=made,
        until=now + timedelta(weeks=weeks),
        now=now - timedelta(weeks=past_weeks),
    )
    for index, title, title_en, kind, days, hhmm, minutes, roles in SHOWCASE:
        if index >= len(venues) or (venues[index].pk, title) in existing:
            continue
        starts = _local(today + timedelta(days=days), hhmm)
        made.append(
            activity_create(
                by=host_of[venues[index].pk],
                venue=venues[index],
                kind=kind,
                title=title,
                title_en=title_en,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                roles=[
                    {"skill": skills[c] if c else None, "language": lang, "needed": n}
                    for c, lang, n in roles
                ],
            )
        )
    return made


class _Pool:
    """Who may take which seat, read once: skills that count, languages, teams, week budget."""

    def __init__(self) -> None:
        # Ordered, so that a seed gives the same sign-ups on SQLite and PostgreSQL.
        rows = (
            VolunteerProfile.objects.filter(user__email__endswith=DOMAIN)
            .order_by("id")
            .values_list("id", "languages", "max_hours_per_week")
        )
        self.ids: list[int] = []
        self.languages: dict[int, set[str]] = {}
        self.max_hours: dict[int, int] = {}
        for pk, languages, max_hours in rows:
            self.ids.append(pk)
            self.languages[pk] = set(languages or ())
            self.max_hours[pk] = max_hours
        self.by_skill: dict[int, list[int]] = defaultdict(list)
        links = VolunteerSkill.objects.filter(volunteer__user__email__endswith=DOMAIN).order_by(
            "id"
        )
        for vid, sid, verified_at, needs in links.values_list(
            "volunteer_id", "skill_id", "verified_at", "skill__needs_verification"
        ):
            if verified_at is not None or not needs:
                self.by_skill[sid].append(vid)
        self.by_team: dict[int, set[int]] = defaultdict(set)
        for tid, vid in TeamMembership.objects.values_list("team_id", "volunteer_id"):
            self.by_team[tid].add(vid)
        self._cache: dict[tuple, list[int]] = {}

    def candidates(self, skill_id: int | None, language: str, team_id: int | None) -> list[int]:
        key = (skill_id, language, team_id)
        if key not in self._cache:
            pool = self.by_skill.get(skill_id, []) if skill_id else self.ids
            if language:
                pool = [v for v in pool if language in self.languages[v]]
            if team_id:
                members = self.by_team.get(team_id, set())
                pool = [v for v in pool if v in members]
            self._cache[key] = pool
        return self._cache[key]


def assignments_make(*, rng: random.Random, since: datetime, now: datetime) -> int:
    """Seats taken in the slots of activities made since ``since`` (this run).

    Past slots attended (a few no-shows), the next two weeks well filled and later weeks less,
    leaving gaps for the matcher. Nobody is in two overlapping slots, over her weekly hours, or
    in a seat her skills, languages or teams do not fit.
    """
    pool = _Pool()
    if not pool.ids:
        return 0
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    hours: dict[tuple[int, int, int], float] = defaultdict(float)
    roles = (
        SlotRole.objects.filter(slot__activity__created_at__gte=since)
        .filter(slot__status=Slot.Status.SCHEDULED)
        .values_list(
            "id", "slot_id", "skill_id", "language", "needed", "slot__starts_at",
            "slot__ends_at", "slot__activity__team_id",
        )
        .order_by("slot__starts_at", "slot__activity_id", "activity_role_id", "id")
    )  # fmt: skip
    soon = now + timedelta(days=14)
    made: list[Assignment] = []
    for role_id, slot_id, skill_id, language, needed, starts, ends, team_id in roles.iterator(
        chunk_size=5000
    ):
        past = ends <= now
        share = rng.uniform(0.55, 1.0) if past else (0.6 if starts < soon else 0.3)
        seats = sum(rng.random() < share for _ in range(needed))
        pool_ids = pool.candidates(skill_id, language, team_id)
        if not seats or not pool_ids:
            continue
        length = (ends - starts).total_seconds() / 3600
        week = starts.isocalendar()[:2]
        for _ in range(seats * 6):
            if not seats:
                break
            vid = rng.choice(pool_ids)
            if hours[(vid, *week)] + length > pool.max_hours[vid]:
                continue
            if any(s < ends and starts < e for s, e in busy[vid]):
                continue
            busy[vid].append((starts, ends))
            hours[(vid, *week)] += length
            seats -= 1
            if past:
                attended = rng.random() < 0.92
                made.append(
                    Assignment(
                        slot_id=slot_id,
                        role_id=role_id,
                        volunteer_id=vid,
                        status=Assignment.Status.ATTENDED
                        if attended
                        else Assignment.Status.NO_SHOW,
                        source=Assignment.Source.SIGNUP,
                        checked_in_at=starts - timedelta(minutes=rng.randint(0, 15))
                        if attended
                        else None,
                    )
                )
            else:
                made.append(
                    Assignment(
                        slot_id=slot_id,
                        role_id=role_id,
                        volunteer_id=vid,
                        status=Assignment.Status.CONFIRMED,
                        source=rng.choice(
                            [Assignment.Source.SIGNUP] * 4 + [Assignment.Source.MATCHER]
                        ),
                    )
                )
    Assignment.objects.bulk_create(made, batch_size=BATCH)
    return len(made)
