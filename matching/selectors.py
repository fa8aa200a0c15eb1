"""Reads for the matcher: the database turned into the engine's staffing instances, and the board.

The instance follows /work/shared/matcher/PROBLEM.md: local (district) date-times without zone,
one instance per week, since the weekly-hours limit is a per-week rule. Everything is read with
``values_list`` so that a district of 20,000 volunteers never becomes 20,000 model objects.

Ids in the instance carry a prefix so that they read well in logs and stats: ``R<slot role id>``
for a seat group ("slot" in the engine's words), ``P<volunteer id>``, ``V<venue id>``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Assignment, Slot, SlotRole
from core.errors import NotFound, ValidationFailed
from venues.models import Area
from venues.selectors import area_subtree_q, areas_in_scope
from volunteers.models import (
    Absence,
    Availability,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)

from .models import MatchGap, MatchProposal, MatchRun

ISO_MINUTE = "%Y-%m-%dT%H:%M"
# Required "skills" the engine treats like any tag: a slot reserved for a team or asking for a
# language is open only to people holding the tag.
TEAM_TAG = "team:"
LANG_TAG = "lang:"
# What counts towards a person's weekly hours, as in activities.eligibility.
HOURS_STATUSES = (Assignment.Status.CONFIRMED, Assignment.Status.ATTENDED)


def district_tz() -> ZoneInfo:
    """Availability windows are in the district's local time; so are the instance's times."""
    return ZoneInfo(settings.TIME_ZONE)


def role_key(role_id: int) -> str:
    return f"R{role_id}"


def volunteer_key(volunteer_id: int) -> str:
    return f"P{volunteer_id}"


def key_id(key: str) -> int:
    return int(key[1:])


def _local(dt: datetime, tz: ZoneInfo) -> datetime:
    return timezone.localtime(dt, tz).replace(tzinfo=None)


def _day_bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the district's time, as aware datetimes."""
    lo = datetime.combine(start, time.min, tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    return lo, hi


def weeks_of(start: date, end: date) -> list[tuple[date, date, date]]:
    """(monday, first day, last day) of each calendar week the range touches."""
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + timedelta(days=6)
        weeks.append((monday, max(monday, start), min(sunday, end)))
        monday += timedelta(days=7)
    return weeks


def areas_broadest_first(queryset: QuerySet[Area]) -> QuerySet[Area]:
    """District, then streets, then communities (the level's name does not sort that way)."""
    rank = Case(
        When(level=Area.Level.DISTRICT, then=Value(0)),
        When(level=Area.Level.STREET, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.annotate(level_rank=rank).order_by("level_rank", "name", "pk")


def scope_area_ids(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(area_subtree_q([area.pk])).values("pk")


def scope_slot_roles(
    *, area: Area, start: date, end: date, slot_ids: Iterable[int] = ()
) -> QuerySet[SlotRole]:
    """Seat groups of the run: scheduled slots of active activities at active venues of the area
    (and below) that start within the local date range; optionally only the given slots."""
    lo, hi = _day_bounds(start, end, district_tz())
    qs = SlotRole.objects.filter(
        slot__status=Slot.Status.SCHEDULED,
        slot__activity__status=Activity.Status.ACTIVE,
        slot__activity__venue__is_active=True,
        slot__activity__venue__area__in=scope_area_ids(area),
        slot__starts_at__gte=max(lo, timezone.now()),
        slot__starts_at__lt=hi,
    )
    slot_ids = list(slot_ids)
    if slot_ids:
        qs = qs.filter(slot_id__in=slot_ids)
    return qs


def scope_volunteers(*, area: Area) -> QuerySet[VolunteerProfile]:
    """People the run may propose: those living in the area (or below), and those whose home
    area is not known (the travel radius still keeps them near)."""
    return VolunteerProfile.objects.filter(
        Q(home_area__in=scope_area_ids(area)) | Q(home_area__isnull=True)
    )


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


def _merge(windows: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching windows become one, so a shift across 12:00 fits 9–12 + 12–17."""
    merged: list[list[datetime]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _subtract(
    windows: list[tuple[datetime, datetime]], busy: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    out = windows
    for b_lo, b_hi in busy:
        nxt = []
        for lo, hi in out:
            if b_hi <= lo or b_lo >= hi:
                nxt.append((lo, hi))
                continue
            if lo < b_lo:
                nxt.append((lo, b_lo))
            if b_hi < hi:
                nxt.append((b_hi, hi))
        out = nxt
    return out


def _fmt(dt: datetime) -> str:
    return dt.strftime(ISO_MINUTE)


def _num(value) -> float | None:
    return None if value is None else float(value)


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
        )
        if week is not None:
            yield week


def _week_input(*, area, monday, first, last, slot_ids, locked, excluded, tz) -> WeekInput | None:
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
    volunteers = _volunteers(
        area=area,
        monday=monday,
        first=first,
        last=last,
        teams=teams,
        tz=tz,
        centre=centre,
        fixed_roles=open_roles,
        holders={v for _r, v in held},
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
    week.excluded = [
        (role_key(r), volunteer_key(v))
        for r, v in excluded
        if r in open_roles and (r, v) not in held_set
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


def _volunteers(
    *, area, monday, first, last, teams, tz, centre, fixed_roles, holders
) -> list[dict]:
    """The pool's people with a window in the days of the run; those holding a seat on one of
    the instance's slots are always in (their seat is a fixed pair)."""
    pool = scope_volunteers(area=area)
    if holders:
        pool = VolunteerProfile.objects.filter(Q(pk__in=pool.values("pk")) | Q(pk__in=holders))
    pool_ids = pool.values("pk")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    week_lo, week_hi = _day_bounds(monday, monday + timedelta(days=6), tz)

    skills: dict[int, list[str]] = defaultdict(list)
    counted = VolunteerSkill.objects.filter(volunteer__in=pool_ids).filter(
        Q(skill__needs_verification=False) | Q(verified_at__isnull=False)
    )
    for vid, code in counted.values_list("volunteer_id", "skill__code").iterator(chunk_size=5000):
        skills[vid].append(code)
    if teams:
        memberships = TeamMembership.objects.filter(volunteer__in=pool_ids, team_id__in=teams)
        for vid, team_id in memberships.values_list("volunteer_id", "team_id"):
            skills[vid].append(TEAM_TAG + str(team_id))

    weekly: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for vid, weekday, lo, hi in (
        Availability.objects.filter(volunteer__in=pool_ids)
        .values_list("volunteer_id", "weekday", "start", "end")
        .iterator(chunk_size=5000)
    ):
        weekly[vid].append((weekday, lo, hi))

    away: dict[int, set[date]] = defaultdict(set)
    for vid, a_lo, a_hi in Absence.objects.filter(
        volunteer__in=pool_ids, start_date__lte=last, end_date__gte=first
    ).values_list("volunteer_id", "start_date", "end_date"):
        for day in days:
            if a_lo <= day <= a_hi:
                away[vid].add(day)

    # Shifts held this week (the same statuses the sign-up rules count): their time is taken
    # and their hours count towards the week.
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    booked_hours: dict[int, float] = defaultdict(float)
    for vid, role_id, status, s_at, e_at in Assignment.objects.filter(
        volunteer__in=pool_ids,
        status__in=HOURS_STATUSES,
        slot__starts_at__gte=week_lo,
        slot__starts_at__lt=week_hi,
    ).values_list("volunteer_id", "role_id", "status", "slot__starts_at", "slot__ends_at"):
        if role_id in fixed_roles:
            continue  # a fixed pair: the engine counts its time and hours itself
        if status == Assignment.Status.CONFIRMED:
            busy[vid].append((_local(s_at, tz), _local(e_at, tz)))
        booked_hours[vid] += (e_at - s_at).total_seconds() / 3600

    out = []
    for vid, languages, lat, lon, travel, max_hours in pool.values_list(
        "id", "languages", "latitude", "longitude", "max_travel_km", "max_hours_per_week"
    ).iterator(chunk_size=5000):
        windows = []
        for weekday, lo, hi in weekly.get(vid, ()):
            for day in days:
                if day.weekday() == weekday and day not in away.get(vid, ()):
                    windows.append((datetime.combine(day, lo), datetime.combine(day, hi)))
        windows = _subtract(_merge(windows), busy.get(vid, []))
        hours_left = max(0.0, max_hours - booked_hours.get(vid, 0.0))
        if (not windows or hours_left <= 0) and vid not in holders:
            continue
        located = lat is not None and lon is not None
        out.append(
            {
                "id": volunteer_key(vid),
                "skills": skills.get(vid, [])
                + [LANG_TAG + code for code in (languages or []) if isinstance(code, str)],
                "languages": [code for code in (languages or []) if isinstance(code, str)],
                "district": "",
                "lat": float(lat) if located else centre[0],
                "lon": float(lon) if located else centre[1],
                "availability": [{"start": _fmt(lo), "end": _fmt(hi)} for lo, hi in windows],
                "max_hours": round(hours_left, 2),
                "max_travel_km": float(travel) if travel is not None and located else None,
                "team": None,
            }
        )
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --- Runs, for pages and the API ------------------------------------------------------------


def runs_visible(*, user) -> QuerySet[MatchRun]:
    """Runs over areas the person coordinates (her area and everything under it)."""
    return MatchRun.objects.filter(area__in=areas_in_scope(user=user)).select_related(
        "area", "created_by"
    )


def run_proposals(*, run: MatchRun) -> QuerySet[MatchProposal]:
    return run.proposals.select_related(
        "volunteer__user", "slot_role__skill", "slot_role__slot__activity__venue"
    ).order_by("slot_role__slot__starts_at", "slot_role_id", "id")


def run_gaps(*, run: MatchRun) -> QuerySet[MatchGap]:
    return run.gaps.select_related("slot_role__skill", "slot_role__slot__activity__venue").order_by(
        "slot_role__slot__starts_at", "slot_role_id"
    )


def run_with_results(*, run: MatchRun) -> MatchRun:
    """The run with its proposals and gaps loaded, in slot order."""
    return MatchRun.objects.prefetch_related(
        Prefetch(
            "proposals",
            queryset=MatchProposal.objects.select_related(
                "volunteer__user", "slot_role__slot"
            ).order_by("slot_role__slot__starts_at", "slot_role_id", "id"),
        ),
        Prefetch(
            "gaps",
            queryset=MatchGap.objects.select_related(
                "slot_role__skill", "slot_role__slot"
            ).order_by("slot_role__slot__starts_at", "slot_role_id"),
        ),
    ).get(pk=run.pk)


def run_pairs(*, run: MatchRun) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(locked, removed) (slot role id, volunteer id) pairs the coordinator decided on."""
    locked, removed = [], []
    for role_id, vid, is_locked, is_removed in run.proposals.values_list(
        "slot_role_id", "volunteer_id", "locked", "removed"
    ):
        if is_removed:
            removed.append((role_id, vid))
        elif is_locked:
            locked.append((role_id, vid))
    return locked, removed


# --- The coordinator board ------------------------------------------------------------------


@dataclass
class BoardSlot:
    slot: Slot
    needed: int
    seated: int
    unconfirmed: int

    @property
    def empty(self) -> bool:
        return self.seated == 0

    @property
    def under_filled(self) -> bool:
        return 0 < self.seated < self.needed

    @property
    def open_seats(self) -> int:
        return max(0, self.needed - self.seated)


def board_slots(*, user, hours: int = 48) -> list[BoardSlot]:
    """Slots of the coming ``hours`` in the coordinator's areas that need attention: empty,
    under-filled, or with people who have not reconfirmed that they are coming."""
    now = timezone.now()
    qs = (
        Slot.objects.filter(
            status=Slot.Status.SCHEDULED,
            activity__status=Activity.Status.ACTIVE,
            activity__venue__area__in=areas_in_scope(user=user),
            starts_at__gte=now,
            starts_at__lt=now + timedelta(hours=hours),
        )
        .select_related("activity__venue")
        .order_by("starts_at", "id")
    )
    slots = list(qs[:500])
    ids = [s.pk for s in slots]
    needed = dict(
        SlotRole.objects.filter(slot_id__in=ids)
        .values("slot_id")
        .annotate(n=Sum("needed"))
        .values_list("slot_id", "n")
    )
    seated: dict[int, int] = defaultdict(int)
    unconfirmed: dict[int, int] = defaultdict(int)
    for slot_id, status, reconfirmed in Assignment.objects.filter(
        slot_id__in=ids, status__in=Assignment.SEATED
    ).values_list("slot_id", "status", "reconfirmed_at"):
        seated[slot_id] += 1
        if status == Assignment.Status.CONFIRMED and reconfirmed is None:
            unconfirmed[slot_id] += 1
    out = []
    for slot in slots:
        row = BoardSlot(
            slot=slot,
            needed=needed.get(slot.pk, 0),
            seated=seated.get(slot.pk, 0),
            unconfirmed=unconfirmed.get(slot.pk, 0),
        )
        if row.seated < row.needed or row.unconfirmed:
            out.append(row)
    return out


def board_slot_area(*, user, slot_ids: list[int]) -> Area:
    """The coordinator's area that holds every chosen slot (the run is scoped to it)."""
    venue_areas = set(
        Slot.objects.filter(pk__in=slot_ids, activity__venue__area__in=areas_in_scope(user=user))
        .values_list("activity__venue__area_id", flat=True)
        .distinct()
    )
    found = Slot.objects.filter(
        pk__in=slot_ids, activity__venue__area__in=areas_in_scope(user=user)
    ).count()
    if found != len(set(slot_ids)):
        raise NotFound(_("Some of these slots are not in your area."), code="slot_not_found")
    candidates = (
        Area.objects.all() if user.is_superuser else Area.objects.filter(coordinators__user=user)
    )
    for area in areas_broadest_first(candidates):
        inside = set(
            Area.objects.filter(area_subtree_q([area.pk]), pk__in=venue_areas).values_list(
                "pk", flat=True
            )
        )
        if inside == venue_areas:
            return area
    raise ValidationFailed({"slots": [_("Choose slots of one of your areas at a time.")]})


REPORT_SLOT_LIMIT = 300
REPORT_LOAD_LIMIT = 200


def run_report(*, run: MatchRun) -> dict:
    """What the proposal page shows: figures, each slot with who would go and why seats stay
    empty, and each volunteer's load."""
    from .reasons import gap_text

    proposals = list(run.proposals.select_related("volunteer__user").order_by("slot_role_id", "id"))
    gaps = list(run.gaps.all())
    role_ids = {p.slot_role_id for p in proposals} | {g.slot_role_id for g in gaps}
    roles = {
        role.pk: role
        for role in SlotRole.objects.filter(pk__in=role_ids).select_related(
            "skill", "slot__activity__venue"
        )
    }
    by_role: dict[int, list[MatchProposal]] = defaultdict(list)
    load: dict[int, dict] = {}
    for p in proposals:
        p.slot_role = roles[p.slot_role_id]
        by_role[p.slot_role_id].append(p)
        if p.removed:
            continue
        entry = load.setdefault(
            p.volunteer_id, {"volunteer": p.volunteer, "shifts": 0, "hours": 0.0}
        )
        entry["shifts"] += 1
        entry["hours"] += p.hours
    gap_by_role: dict[int, MatchGap] = {}
    for gap in gaps:
        gap.slot_role = roles[gap.slot_role_id]
        gap.text = gap_text(gap)
        gap_by_role[gap.slot_role_id] = gap
    slots: dict[int, dict] = {}
    for role in sorted(roles.values(), key=lambda r: (r.slot.starts_at, r.slot_id, r.pk)):
        entry = slots.setdefault(role.slot_id, {"slot": role.slot, "roles": []})
        entry["roles"].append(
            {"role": role, "proposals": by_role.get(role.pk, []), "gap": gap_by_role.get(role.pk)}
        )
    active = sum(1 for p in proposals if not p.removed)
    seats = run.stats.get("seats", 0)
    slot_list = list(slots.values())
    return {
        "figures": {
            "proposed": active,
            "seats": seats,
            "empty": max(0, seats - active),
            "share": (active / seats) if seats else 1.0,
            "locked": sum(1 for p in proposals if p.locked and not p.removed),
            "removed": sum(1 for p in proposals if p.removed),
        },
        "slots": slot_list[:REPORT_SLOT_LIMIT],
        "slots_hidden": max(0, len(slot_list) - REPORT_SLOT_LIMIT),
        # The busiest first: that is where a coordinator looks for overload.
        "loads": sorted(load.values(), key=lambda e: (-e["hours"], e["volunteer"].pk))[
            :REPORT_LOAD_LIMIT
        ],
        "loads_total": len(load),
        "gaps": sorted(gaps, key=lambda g: (g.slot_role.slot.starts_at, g.slot_role_id)),
    }
