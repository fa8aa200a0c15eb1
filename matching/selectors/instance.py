"""The database turned into the engine's staffing instances (PROBLEM.md shape), one per week.

Times are local (district) date-times without zone; one instance per week, since the weekly-hours
limit is a per-week rule. Everything is read with ``values_list`` so that a district of 20,000
volunteers never becomes 20,000 model objects.

Ids in the instance carry a prefix so that they read well in logs and stats: ``R<slot role id>``
for a seat group ("slot" in the engine's words), ``P<volunteer id>``, ``V<venue id>``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from activities.models import Assignment
from venues.models import Area

from .common import (
    LANG_TAG,
    TEAM_TAG,
    _fmt,
    _local,
    _num,
    district_tz,
    role_key,
    scope_slot_roles,
    volunteer_key,
    weeks_of,
)
from .people import PeopleReads, instance_volunteers


@dataclass
class WeekInput:
    """One week's instance plus what the Django side needs to read the result back."""

    monday: date
    instance: dict
    # Seats already held (confirmed sign-ups, earlier published assignments) per seat group.
    seated: dict[str, int] = field(default_factory=dict)
    needed: dict[str, int] = field(default_factory=dict)
    hours: dict[str, float] = field(default_factory=dict)
    # Held seats on the instance's slots (never moved), the coordinator's locks, her removals.
    fixed: list[tuple[str, str]] = field(default_factory=list)
    locked: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)

    @property
    def open_seats(self) -> int:
        return sum(max(0, self.needed[k] - self.seated.get(k, 0)) for k in self.needed)


def week_inputs(
    *,
    area: Area,
    start: date,
    end: date,
    slot_ids: Iterable[int] = (),
    locked: Iterable[tuple[int, int]] = (),
    excluded: Iterable[tuple[int, int]] = (),
) -> Iterator[WeekInput]:
    """The run's instances, one per week, built lazily so only one week is in memory at once.

    ``locked`` and ``excluded`` are (slot role id, volunteer id) pairs from the coordinator.
    Seats already held (confirmed sign-ups, earlier published assignments) on the instance's
    slots are passed as fixed pairs, so the engine fills around them and can tell "booked
    elsewhere" apart; a full slot is left out, and shifts held outside the instance (other areas,
    other days of the week) are taken out of the holder's availability and weekly hours.
    """
    tz = district_tz()
    slot_ids = list(slot_ids)
    locked = list(locked)
    excluded = list(excluded)
    reads = PeopleReads(area)
    for monday, first, last in weeks_of(start, end):
        week = _week_input(
            area=area,
            monday=monday,
            first=first,
            last=last,
            slot_ids=slot_ids,
            locked=locked,
            excluded=excluded,
            tz=tz,
            reads=reads,
        )
        if week is not None:
            yield week


def _week_input(
    *, area, monday, first, last, slot_ids, locked, excluded, tz, reads
) -> WeekInput | None:
    roles_qs = scope_slot_roles(area=area, start=first, end=last, slot_ids=slot_ids)
    rows = list(
        roles_qs.values_list(
            "id",
            "slot__starts_at",
            "slot__ends_at",
            "skill__code",
            "language",
            "needed",
            "slot__activity__kind",
            "slot__activity__team_id",
            "slot__activity__venue_id",
            "slot__activity__venue__latitude",
            "slot__activity__venue__longitude",
            "slot__activity__venue__kind",
            "slot__activity__venue__area_id",
        )
    )
    if not rows:
        return None
    seated_by_role: dict[int, int] = defaultdict(int)
    held: list[tuple[int, int]] = []
    for role_id, vid in Assignment.objects.filter(
        role__in=roles_qs.values("pk"), status__in=Assignment.SEATED
    ).values_list("role_id", "volunteer_id"):
        seated_by_role[role_id] += 1
        held.append((role_id, vid))
    week = WeekInput(monday=monday, instance={})
    venues: dict[int, dict] = {}
    slots = []
    teams: set[int] = set()
    open_roles: set[int] = set()
    for (
        role_id,
        s_at,
        e_at,
        skill,
        language,
        needed,
        kind,
        team_id,
        venue_id,
        v_lat,
        v_lon,
        v_kind,
        v_area,
    ) in rows:
        seated = seated_by_role.get(role_id, 0)
        if needed - seated <= 0:
            continue
        key = role_key(role_id)
        open_roles.add(role_id)
        week.seated[key] = seated
        week.needed[key] = needed
        week.hours[key] = (e_at - s_at).total_seconds() / 3600
        required = [skill] if skill else []
        if language:
            required.append(LANG_TAG + language)
        if team_id:
            required.append(TEAM_TAG + str(team_id))
            teams.add(team_id)
        venues[venue_id] = {
            "id": f"V{venue_id}",
            "kind": v_kind,
            "district": f"A{v_area}",
            "lat": _num(v_lat),
            "lon": _num(v_lon),
        }
        slots.append(
            {
                "id": key,
                "venue": f"V{venue_id}",
                "activity": kind,
                "start": _fmt(_local(s_at, tz)),
                "end": _fmt(_local(e_at, tz)),
                "required_skills": required,
                "needed": needed,
                "preferred_language": language or None,
            }
        )
    held = [(r, v) for r, v in held if r in open_roles]
    _fill_missing_coordinates(venues.values())
    centre = _centre(venues.values())
    volunteers = instance_volunteers(
        area=area,
        monday=monday,
        first=first,
        last=last,
        teams=teams,
        tz=tz,
        centre=centre,
        fixed_roles=open_roles,
        # Whoever holds a seat or a lock on the instance's slots is in it, whatever her windows.
        holders={v for _r, v in held} | {v for r, v in locked if r in open_roles},
        reads=reads,
    )
    week.instance = {
        "meta": {
            "variant": "staffing",
            "week_start": _fmt(datetime.combine(monday, time.min)),
            "n_volunteers": len(volunteers),
            "n_slots": len(slots),
            "n_seats": sum(s["needed"] for s in slots),
        },
        "skills": sorted({tag for s in slots for tag in s["required_skills"]}),
        "venues": list(venues.values()),
        "volunteers": volunteers,
        "slots": slots,
    }
    week.fixed = [(role_key(r), volunteer_key(v)) for r, v in held]
    held_set = set(held)
    week.locked = [
        (role_key(r), volunteer_key(v))
        for r, v in locked
        if r in open_roles and (r, v) not in held_set
    ]
    # A removed pair that has since become a held seat (she signed up herself) stays held.
    present = {person["id"] for person in volunteers}
    week.excluded = [
        (role_key(r), volunteer_key(v))
        for r, v in excluded
        if r in open_roles and (r, v) not in held_set and volunteer_key(v) in present
    ]
    return week


def _centre(venues: Iterable[dict]) -> tuple[float, float]:
    points = [(v["lat"], v["lon"]) for v in venues if v["lat"] is not None]
    if not points:
        return (0.0, 0.0)
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _fill_missing_coordinates(venues: Iterable[dict]) -> None:
    """A venue without coordinates is placed at the centre of the others (distance unknown)."""
    venues = list(venues)
    lat, lon = _centre(venues)
    for venue in venues:
        if venue["lat"] is None or venue["lon"] is None:
            venue["lat"], venue["lon"] = lat, lon
