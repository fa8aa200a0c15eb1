"""The figures of one area over one period, each table from one database aggregate.

An area rolls up everything under it (a district its streets and communities). Activities and
hours belong to the area of the venue; disputes to the dispute's area; texts and opt-outs to the
recipient's home area. Period edges are local midnights of the district (``periods.Period``).

No query here loops over rows in Python: each table is one grouped aggregate (a few small
dictionaries keyed by kind are merged afterwards), so the number of queries does not grow with
the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from activities.models import Activity, Assignment, Slot, SlotRole
from core.errors import NotFound
from mediation.models import Dispute, Visit
from notifications.models import Message, OptOut
from venues.models import Area
from venues.selectors import (
    LEVEL_ORDER,
    area_subtree_q,
    areas_in_scope,
    coordinator_area_ids,
    is_coordinator,
)
from volunteers.models import Team, VolunteerProfile

from .periods import Period, district_zone, period_parse
from .tables import Column, Table, suppress, suppress_value

# The year-end report's headings, each made of activity kinds.
HEADINGS = [
    ("classes", gettext_lazy("Classes (the “X o’clock classes”)"), ["class"]),
    ("lectures", gettext_lazy("Lectures and the lecture group’s talks"), ["lecture"]),
    (
        "markets",
        gettext_lazy("Flea markets and culture exchanges"),
        ["flea_market", "culture_exchange"],
    ),
    ("salons", gettext_lazy("Salons"), ["salon"]),
    ("counselling", gettext_lazy("Counselling"), ["counselling"]),
    ("rights", gettext_lazy("Rights-protection events"), ["rights"]),
    ("home_visits", gettext_lazy("Home-visit campaigns"), ["home_visits"]),
    ("mediation", gettext_lazy("Mediation sessions"), ["mediation"]),
]

LETTERS_AND_VISITS = (Dispute.Source.LETTER, Dispute.Source.WALK_IN)


@dataclass
class Report:
    area: Area
    period: Period
    # Counts below this are hidden (None) — set only for areas smaller than a street.
    suppressed_below: int | None
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, object] = field(default_factory=dict)


# --- Scope ---------------------------------------------------------------------------------


def report_areas(*, user) -> QuerySet[Area]:
    """Areas she may read reports for: her own and everything under them, district first."""
    return areas_in_scope(user=user).select_related("parent").order_by(LEVEL_ORDER, "name")


def report_area_default(*, user) -> Area:
    areas = report_areas(user=user)
    own = coordinator_area_ids(user)
    area = areas.filter(pk__in=own).first() if own else areas.first()
    if area is None:
        raise NotFound(_("Not found."))
    return area


def report_area_get(*, user, area_id) -> Area:
    """Her area by id; any other area, or a person who coordinates nothing, is not found."""
    try:
        pk = int(area_id)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
    area = report_areas(user=user).filter(pk=pk).first()
    if area is None:
        raise NotFound(_("Not found."))
    return area


def report_for(*, user, area_id=None, start: str | None = None, end: str | None = None) -> Report:
    """The report pages and the API answer with: only coordinators (and admins) of the area;
    anyone else finds nothing (404). Bad dates are refused naming the field (400)."""
    if not is_coordinator(user):
        raise NotFound(_("Not found."))
    area = (
        report_area_default(user=user)
        if area_id in (None, "")
        else report_area_get(user=user, area_id=area_id)
    )
    return report_build(area=area, period=period_parse(start=start, end=end))


# --- Helpers -------------------------------------------------------------------------------


def _hours(duration: timedelta | None) -> float:
    if not duration:
        return 0.0
    return round(duration.total_seconds() / 3600, 1)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


SLOT_DURATION = ExpressionWrapper(
    F("slot__ends_at") - F("slot__starts_at"), output_field=DurationField()
)


def _venue_area_q(area: Area, prefix: str) -> Q:
    return Q(**{f"{prefix}__in": Area.objects.filter(area_subtree_q([area.pk]))})


def _slots_q(area: Area, period: Period, prefix: str = "") -> Q:
    """Slots held in the area in the period (cancelled slots and activities are not held)."""
    p = f"{prefix}__" if prefix else ""
    return (
        _venue_area_q(area, f"{p}activity__venue__area")
        & Q(**{f"{p}starts_at__gte": period.start_at, f"{p}starts_at__lt": period.end_at})
        & Q(**{f"{p}status": Slot.Status.SCHEDULED})
        & ~Q(**{f"{p}activity__status": Activity.Status.CANCELLED})
    )


def _street_of(prefix: str):
    """The street an area lies in (itself for a street), for comparing a district's streets."""
    return Case(
        When(**{f"{prefix}__level": Area.Level.STREET}, then=F(f"{prefix}_id")),
        When(**{f"{prefix}__level": Area.Level.COMMUNITY}, then=F(f"{prefix}__parent_id")),
        default=Value(None),
        output_field=IntegerField(),
    )


# --- Activities ----------------------------------------------------------------------------


def _role_rows(area: Area, period: Period, group: dict) -> list[dict]:
    """Per group: slots held, activities, seats needed and staffed, slots fully staffed."""
    filled = (
        Assignment.objects.filter(role=OuterRef("pk"), status__in=Assignment.SEATED)
        .values("role")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        SlotRole.objects.filter(_slots_q(area, period, "slot"))
        .annotate(filled=Coalesce(Subquery(filled, output_field=IntegerField()), 0))
        .values(**group)
        .annotate(
            slots=Count("slot", distinct=True),
            activities=Count("slot__activity", distinct=True),
            seats=Sum("needed"),
            staffed=Sum(Least(F("filled"), F("needed"), output_field=IntegerField())),
            short_slots=Count("slot", distinct=True, filter=Q(filled__lt=F("needed"))),
        )
        .order_by()
    )


def _assignment_rows(area: Area, period: Period, group: dict) -> list[dict]:
    """Per group: attended, no-shows, late cancellations, hours served."""
    return list(
        Assignment.objects.filter(_slots_q(area, period, "slot"))
        .values(**group)
        .annotate(
            attended=Count("pk", filter=Q(status=Assignment.Status.ATTENDED)),
            no_shows=Count("pk", filter=Q(status=Assignment.Status.NO_SHOW)),
            late=Count("pk", filter=Q(status=Assignment.Status.CANCELLED, cancelled_late=True)),
            duration=Sum(SLOT_DURATION, filter=Q(status=Assignment.Status.ATTENDED)),
        )
        .order_by()
    )


ACTIVITY_COLUMNS = [
    ("slots", gettext_lazy("Sessions held"), "count"),
    ("activities", gettext_lazy("Activities"), "count"),
    ("seats", gettext_lazy("Volunteer places"), "count"),
    ("staffed", gettext_lazy("Places staffed"), "count"),
    ("empty_share", gettext_lazy("Share left empty (%)"), "percent"),
    ("full_slots", gettext_lazy("Sessions fully staffed"), "count"),
    ("no_shows", gettext_lazy("No-shows"), "count"),
    ("late", gettext_lazy("Late cancellations"), "count"),
    ("hours", gettext_lazy("Hours served"), "hours"),
]


def _merge(roles: list[dict], seats: list[dict], key: str) -> dict[object, dict]:
    out: dict[object, dict] = {}
    for r in roles:
        out[r[key]] = {
            "slots": r["slots"],
            "activities": r["activities"],
            "seats": r["seats"] or 0,
            "staffed": r["staffed"] or 0,
            "full_slots": r["slots"] - r["short_slots"],
            "no_shows": 0,
            "late": 0,
            "hours": 0.0,
        }
    for a in seats:
        row = out.setdefault(
            a[key],
            {"slots": 0, "activities": 0, "seats": 0, "staffed": 0, "full_slots": 0, "hours": 0.0},
        )
        row.update(no_shows=a["no_shows"], late=a["late"], hours=_hours(a["duration"]))
    for row in out.values():
        share = _share(row["seats"] - row["staffed"], row["seats"])
        row["empty_share"] = share
    return out


def _activity_table(key: str, title, first: Column, merged: dict, labels: dict) -> Table:
    columns = [first] + [Column(k, label, kind) for k, label, kind in ACTIVITY_COLUMNS]
    rows = [
        {first.key: str(labels.get(k, k)), **values}
        for k, values in sorted(merged.items(), key=lambda kv: -kv[1]["slots"])
    ]
    return Table(key=key, title=title, columns=columns, rows=rows)


def activities_by_kind(area: Area, period: Period) -> tuple[Table, Table, dict]:
    roles = _role_rows(area, period, {"k": F("slot__activity__kind")})
    seats = _assignment_rows(area, period, {"k": F("slot__activity__kind")})
    merged = _merge(roles, seats, "k")
    kinds = dict(Activity.Kind.choices)
    by_kind = _activity_table(
        "activities_by_kind",
        _("Activities by kind"),
        Column("kind", _("Kind"), "text"),
        merged,
        kinds,
    )
    headings: dict[str, dict] = {}
    for hkey, _label, members in HEADINGS:
        parts = [merged[k] for k in members if k in merged]
        if not parts:
            continue
        total = {
            c: sum(p[c] for p in parts) for c, _l, kind in ACTIVITY_COLUMNS if kind != "percent"
        }
        total["hours"] = round(total["hours"], 1)
        total["empty_share"] = _share(total["seats"] - total["staffed"], total["seats"])
        headings[hkey] = total
    by_heading = _activity_table(
        "activities_by_heading",
        _("Activities under the year-end report's headings"),
        Column("heading", _("Heading"), "text"),
        headings,
        {k: label for k, label, _m in HEADINGS},
    )
    return by_kind, by_heading, merged


def activities_by_venue(area: Area, period: Period) -> Table:
    group = {
        "v": F("slot__activity__venue_id"),
        "vn": F("slot__activity__venue__name"),
        "ve": F("slot__activity__venue__name_en"),
    }
    roles = _role_rows(area, period, group)
    seats = _assignment_rows(area, period, group)
    en = _is_english()
    names = {r["v"]: (r["ve"] if en and r["ve"] else r["vn"]) for r in [*roles, *seats]}
    merged = _merge(roles, seats, "v")
    return _activity_table(
        "activities_by_venue",
        _("Activities by venue"),
        Column("venue", _("Venue"), "text"),
        merged,
        names,
    )


def streets_compared(area: Area, period: Period) -> Table | None:
    """A district's streets side by side: sessions, hours, places left empty, disputes."""
    if area.level != Area.Level.DISTRICT:
        return None
    group = {"s": _street_of("slot__activity__venue__area")}
    merged = _merge(_role_rows(area, period, group), _assignment_rows(area, period, group), "s")
    disputes = dict(
        Dispute.objects.filter(
            _venue_area_q(area, "area"),
            created_at__gte=period.start_at,
            created_at__lt=period.end_at,
        )
        .values_list(_street_of("area"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    streets = list(
        Area.objects.filter(parent=area, level=Area.Level.STREET)
        .order_by("name")
        .values("pk", "name", "name_en")
    )
    en = _is_english()
    rows = []
    for s in streets:
        m = merged.get(s["pk"], {})
        rows.append(
            {
                "street": (s["name_en"] if en and s["name_en"] else s["name"]),
                "slots": m.get("slots", 0),
                "hours": m.get("hours", 0.0),
                "empty_share": m.get("empty_share"),
                "disputes": disputes.get(s["pk"], 0),
            }
        )
    return Table(
        key="streets",
        title=_("The district's streets compared"),
        columns=[
            Column("street", _("Street"), "text"),
            Column("slots", _("Sessions held"), "count"),
            Column("hours", _("Hours served"), "hours"),
            Column("empty_share", _("Share left empty (%)"), "percent"),
            Column("disputes", _("Disputes received"), "count"),
        ],
        rows=rows,
    )


def _is_english() -> bool:
    return (get_language() or "").startswith("en")


# --- Volunteers ----------------------------------------------------------------------------


def volunteers_figures(area: Area, period: Period) -> tuple[Table, Table, dict]:
    served = Assignment.objects.filter(
        _slots_q(area, period, "slot"), status=Assignment.Status.ATTENDED
    )
    totals = served.aggregate(
        active=Count("volunteer", distinct=True),
        new=Count(
            "volunteer",
            distinct=True,
            filter=Q(
                volunteer__created_at__gte=period.start_at,
                volunteer__created_at__lt=period.end_at,
            ),
        ),
        duration=Sum(SLOT_DURATION),
    )
    per_volunteer = (
        served.values("volunteer")
        .annotate(d=Sum(SLOT_DURATION))
        .order_by("d")
        .values_list("d", flat=True)
    )
    n = totals["active"]
    middle = list(per_volunteer[(n - 1) // 2 : n // 2 + 1]) if n else []
    median = _hours(sum(middle, timedelta()) / len(middle)) if middle else None
    top = _hours(per_volunteer.order_by("-d").first()) if n else None

    en = _is_english()
    teams = list(
        served.filter(volunteer__memberships__isnull=False)
        .values(
            "volunteer__memberships__team_id",
            "volunteer__memberships__team__name",
            "volunteer__memberships__team__name_en",
            "volunteer__memberships__team__kind",
        )
        .annotate(
            active=Count("volunteer", distinct=True),
            new=Count(
                "volunteer",
                distinct=True,
                filter=Q(
                    volunteer__created_at__gte=period.start_at,
                    volunteer__created_at__lt=period.end_at,
                ),
            ),
            duration=Sum(SLOT_DURATION),
        )
        .order_by("-active", "volunteer__memberships__team__name")
    )
    team_kinds = dict(Team.Kind.choices)
    by_team = Table(
        key="volunteers_by_team",
        title=_("Volunteers by team"),
        columns=[
            Column("team", _("Team"), "text"),
            Column("kind", _("Kind of team"), "text"),
            Column("active", _("Active volunteers"), "count"),
            Column("new", _("New volunteers"), "count"),
            Column("hours", _("Hours served"), "hours"),
        ],
        rows=[
            {
                "team": (
                    t["volunteer__memberships__team__name_en"]
                    if en and t["volunteer__memberships__team__name_en"]
                    else t["volunteer__memberships__team__name"]
                ),
                "kind": str(team_kinds.get(t["volunteer__memberships__team__kind"], "")),
                "active": t["active"],
                "new": t["new"],
                "hours": _hours(t["duration"]),
            }
            for t in teams
        ],
    )
    skills = list(
        served.values("role__skill__name", "role__skill__name_en")
        .annotate(
            seats=Count("pk"), people=Count("volunteer", distinct=True), duration=Sum(SLOT_DURATION)
        )
        .order_by("-duration", "role__skill__name")[:10]
    )
    by_skill = Table(
        key="top_skills",
        title=_("The most served skills"),
        columns=[
            Column("skill", _("Skill"), "text"),
            Column("seats", _("Places served"), "count"),
            Column("people", _("Volunteers"), "count"),
            Column("hours", _("Hours served"), "hours"),
        ],
        rows=[
            {
                "skill": (
                    (
                        s["role__skill__name_en"]
                        if en and s["role__skill__name_en"]
                        else s["role__skill__name"]
                    )
                    or _("Anyone (no skill asked)")
                ),
                "seats": s["seats"],
                "people": s["people"],
                "hours": _hours(s["duration"]),
            }
            for s in skills
        ],
    )
    figures = {
        "volunteers_active": n,
        "volunteers_new": totals["new"],
        "hours_served": _hours(totals["duration"]),
        "hours_per_volunteer_median": median,
        "hours_per_volunteer_top": top,
    }
    return by_team, by_skill, figures


# --- Disputes ------------------------------------------------------------------------------


def disputes_figures(area: Area, period: Period) -> tuple[list[Table], dict]:
    in_area = Dispute.objects.filter(_venue_area_q(area, "area"))
    received_q = Q(created_at__gte=period.start_at, created_at__lt=period.end_at)
    resolved_q = Q(resolved_at__gte=period.start_at, resolved_at__lt=period.end_at)
    closed_q = Q(closed_at__gte=period.start_at, closed_at__lt=period.end_at)
    totals = in_area.aggregate(
        received=Count("pk", filter=received_q),
        letters_and_visits=Count("pk", filter=received_q & Q(source__in=LETTERS_AND_VISITS)),
        accepted=Count("pk", filter=received_q & Q(assessed_at__isnull=False)),
        resolved=Count("pk", filter=resolved_q),
        family_resolved=Count("pk", filter=resolved_q & Q(kind=Dispute.Kind.FAMILY)),
        closed=Count("pk", filter=closed_q),
        referred=Count("pk", filter=received_q & Q(status=Dispute.Status.REFERRED)),
        open=Count("pk", filter=received_q & Q(status__in=Dispute.OPEN)),
    )
    kinds = dict(Dispute.Kind.choices)
    sources = dict(Dispute.Source.choices)
    by_source_kind = list(
        in_area.filter(received_q)
        .values("source", "kind")
        .annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=Q(assessed_at__isnull=False)),
            resolved=Count(
                "pk", filter=Q(resolved_at__isnull=False, resolved_at__lt=period.end_at)
            ),
            referred=Count("pk", filter=Q(status=Dispute.Status.REFERRED)),
            open=Count("pk", filter=Q(status__in=Dispute.OPEN)),
        )
        .order_by("source", "kind")
    )
    received = Table(
        key="disputes_received",
        title=_("Disputes received, by source and kind"),
        columns=[
            Column("source", _("Source"), "text"),
            Column("kind", _("Kind"), "text"),
            Column("received", _("Received"), "count"),
            Column("accepted", _("Accepted"), "count"),
            Column("resolved", _("Resolved"), "count"),
            Column("referred", _("Referred"), "count"),
            Column("open", _("Still open"), "count"),
        ],
        rows=[
            {
                **r,
                "source": str(sources.get(r["source"], r["source"])),
                "kind": str(kinds.get(r["kind"], r["kind"])),
            }
            for r in by_source_kind
        ],
        note=_("Counts only: no name, place or detail of any case."),
    )
    levels = dict(Dispute.Level.choices)
    by_level = Table(
        key="disputes_by_level",
        title=_("Disputes by level of intervention"),
        columns=[Column("level", _("Level"), "text"), Column("received", _("Received"), "count")],
        rows=[
            {"level": str(levels.get(r["level"], r["level"])), "received": r["n"]}
            for r in in_area.filter(received_q)
            .values("level")
            .annotate(n=Count("pk"))
            .order_by("level")
        ],
    )
    steps = dict(Visit.Step.choices)
    visits_qs = Visit.objects.filter(
        _venue_area_q(area, "dispute__area"),
        visited_on__gte=period.start,
        visited_on__lte=period.end,
    )
    visit_totals = visits_qs.aggregate(
        visits=Count("pk"), households=Count("dispute", distinct=True)
    )
    by_step = Table(
        key="visits_by_step",
        title=_("Home visits by step"),
        columns=[
            Column("step", _("Step"), "text"),
            Column("visits", _("Visits"), "count"),
            Column("households", _("Households"), "count"),
        ],
        rows=[
            {
                "step": str(steps.get(r["step"], r["step"])),
                "visits": r["visits"],
                "households": r["households"],
            }
            for r in visits_qs.values("step")
            .annotate(visits=Count("pk"), households=Count("dispute", distinct=True))
            .order_by("step")
        ],
    )
    days = (
        in_area.filter(resolved_q)
        .annotate(
            d=ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
        )
        .order_by("d")
        .values_list("d", flat=True)
    )
    n = totals["resolved"]
    middle = list(days[(n - 1) // 2 : n // 2 + 1]) if n else []
    median_days = (
        round((sum(middle, timedelta()) / len(middle)).total_seconds() / 86400, 1)
        if middle
        else None
    )
    figures = {
        "disputes_received": totals["received"],
        "letters_and_visits": totals["letters_and_visits"],
        "disputes_accepted": totals["accepted"],
        "disputes_resolved": totals["resolved"],
        "family_disputes_resolved": totals["family_resolved"],
        "disputes_closed": totals["closed"],
        "disputes_referred": totals["referred"],
        "disputes_open": totals["open"],
        "households_visited": visit_totals["households"],
        "visits": visit_totals["visits"],
        "median_days_to_resolution": median_days,
    }
    return [received, by_level, by_step], figures


# --- Notifications -------------------------------------------------------------------------


def notifications_figures(area: Area, period: Period) -> tuple[Table, dict]:
    """Texts to people whose home area is in the area (at the district, also to those placed
    nowhere yet: they are the district's to look after)."""
    home = _venue_area_q(area, "user__volunteer__home_area")
    if area.level == Area.Level.DISTRICT:
        home |= Q(user__volunteer__home_area__isnull=True)
    sent_q = Q(created_at__gte=period.start_at, created_at__lt=period.end_at)
    totals = Message.objects.filter(home, sent_q).aggregate(
        sent=Count(
            "pk",
            filter=Q(
                status__in=(
                    Message.Status.SENT,
                    Message.Status.DELIVERED,
                    Message.Status.UNDELIVERED,
                )
            ),
        ),
        delivered=Count("pk", filter=Q(status=Message.Status.DELIVERED)),
        failed=Count(
            "pk", filter=Q(status__in=(Message.Status.FAILED, Message.Status.UNDELIVERED))
        ),
        suppressed=Count("pk", filter=Q(status=Message.Status.SUPPRESSED)),
    )
    people = VolunteerProfile.objects.filter(phone=OuterRef("phone")).filter(
        _venue_area_q(area, "home_area")
        | (Q(home_area__isnull=True) if area.level == Area.Level.DISTRICT else Q(pk__in=[]))
    )
    opt_outs = OptOut.objects.filter(
        Exists(people), created_at__gte=period.start_at, created_at__lt=period.end_at
    ).count()
    invites = Assignment.objects.filter(
        _slots_q(area, period, "slot"), invited_at__isnull=False
    ).count()
    figures = {
        "sms_sent": totals["sent"],
        "sms_delivered": totals["delivered"],
        "sms_failed": totals["failed"],
        "sms_withheld": totals["suppressed"],
        "sms_opt_outs": opt_outs,
        "calendar_invitations": invites,
        # Feeds are fetched by calendar apps with a secret link; no subscription is recorded.
        "calendar_subscriptions": None,
    }
    table = Table(
        key="notifications",
        title=_("Text messages and calendars"),
        columns=[Column("figure", _("Figure"), "text"), Column("value", _("Number"), "count")],
        rows=[
            {"figure": _("Texts sent"), "value": figures["sms_sent"]},
            {"figure": _("Texts delivered"), "value": figures["sms_delivered"]},
            {"figure": _("Texts failed"), "value": figures["sms_failed"]},
            {
                "figure": _("Texts withheld (opted out, quiet hours, no number)"),
                "value": figures["sms_withheld"],
            },
            {"figure": _("Numbers that opted out (STOP)"), "value": figures["sms_opt_outs"]},
            {"figure": _("Calendar invitations emailed"), "value": figures["calendar_invitations"]},
            {"figure": _("Calendar subscriptions"), "value": None, "unknown": True},
        ],
        note=_(
            "Calendar subscriptions are not known: calendar apps read the feeds by a secret "
            "link and the site does not record who subscribed."
        ),
    )
    return table, figures


# --- Trends --------------------------------------------------------------------------------


def monthly_trends(area: Area, period: Period) -> Table:
    zone = district_zone()
    slots = dict(
        Slot.objects.filter(_slots_q(area, period))
        .annotate(m=TruncMonth("starts_at", tzinfo=zone))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hours = dict(
        Assignment.objects.filter(_slots_q(area, period, "slot"), status=Assignment.Status.ATTENDED)
        .annotate(m=TruncMonth("slot__starts_at", tzinfo=zone))
        .values_list("m")
        .annotate(d=Sum(SLOT_DURATION))
        .order_by()
    )
    disputes = dict(
        Dispute.objects.filter(
            _venue_area_q(area, "area"),
            created_at__gte=period.start_at,
            created_at__lt=period.end_at,
        )
        .annotate(m=TruncMonth("created_at", tzinfo=zone))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )

    def by_month(values: dict) -> dict[date, object]:
        return {(m.date() if hasattr(m, "date") else m): v for m, v in values.items()}

    slots, hours, disputes = by_month(slots), by_month(hours), by_month(disputes)
    return Table(
        key="monthly",
        title=_("Month by month"),
        columns=[
            Column("month", _("Month"), "text"),
            Column("slots", _("Sessions held"), "count"),
            Column("hours", _("Hours served"), "hours"),
            Column("disputes", _("Disputes received"), "count"),
        ],
        rows=[
            {
                "month": m.strftime("%Y-%m"),
                "slots": slots.get(m, 0),
                "hours": _hours(hours.get(m)),
                "disputes": disputes.get(m, 0),
            }
            for m in period.months()
        ],
    )


# --- The report ----------------------------------------------------------------------------


def report_build(*, area: Area, period: Period) -> Report:
    """Every table and headline figure of ``area`` (rolled up) over ``period``."""
    below = settings.REPORTS_MIN_COUNT if area.level == Area.Level.COMMUNITY else None
    report = Report(area=area, period=period, suppressed_below=below)
    by_kind, by_heading, merged = activities_by_kind(area, period)
    tables = [by_heading, by_kind, activities_by_venue(area, period)]
    by_team, by_skill, volunteer_figures = volunteers_figures(area, period)
    tables += [by_team, by_skill]
    dispute_tables, dispute_figures = disputes_figures(area, period)
    tables += dispute_tables
    sms_table, sms_figures = notifications_figures(area, period)
    tables.append(sms_table)
    tables.append(monthly_trends(area, period))
    streets = streets_compared(area, period)
    if streets is not None:
        tables.append(streets)
    sessions = sum(v["slots"] for v in merged.values())
    seats = sum(v["seats"] for v in merged.values())
    staffed = sum(v["staffed"] for v in merged.values())
    report.figures = {
        "sessions_held": sessions,
        "seats": seats,
        "seats_staffed": staffed,
        "seats_empty_share": _share(seats - staffed, seats),
        "no_shows": sum(v["no_shows"] for v in merged.values()),
        "late_cancellations": sum(v["late"] for v in merged.values()),
        "rights_events": merged.get("rights", {}).get("slots", 0),
        "lecture_sessions": merged.get("lecture", {}).get("slots", 0),
        "class_sessions": merged.get("class", {}).get("slots", 0),
        **volunteer_figures,
        **dispute_figures,
        **sms_figures,
    }
    if below:
        for table in tables:
            suppress(table, below=below)
        for key, value in report.figures.items():
            if isinstance(value, int) and not isinstance(value, bool):
                report.figures[key] = suppress_value(value, below=below)
        if dispute_figures["disputes_resolved"] and dispute_figures["disputes_resolved"] < below:
            report.figures["median_days_to_resolution"] = None
    report.tables = {t.key: t for t in tables}
    return report
