"""What the report's selectors share: the report itself, the area and period filters, units.

Every filter on activities goes through the activity ids of the area (a subquery the database
runs once), so that the large tables (slots, roles, assignments) are scanned by their own
indexes without joining the venue and area tree row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import get_language

from activities.models import Activity, Slot
from venues.models import Area
from venues.selectors import area_subtree_q

from ..periods import Period, district_zone
from ..tables import Table


@dataclass
class Report:
    area: Area
    period: Period
    # Counts below this are hidden (None) — set only for areas smaller than a street.
    suppressed_below: int | None
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, object] = field(default_factory=dict)


class Seconds(Func):
    """Seconds from ``start`` to ``end``, worked out by the database itself. (Django's own
    subtraction of two datetimes calls back into Python for every row on SQLite.)"""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        extra.setdefault("template", "EXTRACT(EPOCH FROM (%(expressions)s))")
        extra.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra)


# How long a slot lasts, for an assignment's slot.
SLOT_DURATION = Seconds(F("slot__ends_at"), F("slot__starts_at"))


def hours(seconds: float | None) -> float:
    if not seconds:
        return 0.0
    return round(seconds / 3600, 1)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def bilingual(name: str, name_en: str | None) -> str:
    return name_en if is_english() and name_en else name


def areas_under(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(area_subtree_q([area.pk]))


def in_area_q(area: Area, prefix: str) -> Q:
    """``prefix`` (a foreign key to Area) is the area or lies under it."""
    return Q(**{f"{prefix}__in": areas_under(area)})


def activities_in(area: Area) -> QuerySet[Activity]:
    """Activities at the area's venues that were not cancelled as a whole."""
    return (
        Activity.objects.filter(in_area_q(area, "venue__area"))
        .exclude(status=Activity.Status.CANCELLED)
        .values("pk")
    )


def slots_q(area: Area, period: Period, prefix: str = "") -> Q:
    """Slots held in the area in the period (cancelled slots and activities are not held)."""
    p = f"{prefix}__" if prefix else ""
    return Q(
        **{
            f"{p}activity_id__in": activities_in(area),
            f"{p}starts_at__gte": period.start_at,
            f"{p}starts_at__lt": period.end_at,
            f"{p}status": Slot.Status.SCHEDULED,
        }
    )


def street_of(prefix: str):
    """The street an area lies in (itself for a street), for comparing a district's streets."""
    return Case(
        When(**{f"{prefix}__level": Area.Level.STREET}, then=F(f"{prefix}_id")),
        When(**{f"{prefix}__level": Area.Level.COMMUNITY}, then=F(f"{prefix}__parent_id")),
        default=Value(None),
        output_field=IntegerField(),
    )


def month_filters(period: Period, field: str) -> dict[str, Q]:
    """One filter per month the period touches, with local-midnight edges, for conditional
    aggregates: the database sorts rows into months in one pass, without a per-row function."""
    months = period.months()
    zone = district_zone()
    edges = [datetime.combine(m, time.min, tzinfo=zone) for m in months[1:]] + [period.end_at]
    out = {}
    low = period.start_at
    for month, high in zip(months, edges, strict=True):
        out[month.strftime("m%Y_%m")] = Q(**{f"{field}__gte": low, f"{field}__lt": high})
        low = high
    return out
