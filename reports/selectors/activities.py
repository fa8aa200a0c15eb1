"""Activities held: by kind, by venue, under the year-end report's headings, by street.

Three grouped aggregates give every figure, each grouped by (kind, venue): one over the slots
(sessions, activities, sessions per month), one over their roles (places needed, sessions
fully staffed), one over the assignments (places staffed, no-shows, late cancellations, hours,
calendar invitations, hours per month). The kind, venue, heading and
street tables add those few aggregated rows up.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, Assignment, Slot, SlotRole
from venues.models import Venue

from ..periods import Period
from ..tables import Column, Table
from .common import SLOT_DURATION, bilingual, hours, month_filters, share, slots_q, street_of

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

COLUMNS = [
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
# Added up across groups (the share is worked out again from the sums).
ADDITIVE = ["slots", "activities", "seats", "staffed", "full_slots", "no_shows", "late", "invites"]


def _zero() -> dict:
    return {key: 0 for key in ADDITIVE} | {"duration": None}


def activity_facts(area, period: Period) -> dict[tuple[str, int], dict]:
    """``{(kind, venue id): figures}`` for the slots held in the area in the period, with the
    sessions (``<month>_slots``) and time served (``<month>_duration``) of every month."""
    months = month_filters(period, "slot__starts_at")
    attended = Q(status=Assignment.Status.ATTENDED)
    group = {"k": F("slot__activity__kind"), "v": F("slot__activity__venue_id")}
    filled = (
        Assignment.objects.filter(role=OuterRef("pk"), status__in=Assignment.SEATED)
        .values("role")
        .annotate(n=Count("pk"))
        .values("n")
    )
    slots = (
        Slot.objects.filter(slots_q(area, period))
        .values(k=F("activity__kind"), v=F("activity__venue_id"))
        .annotate(
            slots=Count("pk"),
            activities=Count("activity", distinct=True),
            **{
                f"{m}_slots": Count("pk", filter=q)
                for m, q in month_filters(period, "starts_at").items()
            },
        )
        .order_by()
    )
    # A role is never filled beyond its need (activities.services.signup counts seats under a
    # row lock), so the places staffed are the seats held; a session is fully staffed when
    # none of its roles has fewer seats held than it needs.
    roles = (
        SlotRole.objects.filter(slots_q(area, period, "slot"))
        .values(**group)
        .annotate(
            seats=Sum("needed"),
            short=Count(
                "slot",
                distinct=True,
                filter=Q(needed__gt=Coalesce(Subquery(filled, output_field=IntegerField()), 0)),
            ),
        )
        .order_by()
    )
    seats = (
        Assignment.objects.filter(slots_q(area, period, "slot"))
        .values(**group)
        .annotate(
            staffed=Count("pk", filter=Q(status__in=Assignment.SEATED)),
            no_shows=Count("pk", filter=Q(status=Assignment.Status.NO_SHOW)),
            late=Count("pk", filter=Q(status=Assignment.Status.CANCELLED, cancelled_late=True)),
            invites=Count("pk", filter=Q(invited_at__isnull=False)),
            duration=Sum(SLOT_DURATION, filter=attended),
            **{f"{m}_duration": Sum(SLOT_DURATION, filter=attended & q) for m, q in months.items()},
        )
        .order_by()
    )
    facts: dict[tuple[str, int], dict] = {}
    for r in slots:
        facts[(r["k"], r["v"])] = _zero() | {
            "slots": r["slots"],
            "activities": r["activities"],
            **{f"{m}_slots": r[f"{m}_slots"] for m in months},
        }
    for r in roles:
        row = facts.get((r["k"], r["v"])) or facts.setdefault((r["k"], r["v"]), _zero())
        row.update(seats=r["seats"] or 0, full_slots=row["slots"] - r["short"])
    for r in seats:
        row = facts.get((r["k"], r["v"])) or facts.setdefault((r["k"], r["v"]), _zero())
        row.update(
            staffed=r["staffed"],
            no_shows=r["no_shows"],
            late=r["late"],
            invites=r["invites"],
            duration=r["duration"],
        )
        row.update({f"{m}_duration": r[f"{m}_duration"] for m in months})
    return facts


def roll_up(facts: dict, key: Callable[[tuple[str, int]], object]) -> dict[object, dict]:
    """Add the (kind, venue) figures up by ``key``; the empty share from the sums."""
    out: dict[object, dict] = {}
    for group, row in facts.items():
        total = out.setdefault(key(group), {})
        for k, value in row.items():
            if value is not None:
                total[k] = value if total.get(k) is None else total[k] + value
    for total in out.values():
        for k in ADDITIVE:
            total.setdefault(k, 0)
        total["hours"] = hours(total.get("duration"))
        total["empty_share"] = share(total["seats"] - total["staffed"], total["seats"])
    return out


def _table(key: str, title, first: Column, rolled: dict, labels: dict) -> Table:
    columns = [first] + [Column(k, label, kind) for k, label, kind in COLUMNS]
    rows = [
        {first.key: str(labels.get(k, k)), **{c.key: v[c.key] for c in columns[1:]}}
        for k, v in sorted(rolled.items(), key=lambda kv: (-kv[1]["slots"], str(kv[0])))
    ]
    return Table(key=key, title=title, columns=columns, rows=rows)


def venues_named(facts: dict) -> dict[int, dict]:
    """Name and street of each venue that appears in the figures (one small query)."""
    ids = {venue for _kind, venue in facts}
    return {
        v["pk"]: v
        for v in Venue.objects.filter(pk__in=ids).values(
            "pk", "name", "name_en", street=street_of("area")
        )
    }


def activity_tables(facts: dict, venues: dict[int, dict]) -> dict[str, Table]:
    by_kind = roll_up(facts, lambda g: g[0])
    heading_of = {kind: key for key, _label, kinds in HEADINGS for kind in kinds}
    by_heading = roll_up(facts, lambda g: heading_of.get(g[0], g[0]))
    by_venue = roll_up(facts, lambda g: g[1])
    names = {pk: bilingual(v["name"], v["name_en"]) for pk, v in venues.items()}
    return {
        "activities_by_heading": _table(
            "activities_by_heading",
            _("Activities under the year-end report's headings"),
            Column("heading", _("Heading"), "text"),
            by_heading,
            {k: label for k, label, _m in HEADINGS},
        ),
        "activities_by_kind": _table(
            "activities_by_kind",
            _("Activities by kind"),
            Column("kind", _("Kind"), "text"),
            by_kind,
            dict(Activity.Kind.choices),
        ),
        "activities_by_venue": _table(
            "activities_by_venue",
            _("Activities by venue"),
            Column("venue", _("Venue"), "text"),
            by_venue,
            names,
        ),
    }
