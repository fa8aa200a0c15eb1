"""Reads for volunteers' shifts: "shifts for me", her sign-ups, her hours, rosters and scope.

"Shifts for me" judges every candidate slot in Python from two bulk queries (the volunteer's
facts, then the slots, each with its roles and their fill counts, as plain rows, no model row),
and its page shows the same rows: its query count depends neither on how many slots a page shows
nor on how many are open, and its work on the second only a little.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from venues.selectors import venues_in_scope
from volunteers.models import Skill, VolunteerProfile

from .. import eligibility
from ..models import Activity, Assignment, RoleNeed, Slot, SlotRole
from .seats import seats_count, slot_roles_with_fill

DEFAULT_DAYS = 28
# A volunteer's list never needs more than this many candidates (four weeks of a busy district).
MAX_CANDIDATES = 2000


# What she asks of a list of candidates, as ``_conditions`` writes it: (column, lookup, value).
Condition = tuple[str, str, object]


@dataclass
class Filters:
    venue: int | None = None
    kind: str = ""
    team: int | None = None
    start_after: datetime | None = None
    start_before: datetime | None = None
    activity: int | None = None


def _candidates_base(*, open_only: bool) -> QuerySet[Slot]:
    """What every list of candidates keeps, whatever she asks: a list anyone signed in may
    read, so never a confidential slot, even her own (her own are in her shifts); with
    ``open_only`` only scheduled slots of active activities. Nothing here changes between
    requests (``_candidates_statement`` builds it once)."""
    qs = Slot.objects.public().filter(activity__venue__is_active=True)
    if open_only:
        qs = qs.filter(status=Slot.Status.SCHEDULED, activity__status=Activity.Status.ACTIVE)
    return qs


def _conditions(filters: Filters, *, now: datetime, open_only: bool) -> list[Condition]:
    """What she asks of the candidates (and, with ``open_only``, that they are still to come),
    as (column, lookup, value): each column named as ``slots_plain_values`` names it, so that
    the ORM (``slots_candidate_qs``) and the statement of "shifts for me" (``_judged_rows``)
    read the same list."""
    found: list[Condition] = []
    if open_only:
        found.append(("starts_at", "gt", now))
    if filters.venue:
        found.append(("activity__venue_id", "exact", filters.venue))
    if filters.activity:
        found.append(("activity_id", "exact", filters.activity))
    if filters.kind:
        found.append(("activity__kind", "exact", filters.kind))
    if filters.team:
        found.append(("activity__team_id", "exact", filters.team))
    if filters.start_after:
        found.append(("starts_at", "gte", filters.start_after))
    if filters.start_before:
        found.append(("starts_at", "lt", filters.start_before))
    return found


def slots_candidate_qs(filters: Filters, *, open_only: bool = True) -> QuerySet[Slot]:
    qs = _candidates_base(open_only=open_only)
    for column, lookup, value in _conditions(filters, now=timezone.now(), open_only=open_only):
        qs = qs.filter(**{f"{column}__{lookup}": value})
    return qs


def haversine_km(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def slots_annotate(
    slots: list[Slot], *, facts: eligibility.VolunteerFacts | None, now: datetime | None = None
) -> list[Slot]:
    """Set the seat figures (``seats_count``), ``verdict`` (when judged for a volunteer),
    ``my_assignment`` and ``distance_km`` on each slot, without a query."""
    now = now or timezone.now()
    language = get_language()
    for slot in seats_count(slots):
        roles = list(slot.roles.all())
        slot.verdict = None
        slot.my_assignment = None
        slot.distance_km = None
        if facts is not None:
            slot.verdict = eligibility.slot_verdict(
                facts, slot, roles=roles, now=now, language=language
            )
            slot.my_assignment = facts.live_by_slot.get(slot.pk)
            venue = slot.activity.venue
            slot.distance_km = haversine_km(
                facts.volunteer.latitude, facts.volunteer.longitude, venue.latitude, venue.longitude
            )
    return slots


# The columns of a role's row (``slot_role_rows``): what a list reads of the role, its ``filled``
# and ``waiting``, then its skill's code and names (``None`` without one); and where
# ``_plain_roles`` finds each, worked out once rather than for each slot of a list.
_ROLE_COLUMNS = ["id", "skill", "language", "needed", "label", "label_en", "slot"]
_PK_AT, _SKILL_AT, _LANGUAGE_AT, _NEEDED_AT, _LABEL_AT, _LABEL_EN_AT, _SLOT_AT = range(7)
_FILLED_AT, _WAITING_AT, _CODE_AT, _NAME_AT, _NAME_EN_AT = range(7, 12)


def _roles_sql(connection) -> tuple[str, str, list]:
    """What ``slot_role_rows`` reads of a role ``r`` (its row's columns, with its seats taken
    and its waitlist counted by the statuses ``slot_roles_with_fill`` counts), the join to its
    skill ``k``, and the parameters of the columns."""
    q = connection.ops.quote_name

    def column(model, name: str, alias: str) -> str:
        return f"{alias}.{q(model._meta.get_field(name).column)}"

    def counted(statuses) -> str:
        return (
            f"(SELECT COUNT(*) FROM {q(Assignment._meta.db_table)} a "
            f"WHERE {column(Assignment, 'role', 'a')} = {column(SlotRole, 'id', 'r')} "
            f"AND {column(Assignment, 'status', 'a')} IN ({', '.join(['%s'] * len(statuses))}))"
        )

    columns = [
        *(column(SlotRole, name, "r") for name in _ROLE_COLUMNS),
        counted(Assignment.SEATED),
        counted([Assignment.Status.WAITLISTED]),
        *(column(Skill, name, "k") for name in ("code", "name", "name_en")),
    ]
    join = (
        f"LEFT OUTER JOIN {q(Skill._meta.db_table)} k "
        f"ON {column(SlotRole, 'skill', 'r')} = {column(Skill, 'id', 'k')}"
    )
    return ", ".join(columns), join, [*Assignment.SEATED, Assignment.Status.WAITLISTED]


def slot_role_rows(slot_ids) -> dict[int, list[tuple]]:
    """The roles of these slots as plain rows, in the roles' order, by slot: what a list reads
    of the role, its ``filled`` and ``waiting`` (counted as ``slot_roles_with_fill`` counts
    them), then its skill's code and names (``None`` without one). One query of fixed shape,
    written as SQL that SQLite and PostgreSQL both read (the ORM took longer to build it than
    the database to answer); ``slots_plain`` makes them roles."""
    by_slot: dict[int, list[tuple]] = defaultdict(list)
    slot_ids = list(slot_ids)
    if not slot_ids:
        return by_slot
    connection = connections[router.db_for_read(SlotRole)]
    q = connection.ops.quote_name
    columns, join, params = _roles_sql(connection)
    slot = f"r.{q(SlotRole._meta.get_field('slot').column)}"
    sql = (
        f"SELECT {columns} FROM {q(SlotRole._meta.db_table)} r {join} "
        f"WHERE {slot} IN ({', '.join(['%s'] * len(slot_ids))}) ORDER BY r.{q('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *slot_ids])
        for row in cursor.fetchall():
            by_slot[row[_SLOT_AT]].append(row)
    return by_slot


@functools.lru_cache(maxsize=32)
def _candidates_statement(connection, *, open_only: bool) -> tuple[str, list, dict, object]:
    """The ORM's statement of the candidates' plain rows (``_candidates_base``, the columns of
    ``slots_plain_values``), its parameters, its columns' converters and the compiler that
    applies them, built once for each database connection: building it took longer on every
    list than the database's answer. It holds nothing that changes between requests; what she
    asks is added around it (``_judged_rows``)."""
    values = slots_plain_values(_candidates_base(open_only=open_only).order_by())
    compiler = values.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters(
        [expression for expression, _sql, _alias in compiler.select]
    )
    return sql, list(params), converters, compiler


def _slots_with_roles(
    conditions: list[Condition], *, team_ids: list[int] | None, open_only: bool
) -> tuple[list, dict[int, list[tuple]]]:
    """The candidates that meet ``conditions`` (``_conditions``), of no team or of one of
    ``team_ids`` (any team when None), soonest first and at most ``MAX_CANDIDATES``, as
    ``slots_plain_values`` rows, and their roles' rows (``slot_role_rows``), in one query: the
    kept statement of the candidates (``_candidates_statement``), what she asks around it, and
    each slot joined to its roles. Each slot's columns come as the ORM gives them."""
    connection = connections[router.db_for_read(Slot)]
    q = connection.ops.quote_name
    inner, inner_params, converters, compiler = _candidates_statement(
        connection, open_only=open_only
    )
    where, where_params = [], []
    for column, lookup, value in conditions:
        if isinstance(value, datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        # The backend's own operator for the lookup, as the ORM writes it ("= %s", "> %s"…).
        where.append(f"s.{q(column)} {connection.operators[lookup]}")
        where_params.append(value)
    if team_ids is not None:
        team = f"s.{q('activity__team_id')}"
        where.append(
            f"({team} IS NULL OR {team} IN ({', '.join(['%s'] * len(team_ids))}))"
            if team_ids
            else f"{team} IS NULL"
        )
        where_params.extend(team_ids)
    candidates = (
        f"SELECT * FROM ({inner}) s {'WHERE ' + ' AND '.join(where) if where else ''} "
        f"ORDER BY s.{q('starts_at')}, s.{q('pk')} LIMIT {MAX_CANDIDATES}"
    )
    columns, join, params = _roles_sql(connection)
    sql = (
        f"SELECT c.*, {columns} FROM ({candidates}) c "
        f"LEFT OUTER JOIN {q(SlotRole._meta.db_table)} r "
        f"ON r.{q(SlotRole._meta.get_field('slot').column)} = c.{q('pk')} {join} "
        f"ORDER BY c.{q('starts_at')}, c.{q('pk')}, r.{q('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params, *where_params])
        found = cursor.fetchall()
    width = len(_PLAIN)
    if converters:
        found = compiler.apply_converters(found, converters)
    rows: list = []
    role_rows: dict[int, list[tuple]] = defaultdict(list)
    for row in found:
        pk = row[0]
        if not rows or rows[-1][0] != pk:
            rows.append(tuple(row[:width]))
        if row[width] is not None:
            role_rows[pk].append(tuple(row[width:]))
    return rows, role_rows


class ShiftsForMe(Sequence):
    """The slots of "shifts for me", in order, as plain rows (``slots_plain``) judged in bulk
    for her (``_judged_rows``): which ones, and how many, are known from those rows, and a
    slice of it (a page) is made of the same rows, with her sign-up, seats and distance set
    for what the page shows (``slots_annotate``), without another query. A page costs the same
    whatever the number of candidates."""

    def __init__(self, slots: list[_SlotRow], facts: eligibility.VolunteerFacts, now: datetime):
        self.slots = slots
        self.ids = [slot.pk for slot in slots]
        self.facts = facts
        self.now = now

    def __len__(self) -> int:
        return len(self.slots)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.slots[index])
        return self._load([self.slots[index]])[0]

    def __iter__(self):
        return iter(self._load(self.slots))

    def _load(self, slots: list[_SlotRow]) -> list[_SlotRow]:
        if not slots:
            return []
        # Unjudged rows (every open shift, soonest first) have no roles yet: the page's only.
        bare = [slot for slot in slots if slot.roles is None]
        if bare:
            role_rows = slot_role_rows([slot.pk for slot in bare])
            for slot in bare:
                slot.roles = _Roles(_plain_roles(role_rows.get(slot.pk, ())))
        facts, language = self.facts, get_language()
        latitude, longitude = facts.volunteer.latitude, facts.volunteer.longitude
        for slot in seats_count(slots):
            if slot.verdict is None:
                slot.verdict = eligibility.slot_verdict(
                    facts, slot, roles=slot.roles.roles, now=self.now, language=language
                )
            slot.my_assignment = facts.live_by_slot.get(slot.pk)
            if slot.distance_km is None:  # else worked out already, to sort by it
                venue = slot.activity.venue
                slot.distance_km = haversine_km(
                    latitude, longitude, venue.latitude, venue.longitude
                )
        return slots


@dataclass(eq=False)
class _SlotRow:
    """A slot of a list as a plain row: what the rules read of it and what a card and the API
    show (``slots_plain``), without the model rows behind it."""

    pk: int
    starts_at: datetime
    ends_at: datetime
    status: str
    activity: SimpleNamespace
    activity_id: int | None = None
    roles: _Roles | None = None
    seats_left: int = 0
    verdict: eligibility.Verdict | None = None
    distance_km: float | None = None

    @property
    def duration_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


def _judged_rows(
    filters: Filters,
    *,
    team_ids: list[int] | None,
    facts: eligibility.VolunteerFacts | None,
    now: datetime,
    distances: bool = True,
) -> list[_SlotRow]:
    """The open candidates that meet ``filters`` (of no team or of one of ``team_ids``, any
    team when None) in order, as plain rows (``slots_plain``), each judged for her with
    ``facts`` by the same rules (``verdict``) with its roles: one query and no model rows.
    Without ``facts`` (nothing to judge), one query, and the rows have no roles yet.
    ``distances``: whether the order needs each one's distance from her."""
    if facts is None:
        qs = slots_candidate_qs(filters)
        if team_ids is not None:
            qs = qs.filter(Q(activity__team__isnull=True) | Q(activity__team_id__in=team_ids))
        values = slots_plain_values(qs.order_by("starts_at", "pk"))[:MAX_CANDIDATES]
        return slots_plain(values, roles=False)
    conditions = _conditions(filters, now=now, open_only=True)
    rows, role_rows = _slots_with_roles(conditions, team_ids=team_ids, open_only=True)
    slots = slots_plain(rows, role_rows=role_rows)
    language = get_language()
    for slot in slots:
        roles = slot.roles.roles
        slot.verdict = eligibility.slot_verdict(
            facts, slot, roles=roles, now=now, language=language
        )
        if distances:
            venue = slot.activity.venue
            slot.distance_km = haversine_km(
                facts.volunteer.latitude, facts.volunteer.longitude, venue.latitude, venue.longitude
            )
        slot.seats_left = sum(max(r.needed - r.filled, 0) for r in roles)
    return slots


@dataclass
class BilingualName:
    """A skill's, team's, venue's or activity's name as a list prints it, in the language
    active when it is printed, without its model row."""

    name: str
    name_en: str

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def display_name(self) -> str:
        return str(self)


@dataclass
class SkillName(BilingualName):
    """A skill as a list of slots reads it: its code, and its name as messages print it."""

    code: str = ""


class PlainRole:
    """A slot's role as a list reads it (``slot_role_rows``): what the rules judge, the API
    shows and a card prints, with its ``filled`` and ``waiting``; named as the model names it."""

    __slots__ = (
        "filled",
        "label",
        "label_en",
        "language",
        "needed",
        "pk",
        "skill",
        "skill_id",
        "waiting",
    )

    def __init__(self, pk, skill_id, skill, language, needed, label, label_en, filled, waiting):
        self.pk = pk
        self.skill_id = skill_id
        self.skill = skill
        self.language = language
        self.needed = needed
        self.label = label
        self.label_en = label_en
        self.filled = filled
        self.waiting = waiting

    display_name = RoleNeed.display_name


class _Roles:
    """``slot.roles`` of a plain row: ``all()`` answers its roles, as a prefetched relation."""

    __slots__ = ("roles",)

    def __init__(self, roles: list):
        self.roles = roles

    def all(self) -> list:
        return self.roles


# What a list of slots shows and judges by, as plain values (``slots_plain``).
_PLAIN = (
    "pk",
    "activity_id",
    "starts_at",
    "ends_at",
    "status",
    "activity__title",
    "activity__title_en",
    "activity__kind",
    "activity__status",
    "activity__venue_id",
    "activity__team_id",
    "activity__team__name",
    "activity__team__name_en",
    "activity__venue__name",
    "activity__venue__name_en",
    "activity__venue__timezone",
    "activity__venue__latitude",
    "activity__venue__longitude",
)


def slots_plain_values(queryset: QuerySet[Slot]) -> QuerySet:
    """The columns ``slots_plain`` makes rows of: paginate this, then make the page's rows."""
    return queryset.values_list(*_PLAIN)


def _plain_roles(rows) -> list[PlainRole]:
    return [
        PlainRole(
            r[_PK_AT],
            r[_SKILL_AT],
            (
                SkillName(r[_NAME_AT], r[_NAME_EN_AT], r[_CODE_AT])
                if r[_SKILL_AT] is not None
                else None
            ),
            r[_LANGUAGE_AT],
            r[_NEEDED_AT],
            r[_LABEL_AT],
            r[_LABEL_EN_AT],
            r[_FILLED_AT],
            r[_WAITING_AT],
        )
        for r in rows
    ]


def slots_plain(
    rows, *, role_rows: dict[int, list[tuple]] | None = None, roles: bool = True
) -> list[_SlotRow]:
    """Slots of a list as plain rows carrying what a card and the API show of them and what
    the rules read (the activity's title and kind, venue and team, the roles with their fill
    and skill), from ``slots_plain_values`` and their roles' rows (``slot_role_rows``, read
    here when not given): no model row is made. ``roles=False``: rows without their roles
    (``roles`` is ``None``), for a list that is not judged and gives them to its page only."""
    rows = list(rows)
    if roles and role_rows is None:
        role_rows = slot_role_rows([row[0] for row in rows]) if rows else {}
    plain = []
    for row in rows:
        pk, activity_id, starts, ends, status, title, title_en, kind, a_status, *rest = row
        venue_id, team_id, team_name, team_name_en, venue_name, venue_name_en, *place = rest
        tz, latitude, longitude = place
        activity = SimpleNamespace(
            display_title=BilingualName(title, title_en),
            kind=kind,
            status=a_status,
            venue_id=venue_id,
            team_id=team_id,
            team=BilingualName(team_name, team_name_en) if team_id is not None else None,
            venue=SimpleNamespace(
                display_name=BilingualName(venue_name, venue_name_en),
                timezone=tz,
                latitude=latitude,
                longitude=longitude,
            ),
        )
        slot = _SlotRow(pk, starts, ends, status, activity, activity_id)
        if roles:
            slot.roles = _Roles(_plain_roles(role_rows.get(pk, ())))
        plain.append(slot)
    return plain


def slot_page_get(*, pk: int) -> _SlotRow | None:
    """One slot as its page and its sign-up box read it, or None when it does not exist: the
    slot's activity, venue and team as model rows (what the page and the rules read of them),
    and its roles with their seats (``slot_roles_with_fill``) read directly by the slot's id,
    not through a prefetch. Two queries."""
    try:
        slot = Slot.objects.select_related("activity__venue", "activity__team").get(pk=pk)
    except Slot.DoesNotExist:
        return None
    roles = list(slot_roles_with_fill(SlotRole.objects.filter(slot_id=pk)))  # in their order
    return _SlotRow(
        slot.pk,
        slot.starts_at,
        slot.ends_at,
        slot.status,
        slot.activity,
        activity_id=slot.activity_id,
        roles=_Roles(roles),
    )


def shifts_for_me(
    *,
    volunteer: VolunteerProfile,
    filters: Filters | None = None,
    sort: str = "soonest",
    fits_only: bool = True,
    open_only: bool = False,
) -> ShiftsForMe:
    """Open slots judged for ``volunteer``; with ``fits_only`` only those she may take (seat or
    waitlist), with ``open_only`` only those with a free seat. ``sort``: ``soonest`` or
    ``nearest`` (slots without coordinates last). Which slots, in which order, is decided on
    plain rows, and a slice of the answer is made of the same rows."""
    filters = filters or Filters()
    now = timezone.now()
    if filters.start_after is None:
        filters.start_after = now
    if filters.start_before is None:
        filters.start_before = max(filters.start_after, now) + timedelta(days=DEFAULT_DAYS)
    facts = eligibility.facts_load(
        volunteer=volunteer, around=(filters.start_after, filters.start_before)
    )
    judge = fits_only or open_only or sort == "nearest"
    slots = _judged_rows(
        filters,
        # What the database can rule out cheaply: other teams' slots.
        team_ids=list(facts.team_ids) if fits_only else None,
        facts=facts if judge else None,
        now=now,
        distances=sort == "nearest",
    )
    if fits_only:
        slots = [s for s in slots if s.verdict.ok]
    if open_only:
        slots = [s for s in slots if s.seats_left > 0]
    if sort == "nearest":
        slots.sort(key=lambda s: (s.distance_km is None, s.distance_km or 0, s.starts_at, s.pk))
    return ShiftsForMe(slots, facts, now)


def week_days(slots: list[Slot], *, monday: date, tz) -> list[tuple[date, list[Slot]]]:
    """The seven days from ``monday`` with the slots starting on each (local time)."""
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[timezone.localtime(slot.starts_at, tz).date()].append(slot)
    return [(monday + timedelta(days=i), by_day[monday + timedelta(days=i)]) for i in range(7)]


def assignments_upcoming(*, volunteer: VolunteerProfile) -> QuerySet[Assignment]:
    """Her coming sign-ups, seated or waiting (the home page's "your next shifts")."""
    return (
        Assignment.objects.filter(
            volunteer=volunteer,
            status__in=[Assignment.Status.CONFIRMED, Assignment.Status.WAITLISTED],
            slot__ends_at__gte=timezone.now(),
        )
        .select_related("slot__activity__venue", "role__skill")
        .order_by("slot__starts_at")
    )


def assignments_mine(*, volunteer: VolunteerProfile, past: bool = False) -> QuerySet[Assignment]:
    now = timezone.now()
    qs = Assignment.objects.filter(volunteer=volunteer).select_related(
        "slot__activity__venue", "role__skill"
    )
    if past:
        return qs.filter(slot__ends_at__lt=now).order_by("-slot__starts_at")
    return qs.filter(
        slot__ends_at__gte=now,
        status__in=[
            Assignment.Status.CONFIRMED,
            Assignment.Status.WAITLISTED,
            Assignment.Status.ATTENDED,
        ],
    ).order_by("slot__starts_at")


def waitlist_positions(assignments) -> dict[int, int]:
    """Place in the queue (1 = next) of each waitlisted assignment, in one query."""
    waiting = [a for a in assignments if a.status == Assignment.Status.WAITLISTED]
    if not waiting:
        return {}
    rows = (
        Assignment.objects.filter(
            role_id__in={a.role_id for a in waiting}, status=Assignment.Status.WAITLISTED
        )
        .order_by("created_at", "pk")
        .values_list("pk", "role_id")
    )
    counters: dict[int, int] = defaultdict(int)
    positions: dict[int, int] = {}
    for pk, role_id in rows:
        counters[role_id] += 1
        positions[pk] = counters[role_id]
    return positions


def assignments_visible(*, user) -> QuerySet[Assignment]:
    """Her own sign-ups; for hosts and coordinators also those at venues in their scope."""
    q = Q(volunteer__user=user)
    if user.is_superuser:
        q = Q()
    else:
        venues = venues_in_scope(user=user)
        q |= Q(slot__activity__venue__in=venues.values("pk"))
    return (
        # Her role is shown by its id: the role itself is not read.
        Assignment.objects.filter(q)
        .select_related("slot__activity__venue", "volunteer__user")
        .order_by("slot__starts_at", "pk")
    )


def slot_roster(*, slot: Slot) -> list[Assignment]:
    """Who is on the slot or waiting for it, by role (the host's page and the roster)."""
    return list(
        Assignment.objects.filter(slot=slot)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("volunteer__user", "role__skill")
        .order_by("role_id", "status", "created_at", "pk")
    )


def hours_summary(*, volunteer: VolunteerProfile) -> dict:
    """Attended hours by month and by activity kind, with the total and the no-show count.

    Each shift counts its whole minutes (``minutes`` on each attended row); every figure is a
    sum of those minutes shown in hours, so the rows of any table add up to its total."""
    rows = (
        Assignment.objects.filter(volunteer=volunteer)
        .filter(status__in=[Assignment.Status.ATTENDED, Assignment.Status.NO_SHOW])
        .select_related("slot__activity__venue")
        .order_by("slot__starts_at")
    )
    by_month: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    attended: list[Assignment] = []
    no_shows = 0
    for a in rows:
        if a.status == Assignment.Status.NO_SHOW:
            no_shows += 1
            continue
        a.minutes = round(a.slot.duration_hours * 60)
        a.hours = a.minutes / 60
        by_month[timezone.localtime(a.slot.starts_at).strftime("%Y-%m")] += a.minutes
        by_kind[a.slot.activity.kind] += a.minutes
        attended.append(a)
    kinds = dict(Activity.Kind.choices)
    return {
        "total": sum(by_month.values()) / 60,
        "by_month": sorted(((m, n / 60) for m, n in by_month.items()), reverse=True),
        "by_kind": sorted(
            ((str(kinds.get(k, k)), n / 60) for k, n in by_kind.items()),
            key=lambda kv: -kv[1],
        ),
        "attended": attended,
        "no_shows": no_shows,
    }
