"""Whether a volunteer may take a seat in a slot, and if not, which rule says no.

The rules work on plain data loaded in one bulk query (``VolunteerFacts``), so that a list of a
hundred slots is judged in Python without a query per slot, and the sign-up service judges one
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
from django.db.models import BooleanField, Value
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
    """All the rules need to know about one volunteer, loaded in one query (``facts_load``)."""

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
    """``facts_load`` for several volunteers in one query (``_facts_rows``), however many they
    are: by volunteer id. ``live_on``: only the slot judged (its id); ``live_by_slot`` then
    holds only her sign-up on it, her others count in ``booked`` alone."""
    found = {
        v.pk: VolunteerFacts(volunteer=v, languages=set(v.languages or [])) for v in volunteers
    }
    if not found:
        return found
    windows: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    using = router.db_for_read(Assignment)
    for row in _facts_rows(
        list(found), around=around, teams=teams, skills=skills, live_on=live_on, using=using
    ):
        kind, volunteer_id, number = row[0], row[1], row[2]
        facts = found[volunteer_id]
        if kind == _SIGN_UP:
            _sign_up_read(facts, row, live_on, using)
        elif kind == _WINDOW:
            windows[volunteer_id][number].append((row[_START], row[_END]))
        elif kind == _AWAY:
            facts.absences.append((row[_FIRST_DAY], row[_LAST_DAY]))
        elif kind == _SKILL:
            facts.skills[number] = row[_COUNTS]
        else:
            facts.team_ids.add(number)
    for volunteer_id, days in windows.items():
        found[volunteer_id].windows = {day: _merge(spans) for day, spans in days.items()}
    for facts in found.values():
        # In the order of their first day (the first one a shift falls in is the one named).
        facts.absences.sort(key=_first_day)
    return found


def _sign_up_read(facts: VolunteerFacts, row: list, live_on: int | None, using: str) -> None:
    """One of her sign-ups (``_facts_rows``): a model in ``live_by_slot`` when it is live (with
    ``live_on``, only the one on that slot: the rules ask about that one, and a model each
    for the others cost more than the rest of the read), and what it books; with ``live_on``,
    her rows on that slot, cancelled ones too, give its top sequence."""
    values = row[_ASSIGNMENT_AT:_SLOT_STARTS_AT]
    slot_id, status = values[_SLOT_ID], values[_STATUS]
    if live_on is None:
        # Any sign-up that is not cancelled (including attended) stands for the slot.
        facts.live_by_slot[slot_id] = Assignment.from_db(using, _ASSIGNMENT_COLUMNS, values)
    elif slot_id == live_on:
        top = facts.top_sequence_on
        facts.top_sequence_on = values[_SEQUENCE] if top is None else max(top, values[_SEQUENCE])
        if status == Assignment.Status.CANCELLED:
            return
        facts.live_by_slot[slot_id] = Assignment.from_db(using, _ASSIGNMENT_COLUMNS, values)
    if status in Assignment.SEATED:
        facts.booked.append(
            Booked(slot_id, row[_SLOT_STARTS_AT], row[_SLOT_ENDS_AT], status, values[_PK])
        )


# The kinds of rows ``_facts_rows`` reads, each from its own table.
_WINDOW, _AWAY, _SKILL, _TEAM, _SIGN_UP = "w", "a", "s", "t", "b"

_ASSIGNMENT_FIELDS = list(Assignment._meta.concrete_fields)
_ASSIGNMENT_COLUMNS = [f.attname for f in _ASSIGNMENT_FIELDS]
_SLOT_ID, _VOLUNTEER_ID, _STATUS, _PK, _SEQUENCE = (
    _ASSIGNMENT_COLUMNS.index(name)
    for name in ("slot_id", "volunteer_id", "status", "id", "sequence")
)

# The columns of ``_facts_rows``, each with the field whose type and values it has: the row's
# kind and volunteer, a number (a window's weekday, a skill's or a team's id), whether a skill
# counts, a window's times, an absence's days, then a sign-up's own columns and its slot's
# times. A column a kind does not use is NULL.
_FACTS_FIELDS = [
    None,
    Availability._meta.get_field("volunteer"),
    Availability._meta.get_field("weekday"),
    BooleanField(),
    Availability._meta.get_field("start"),
    Availability._meta.get_field("end"),
    Absence._meta.get_field("start_date"),
    Absence._meta.get_field("end_date"),
    *_ASSIGNMENT_FIELDS,
    Slot._meta.get_field("starts_at"),
    Slot._meta.get_field("ends_at"),
]
# How the ORM reads each column: a model's column as its field, the computed one as a value.
_FACTS_EXPRESSIONS = [
    None
    if of is None
    else of.get_col(of.model._meta.db_table)
    if hasattr(of, "model")
    else Value(None, output_field=of)
    for of in _FACTS_FIELDS
]
_COUNTS, _START, _END, _FIRST_DAY, _LAST_DAY, _ASSIGNMENT_AT = 3, 4, 5, 6, 7, 8
_SLOT_STARTS_AT = _ASSIGNMENT_AT + len(_ASSIGNMENT_FIELDS)
_SLOT_ENDS_AT = _SLOT_STARTS_AT + 1
# Her sign-ups in their model's order (the ORM's), by the places of its columns in the row.
_SIGN_UPS_ORDER = ", ".join(
    str(_ASSIGNMENT_AT + 1 + _ASSIGNMENT_COLUMNS.index(Assignment._meta.get_field(name).attname))
    + (" DESC" if descending else "")
    for descending, name in (
        (by.startswith("-"), by.removeprefix("-")) for by in Assignment._meta.ordering
    )
)


def _first_day(absence: tuple[date, date]) -> date:
    return absence[0]


def _facts_rows(
    ids: list[int],
    *,
    around: tuple[datetime, datetime] | None,
    teams: bool,
    skills: bool,
    live_on: int | None,
    using: str,
) -> list:
    """Her weekly windows, her absences, her skills and her teams (each when asked) and her
    sign-ups, in one query: a UNION ALL of small reads of fixed shape, one row each, in the
    columns of ``_FACTS_FIELDS`` (kind first), her sign-ups in their model's order. Her
    sign-ups: those not cancelled (with ``live_on``, her cancelled ones on that slot too),
    on slots within a week of ``around``. Written as SQL that SQLite and PostgreSQL both read:
    the ORM took more time to build these reads than the database to answer them."""
    connection = connections[using]
    q = connection.ops.quote_name

    def column(model, name: str) -> str:
        return f"{q(model._meta.db_table)}.{q(model._meta.get_field(name).column)}"

    among = ", ".join(["%s"] * len(ids))
    # Each read: its kind, its columns by place, its tables, and its own conditions with their
    # parameters (all of them are hers, by volunteer).
    parts: list[tuple[str, dict[int, str], str, list[str], list]] = [
        (
            _WINDOW,
            {
                1: column(Availability, "volunteer"),
                2: column(Availability, "weekday"),
                _START: column(Availability, "start"),
                _END: column(Availability, "end"),
            },
            q(Availability._meta.db_table),
            [],
            [],
        ),
        (
            _AWAY,
            {
                1: column(Absence, "volunteer"),
                _FIRST_DAY: column(Absence, "start_date"),
                _LAST_DAY: column(Absence, "end_date"),
            },
            q(Absence._meta.db_table),
            [],
            [],
        ),
    ]
    if skills:
        parts.append(
            (
                _SKILL,
                {
                    1: column(VolunteerSkill, "volunteer"),
                    2: column(VolunteerSkill, "skill"),
                    _COUNTS: f"(NOT {column(Skill, 'needs_verification')} "
                    f"OR {column(VolunteerSkill, 'verified_at')} IS NOT NULL)",
                },
                f"{q(VolunteerSkill._meta.db_table)} INNER JOIN {q(Skill._meta.db_table)} "
                f"ON {column(VolunteerSkill, 'skill')} = {column(Skill, 'id')}",
                [],
                [],
            )
        )
    if teams:
        parts.append(
            (
                _TEAM,
                {1: column(TeamMembership, "volunteer"), 2: column(TeamMembership, "team")},
                q(TeamMembership._meta.db_table),
                [],
                [],
            )
        )
    status = column(Assignment, "status")
    live = f"{status} <> %s"
    params: list = [Assignment.Status.CANCELLED]
    if live_on is not None:
        # Her cancelled rows on the slot judged come too, for their sequences alone.
        live = f"({live} OR {column(Assignment, 'slot')} = %s)"
        params.append(live_on)
    where = [live]
    if around is not None:
        # A week either side covers the ISO week of every slot in the range.
        lo, hi = around[0] - timedelta(days=8), around[1] + timedelta(days=8)
        where += [f"{column(Slot, 'ends_at')} >= %s", f"{column(Slot, 'starts_at')} <= %s"]
        params += [
            connection.ops.adapt_datetimefield_value(lo),
            connection.ops.adapt_datetimefield_value(hi),
        ]
    sign_ups = {1: column(Assignment, "volunteer")}
    for at, own in enumerate(_ASSIGNMENT_FIELDS, _ASSIGNMENT_AT):
        sign_ups[at] = column(Assignment, own.name)
    sign_ups[_SLOT_STARTS_AT] = column(Slot, "starts_at")
    sign_ups[_SLOT_ENDS_AT] = column(Slot, "ends_at")
    parts.append(
        (
            _SIGN_UP,
            sign_ups,
            f"{q(Assignment._meta.db_table)} INNER JOIN {q(Slot._meta.db_table)} "
            f"ON {column(Assignment, 'slot')} = {column(Slot, 'id')}",
            where,
            params,
        )
    )
    selects, values = [], []
    for first, (kind, found, tables, conditions, extra) in enumerate(parts):
        items = [f"'{kind}'"]
        for at in range(1, len(_FACTS_FIELDS)):
            if at in found:
                items.append(found[at])
            elif first == 0:
                # The first SELECT gives each column its type: PostgreSQL types a UNION's
                # columns pairwise from the left, and two untyped NULLs would make one text.
                items.append(f"CAST(NULL AS {_FACTS_FIELDS[at].cast_db_type(connection)})")
            else:
                items.append("NULL")
        selects.append(
            f"SELECT {', '.join(items)} FROM {tables} "
            f"WHERE {' AND '.join([f'{found[1]} IN ({among})', *conditions])}"
        )
        values += [*ids, *extra]
    sql = f"{' UNION ALL '.join(selects)} ORDER BY {_SIGN_UPS_ORDER}"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    # The database's own values made Python's as the ORM makes them (SQLite answers a boolean
    # as 0 or 1, and times and dates as text; PostgreSQL's need nothing).
    converting = []
    for at, expression in enumerate(_FACTS_EXPRESSIONS):
        if expression is None:
            continue
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
