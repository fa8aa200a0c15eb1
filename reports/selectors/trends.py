"""Month by month (sessions, hours, disputes) and a district's streets side by side."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from mediation.models import Dispute
from venues.models import Area

from ..periods import Period
from ..tables import Column, Table
from .activities import roll_up
from .common import bilingual, hours, in_area_q, month_filters, street_of


def monthly_trends(area: Area, period: Period, total: dict) -> Table:
    """Sessions and hours per month from the activity figures (``total``, all of them added
    up), disputes per month from one aggregate with a column per month."""
    months = month_filters(period, "created_at")
    disputes = Dispute.objects.filter(
        in_area_q(area, "area"), created_at__gte=period.start_at, created_at__lt=period.end_at
    ).aggregate(**{m: Count("pk", filter=q) for m, q in months.items()})
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
                "month": f"{m[1:5]}-{m[6:8]}",
                "slots": total.get(f"{m}_slots", 0),
                "hours": hours(total.get(f"{m}_duration")),
                "disputes": disputes[m],
            }
            for m in months
        ],
    )


def streets_compared(area: Area, period: Period, facts: dict, venues: dict) -> Table | None:
    """A district's streets side by side: sessions, hours, places left empty, disputes."""
    if area.level != Area.Level.DISTRICT:
        return None
    by_street = roll_up(facts, lambda g: venues.get(g[1], {}).get("street"))
    disputes = dict(
        Dispute.objects.filter(
            in_area_q(area, "area"),
            created_at__gte=period.start_at,
            created_at__lt=period.end_at,
        )
        .values_list(street_of("area"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    streets = Area.objects.filter(parent=area, level=Area.Level.STREET).order_by("name")
    rows = []
    for s in streets.values("pk", "name", "name_en"):
        m = by_street.get(s["pk"], {})
        rows.append(
            {
                "street": bilingual(s["name"], s["name_en"]),
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
