"""The people of an instance: skills that count, weekly windows expanded over the dates in
the district's time minus days away, and what shifts held outside the instance leave free."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from activities.models import Assignment
from volunteers.models import (
    Absence,
    Availability,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)

from .common import (
    HOURS_STATUSES,
    LANG_TAG,
    TEAM_TAG,
    _day_bounds,
    _fmt,
    _local,
    scope_volunteers,
    volunteer_key,
)


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


PROFILE_FIELDS = ("id", "languages", "latitude", "longitude", "max_travel_km", "max_hours_per_week")


class PeopleReads:
    """What every week of one run reads alike about its people: their profile's figures,
    counted skills and weekly times. Read once per run (the weekly times of a district of
    20,000 are 170,000 rows, a few seconds a week), plus, week by week, those of seat holders
    from outside the scope."""

    def __init__(self, area) -> None:
        self.area = area
        self.profiles: dict[int, tuple] = {}
        self.skills: dict[int, list[str]] = defaultdict(list)
        self.weekly: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
        self._scope: set[int] | None = None

    def people(self, holders: set[int]) -> list[tuple]:
        """Profile rows of the scope's people and of ``holders``, by id."""
        if self._scope is None:
            pool = scope_volunteers(area=self.area)
            self._read(pool.values("pk"), pool)
            self._scope = set(self.profiles)
        extra = holders - self.profiles.keys()
        if extra:
            self._read(sorted(extra), VolunteerProfile.objects.filter(pk__in=sorted(extra)))
        wanted = self._scope | holders
        return [self.profiles[vid] for vid in sorted(wanted) if vid in self.profiles]

    def _read(self, ids, profiles) -> None:
        for row in profiles.values_list(*PROFILE_FIELDS).iterator(chunk_size=5000):
            self.profiles[row[0]] = row
        counted = VolunteerSkill.objects.filter(volunteer__in=ids).filter(
            Q(skill__needs_verification=False) | Q(verified_at__isnull=False)
        )
        for vid, code in counted.values_list("volunteer_id", "skill__code").iterator(
            chunk_size=5000
        ):
            self.skills[vid].append(code)
        for vid, weekday, lo, hi in (
            Availability.objects.filter(volunteer__in=ids)
            .values_list("volunteer_id", "weekday", "start", "end")
            .iterator(chunk_size=5000)
        ):
            self.weekly[vid].append((weekday, lo, hi))


def instance_volunteers(
    *, area, monday, first, last, teams, tz, centre, fixed_roles, holders, reads=None
) -> list[dict]:
    """The pool's people with a window in the days of the run; those holding a seat on one of
    the instance's slots are always in (their seat is a fixed pair).

    ``reads``: the run's :class:`PeopleReads`, shared by its weeks."""
    pool = scope_volunteers(area=area)
    if holders:
        pool = VolunteerProfile.objects.filter(Q(pk__in=pool.values("pk")) | Q(pk__in=holders))
    pool_ids = pool.values("pk")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    week_lo, week_hi = _day_bounds(monday, monday + timedelta(days=6), tz)
    reads = reads or PeopleReads(area)
    people = reads.people(set(holders))
    weekly = reads.weekly

    team_tags: dict[int, list[str]] = defaultdict(list)
    if teams:
        memberships = TeamMembership.objects.filter(volunteer__in=pool_ids, team_id__in=teams)
        for vid, team_id in memberships.values_list("volunteer_id", "team_id"):
            team_tags[vid].append(TEAM_TAG + str(team_id))

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

    days_on: dict[int, list[date]] = defaultdict(list)
    for day in days:
        days_on[day.weekday()].append(day)
    # A week's windows start and end at a few dozen moments: each is written once.
    text: dict[datetime, str] = {}

    def fmt(moment: datetime) -> str:
        found = text.get(moment)
        if found is None:
            found = text[moment] = _fmt(moment)
        return found

    out = []
    for vid, languages, lat, lon, travel, max_hours in people:
        windows = []
        off = away.get(vid, ())
        if vid in weekly:
            for weekday, lo, hi in weekly[vid]:
                for day in days_on.get(weekday, ()):
                    if day not in off:
                        windows.append((datetime.combine(day, lo), datetime.combine(day, hi)))
        else:
            # No weekly times given: any time of a day she is not away, as for signing up
            # (activities.eligibility).
            for day in days:
                if day not in off:
                    midnight = datetime.combine(day, time.min)
                    windows.append((midnight, midnight + timedelta(days=1)))
        windows = _subtract(_merge(windows), busy.get(vid, []))
        hours_left = max(0.0, max_hours - booked_hours.get(vid, 0.0))
        if (not windows or hours_left <= 0) and vid not in holders:
            continue
        located = lat is not None and lon is not None
        spoken = [code for code in (languages or []) if isinstance(code, str)]
        out.append(
            {
                "id": volunteer_key(vid),
                "skills": reads.skills.get(vid, [])
                + team_tags.get(vid, [])
                + [LANG_TAG + code for code in spoken],
                "languages": spoken,
                "district": "",
                "lat": float(lat) if located else centre[0],
                "lon": float(lon) if located else centre[1],
                "availability": [{"start": fmt(lo), "end": fmt(hi)} for lo, hi in windows],
                "max_hours": round(hours_left, 2),
                "max_travel_km": float(travel) if travel is not None and located else None,
                "team": None,
            }
        )
    return out
