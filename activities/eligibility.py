"""Whether a volunteer may take a seat in a slot, and if not, which rule says no.

The rules work on plain data loaded in a few bulk queries (``VolunteerFacts``), so that a list of
a hundred slots is judged in Python without a query per slot, and the sign-up service judges one
slot with exactly the same code inside its locked transaction.

Each refusal has a stable ``code`` (for programs and tests) and a message naming the rule in the
language active when it is built. The message is written only when it is read: a list judges
every candidate slot but shows the reasons of a few. A full slot is not a refusal: the volunteer
joins the waitlist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connections, router
from django.db.models import BooleanField, DateField, Q, TimeField, Value
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop, override
from django.utils.translation import gettext as _

from volunteers.models import (
    LANGUAGE_CHOICES,
    Absence,
    Availability,
    Skill,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)

from .models import Assignment, Slot, SlotRole

# Codes, stable for API clients.
SLOT_CANCELLED = "slot_cancelled"
SLOT_PAST = "slot_past"
ALREADY_SIGNED_UP = "already_signed_up"
TEAM_RESERVED = "team_reserved"
SKILL_MISSING = "skill_missing"
SKILL_PENDING = "skill_pending_verification"
LANGUAGE = "language"
NOT_AVAILABLE = "not_available"
AWAY = "away"
OVERLAP = "overlap"
HOUR_CAP = "hour_cap"
FULL = "full"
NO_ROLES = "no_roles"

# Refusals answered with 409 Conflict (the state of her shifts, not her fitness, is the problem).
CONFLICT_CODES = {OVERLAP, ALREADY_SIGNED_UP}

# Statuses that count towards the weekly hour cap (a no-show gave no time).
_HOURS_STATUSES = (Assignment.Status.CONFIRMED, Assignment.Status.ATTENDED)


class Refusal:
    """A rule that says no: its ``code``, and its ``message`` in the language that was active
    when the refusal was made, written from ``text`` (marked with ``gettext_noop``) and
    ``params`` the first time it is read."""

    __slots__ = ("_language", "_message", "code", "params", "text")

    def __init__(
        self, code: str, text: str, params: dict | None = None, *, language: str | None = ""
    ):
        """``language``: the active one, when the caller already knows it."""
        self.code = code
        self.text = text
        self.params = params
        self._language = get_language() if language == "" else language
        self._message: str | None = None

    @property
    def message(self) -> str:
        if self._message is None:
            if get_language() == self._language:
                self._message = self._write()
            else:
                with override(self._language):
                    self._message = self._write()
        return self._message

    def _write(self) -> str:
        message = _(self.text)
        return message if self.params is None else message % self.params

    @property
    def key(self) -> tuple:
        """Equal for two refusals with the same message, without writing it: each code has one
        text, and the message shows each parameter as text."""
        if self.params is None:
            return (self.code,)
        return (self.code, *(str(value) for value in self.params.values()))

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    def __eq__(self, other) -> bool:
        if not isinstance(other, Refusal):
            return NotImplemented
        return (self.code, self.message) == (other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.code, self.message))

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, {self.message!r})"


@dataclass
class Booked:
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    assignment_id: int


@dataclass
class VolunteerFacts:
    """All the rules need to know about one volunteer, loaded in a fixed number of queries."""

    volunteer: VolunteerProfile
    skills: dict[int, bool] = field(default_factory=dict)  # skill id → counts (verified)
    languages: set[str] = field(default_factory=set)
    windows: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    absences: list[tuple[date, date]] = field(default_factory=list)
    team_ids: set[int] = field(default_factory=set)
    booked: list[Booked] = field(default_factory=list)  # seated assignments (for overlap/hours)
    live_by_slot: dict[int, Assignment] = field(default_factory=dict)  # not cancelled
    # Read only with ``live_on``: the highest sequence of her rows on that slot, cancelled ones
    # included (None: she has none). They share one calendar entry, whose next message goes
    # above it.
    top_sequence_on: int | None = None


def facts_load(
    *,
    volunteer: VolunteerProfile,
    around: tuple[datetime, datetime] | None = None,
    teams: bool = True,
    skills: bool = True,
    live_on: int | None = None,
):
    """Load the volunteer's facts. ``around`` bounds the shifts read for overlap and hours;
    ``teams=False`` skips her teams when no slot judged is reserved for a team, ``skills=False``
    her skills when no role judged asks for one; ``live_on``: see ``facts_load_many``."""
    return facts_load_many(
        volunteers=[volunteer], around=around, teams=teams, skills=skills, live_on=live_on
    )[volunteer.pk]


def facts_load_many(
    *,
    volunteers: list[VolunteerProfile],
    around: tuple[datetime, datetime] | None = None,
    teams: bool = True,
    skills: bool = True,
    live_on: int | None = None,
) -> dict[int, VolunteerFacts]:
    """``facts_load`` for several volunteers in the same two queries (her profile's rows, then
    her sign-ups), however many they are: by volunteer id. ``live_on``: only
    the slot judged (its id); ``live_by_slot`` then holds only her sign-up on it, her others
    count in ``booked`` alone."""
    found = {
        v.pk: VolunteerFacts(volunteer=v, languages=set(v.languages or [])) for v in volunteers
    }
    ids = list(found)
    windows: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for kind, volunteer_id, number, counts, start, end, first, last in _profile_rows(
        ids, skills=skills, teams=teams, using=router.db_for_read(Availability)
    ):
        facts = found[volunteer_id]
        if kind == _WINDOW:
            windows[volunteer_id][number].append((start, end))
        elif kind == _AWAY:
            facts.absences.append((first, last))
        elif kind == _SKILL:
            facts.skills[number] = counts
        else:
            facts.team_ids.add(number)
    for volunteer_id, days in windows.items():
        found[volunteer_id].windows = {day: _merge(spans) for day, spans in days.items()}
    for facts in found.values():
        # In the order of their first day (the first one a shift falls in is the one named).
        facts.absences.sort(key=_first_day)
    live = ~Q(status=Assignment.Status.CANCELLED)
    if live_on is not None:
        # Her cancelled rows on the slot judged come too, for their sequences alone.
        live |= Q(slot_id=live_on)
    qs = Assignment.objects.filter(live, volunteer_id__in=ids)
    if around is not None:
        # A week either side covers the ISO week of every slot in the range.
        lo, hi = around[0] - timedelta(days=8), around[1] + timedelta(days=8)
        qs = qs.filter(slot__ends_at__gte=lo, slot__starts_at__lte=hi)
    if live_on is not None:
        _assignments_read(found, qs, live_on)
        return found
    for a in qs.select_related("slot"):
        facts = found[a.volunteer_id]
        # Any sign-up that is not cancelled (including attended) stands for the slot.
        facts.live_by_slot[a.slot_id] = a
        if a.status in Assignment.SEATED:
            facts.booked.append(Booked(a.slot_id, a.slot.starts_at, a.slot.ends_at, a.status, a.pk))
    return found


# The kinds of rows ``_profile_rows`` reads, each from its own table.
_WINDOW, _AWAY, _SKILL, _TEAM = "w", "a", "s", "t"


# The typed columns of ``_profile_rows``: where each is and what it holds.
_PROFILE_TYPED = [
    (at, Value(None, output_field=output))
    for at, output in (
        (3, BooleanField()),
        (4, TimeField()),
        (5, TimeField()),
        (6, DateField()),
        (7, DateField()),
    )
]


def _first_day(absence: tuple[date, date]) -> date:
    return absence[0]


def _profile_rows(ids: list[int], *, skills: bool, teams: bool, using: str) -> list[tuple]:
    """Her weekly windows, her absences and, when asked, her skills and her teams, in one
    query: each row ``(kind, volunteer id, number, counts, start, end, first day, last day)``,
    where ``number`` is a window's weekday, a skill's id or a team's id, ``counts`` whether a
    skill counts (it needs no verification, or has been verified), ``start``/``end`` a window's
    times and ``first day``/``last day`` an absence's dates; a column a kind does not use is
    NULL. A UNION ALL of four small reads of fixed shape, written as SQL that SQLite and
    PostgreSQL both read: the ORM took more time to build it than the database to answer."""
    if not ids:
        return []
    connection = connections[using]
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def column(model, name: str) -> str:
        return f"{table(model)}.{q(model._meta.get_field(name).column)}"

    among = ", ".join(["%s"] * len(ids))
    # The first SELECT gives each column its type: PostgreSQL types a UNION's columns pairwise
    # from the left, and an untyped NULL in the first two would make one text.
    parts = [
        f"SELECT '{_WINDOW}', {column(Availability, 'volunteer')}, "
        f"{column(Availability, 'weekday')}, CAST(NULL AS boolean), "
        f"{column(Availability, 'start')}, {column(Availability, 'end')}, "
        f"CAST(NULL AS date), CAST(NULL AS date) FROM {table(Availability)} "
        f"WHERE {column(Availability, 'volunteer')} IN ({among})",
        f"SELECT '{_AWAY}', {column(Absence, 'volunteer')}, NULL, NULL, NULL, NULL, "
        f"{column(Absence, 'start_date')}, {column(Absence, 'end_date')} FROM {table(Absence)} "
        f"WHERE {column(Absence, 'volunteer')} IN ({among})",
    ]
    if skills:
        parts.append(
            f"SELECT '{_SKILL}', {column(VolunteerSkill, 'volunteer')}, "
            f"{column(VolunteerSkill, 'skill')}, "
            f"(NOT {column(Skill, 'needs_verification')} "
            f"OR {column(VolunteerSkill, 'verified_at')} IS NOT NULL), NULL, NULL, NULL, NULL "
            f"FROM {table(VolunteerSkill)} INNER JOIN {table(Skill)} "
            f"ON {column(VolunteerSkill, 'skill')} = {column(Skill, 'id')} "
            f"WHERE {column(VolunteerSkill, 'volunteer')} IN ({among})"
        )
    if teams:
        parts.append(
            f"SELECT '{_TEAM}', {column(TeamMembership, 'volunteer')}, "
            f"{column(TeamMembership, 'team')}, NULL, NULL, NULL, NULL, NULL "
            f"FROM {table(TeamMembership)} WHERE {column(TeamMembership, 'volunteer')} IN ({among})"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), ids * len(parts))
        rows = cursor.fetchall()
    # The database's own values made Python's as the ORM makes them (SQLite answers a boolean
    # as 0 or 1, and times and dates as text).
    converting = []
    for at, expression in _PROFILE_TYPED:
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if converters:
            converting.append((at, converters, expression))
    if not converting:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for at, converters, expression in converting:
            value = row[at]
            for converter in converters:
                value = converter(value, expression, connection)
            row[at] = value
        converted.append(row)
    return converted


_ASSIGNMENT_COLUMNS = [f.attname for f in Assignment._meta.concrete_fields]
_SLOT_ID, _VOLUNTEER_ID, _STATUS, _PK, _SEQUENCE = (
    _ASSIGNMENT_COLUMNS.index(name)
    for name in ("slot_id", "volunteer_id", "status", "id", "sequence")
)


def _assignments_read(found: dict[int, VolunteerFacts], qs, live_on: int) -> None:
    """Her sign-ups as rows: a model only for the one on slot ``live_on`` (the rules ask about
    that one), the others only as what they book (a model each, with its slot, cost more than
    the rest of the read); her rows on ``live_on``, cancelled ones too, give its top sequence."""
    for *row, starts_at, ends_at in qs.values_list(
        *_ASSIGNMENT_COLUMNS, "slot__starts_at", "slot__ends_at"
    ):
        facts = found[row[_VOLUNTEER_ID]]
        slot_id, status = row[_SLOT_ID], row[_STATUS]
        if slot_id == live_on:
            top = facts.top_sequence_on
            facts.top_sequence_on = row[_SEQUENCE] if top is None else max(top, row[_SEQUENCE])
            if status == Assignment.Status.CANCELLED:
                continue
            facts.live_by_slot[slot_id] = Assignment.from_db(qs.db, _ASSIGNMENT_COLUMNS, row)
        if status in Assignment.SEATED:
            facts.booked.append(Booked(slot_id, starts_at, ends_at, status, row[_PK]))


def _merge(spans: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Windows that touch or overlap become one (Mon 9–12 and 12–17 cover a 10–15 shift)."""
    merged: list[tuple[time, time]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _tz(slot: Slot) -> ZoneInfo:
    return ZoneInfo(slot.activity.venue.timezone or timezone.get_default_timezone_name())


def language_name(code: str) -> str:
    for value, label in LANGUAGE_CHOICES:
        if value == code:
            return str(label)
    return code


class _LanguageName:
    """A language's name in the language a message is written in (``language_name``)."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __str__(self) -> str:
        return language_name(self.code)


def slot_refusals(
    facts: VolunteerFacts,
    slot: Slot,
    *,
    now: datetime | None = None,
    ignore: int | None = None,
    language: str | None = "",
) -> list[Refusal]:
    """Rules about the slot as a whole (not about which role). ``ignore``: an assignment id to
    leave out, e.g. her own waitlisted entry when she is being promoted. ``language``: the
    active one, when the caller already knows it."""
    if language == "":
        language = get_language()
    now = now or timezone.now()
    refusals: list[Refusal] = []
    if slot.status == Slot.Status.CANCELLED or slot.activity.status == "cancelled":
        return [
            Refusal(
                SLOT_CANCELLED, gettext_noop("This shift has been cancelled."), language=language
            )
        ]
    if slot.starts_at <= now:
        return [
            Refusal(
                SLOT_PAST,
                gettext_noop("This shift has already started or taken place."),
                language=language,
            )
        ]
    live = facts.live_by_slot.get(slot.pk)
    if live is not None and live.pk != ignore:
        return [
            Refusal(
                ALREADY_SIGNED_UP,
                gettext_noop("You are already signed up for this shift (%(status)s)."),
                {"status": live.get_status_display()},
                language=language,
            )
        ]
    team_id = slot.activity.team_id
    if team_id and team_id not in facts.team_ids:
        refusals.append(
            Refusal(
                TEAM_RESERVED,
                gettext_noop("This shift is reserved for members of the team “%(team)s”."),
                {"team": slot.activity.team},
                language=language,
            )
        )
    tz = _tz(slot)
    start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    away = [(a, b) for a, b in facts.absences if a <= end.date() and b >= start.date()]
    if away:
        refusals.append(
            Refusal(
                AWAY,
                gettext_noop("You said you are away from %(start)s to %(end)s."),
                {"start": away[0][0].isoformat(), "end": away[0][1].isoformat()},
                language=language,
            )
        )
    elif facts.windows and not _in_window(facts.windows, start, end):
        refusals.append(
            Refusal(
                NOT_AVAILABLE,
                gettext_noop("This shift is outside the weekly times you said you are available."),
                language=language,
            )
        )
    clash = [
        b
        for b in facts.booked
        if b.status == Assignment.Status.CONFIRMED
        and b.assignment_id != ignore
        and b.slot_id != slot.pk
        and b.starts_at < slot.ends_at
        and b.ends_at > slot.starts_at
    ]
    if clash:
        refusals.append(
            Refusal(
                OVERLAP,
                gettext_noop("This shift overlaps another shift you have, starting at %(start)s."),
                {"start": timezone.localtime(clash[0].starts_at, tz).strftime("%Y-%m-%d %H:%M")},
                language=language,
            )
        )
    week = start.isocalendar()[:2]
    hours = sum(
        (b.ends_at - b.starts_at).total_seconds() / 3600
        for b in facts.booked
        if b.status in _HOURS_STATUSES
        and b.assignment_id != ignore
        and b.slot_id != slot.pk
        and b.starts_at.astimezone(tz).isocalendar()[:2] == week
    )
    if hours + slot.duration_hours > facts.volunteer.max_hours_per_week + 1e-9:
        refusals.append(
            Refusal(
                HOUR_CAP,
                gettext_noop(
                    "This shift would take you to %(total)s hours in that week, more than the "
                    "%(cap)s hours a week you want to give."
                ),
                {
                    "total": _fmt_hours(hours + slot.duration_hours),
                    "cap": facts.volunteer.max_hours_per_week,
                },
                language=language,
            )
        )
    return refusals


def _fmt_hours(hours: float) -> str:
    return f"{hours:.1f}".rstrip("0").rstrip(".")


def _in_window(windows: dict[int, list[tuple[time, time]]], start: datetime, end: datetime):
    if start.date() != end.date() and not (end.time() == time(0) and end - start <= timedelta(1)):
        return False
    end_time = time(23, 59, 59) if end.time() == time(0) else end.time()
    return any(
        w_start <= start.time() and end_time <= w_end
        for w_start, w_end in windows.get(start.weekday(), [])
    )


def role_refusals(
    facts: VolunteerFacts, role: SlotRole, *, language: str | None = ""
) -> list[Refusal]:
    """Rules about one role of the slot: the skill and the language it asks for.
    ``language``: the active one, when the caller already knows it."""
    if language == "":
        language = get_language()
    refusals: list[Refusal] = []
    if role.skill_id:
        counts = facts.skills.get(role.skill_id)
        if counts is None:
            refusals.append(
                Refusal(
                    SKILL_MISSING,
                    gettext_noop(
                        "This role needs the skill “%(skill)s”, which is not in your profile."
                    ),
                    {"skill": role.skill},
                    language=language,
                )
            )
        elif not counts:
            refusals.append(
                Refusal(
                    SKILL_PENDING,
                    gettext_noop(
                        "This role needs the skill “%(skill)s”; yours is waiting for a "
                        "coordinator to verify it."
                    ),
                    {"skill": role.skill},
                    language=language,
                )
            )
    if role.language and role.language not in facts.languages:
        refusals.append(
            Refusal(
                LANGUAGE,
                gettext_noop("This role needs someone who speaks %(language)s."),
                {"language": _LanguageName(role.language)},
                language=language,
            )
        )
    return refusals


@dataclass
class Verdict:
    """The judgement of one slot for one volunteer."""

    refusals: list[Refusal]  # empty: she may take a seat (or join the waitlist)
    role: SlotRole | None  # the role she would take
    full: bool  # every role she fits is full: she would join the waitlist
    role_reasons: dict[int, list[Refusal]]
    role_reasons_by_role: list[tuple[SlotRole, list[Refusal]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    @property
    def free_seats_refused(self) -> list[tuple[SlotRole, list[Refusal]]]:
        """The roles with a free seat that she does not fit, each with why: what keeps her on
        the waitlist while the slot still shows seats left."""
        return [
            (role, reasons)
            for role, reasons in self.role_reasons_by_role
            if reasons and role.filled < role.needed
        ]


def slot_verdict(
    facts: VolunteerFacts,
    slot: Slot,
    *,
    roles: list[SlotRole] | None = None,
    role: SlotRole | None = None,
    now: datetime | None = None,
    ignore: int | None = None,
    language: str | None = "",
) -> Verdict:
    """Judge the slot; with ``role`` only that role, otherwise the first role with a free seat
    that she fits (or the first she fits, for the waitlist). ``language``: the active one, when
    the caller already knows it (a list judging many slots)."""
    if language == "":
        language = get_language()
    roles = list(slot.roles.all()) if roles is None else roles
    candidates = [role] if role is not None else roles
    if not candidates:
        return Verdict(
            [Refusal(NO_ROLES, gettext_noop("This shift needs nobody."), language=language)],
            None,
            False,
            {},
        )
    role_reasons = {r.pk: role_refusals(facts, r, language=language) for r in candidates}
    by_role = [(r, role_reasons[r.pk]) for r in candidates]
    general = slot_refusals(facts, slot, now=now, ignore=ignore, language=language)
    fitting = [r for r in candidates if not role_reasons[r.pk]]
    if general:
        return Verdict(general, fitting[0] if fitting else None, False, role_reasons, by_role)
    if not fitting:
        seen: dict[str, Refusal] = {}
        for r in candidates:
            for refusal in role_reasons[r.pk]:
                seen.setdefault(refusal.key, refusal)
        return Verdict(list(seen.values()), None, False, role_reasons, by_role)
    # ``filled``: the seat annotation (activities.selectors.seats), or the count under lock.
    free = [r for r in fitting if r.filled < r.needed]
    if free:
        return Verdict([], free[0], False, role_reasons, by_role)
    return Verdict([], fitting[0], True, role_reasons, by_role)
