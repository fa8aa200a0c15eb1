"""Disputes, counts only: received by source and kind, accepted, resolved, referred, open; by
level of intervention; home visits by step (the report's 入户走访); median days to settle.

No name, place, text or reference of any case is read here.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from mediation.models import Dispute, Visit

from ..periods import Period
from ..tables import Column, Table
from .common import Seconds, in_area_q

LETTERS_AND_VISITS = (Dispute.Source.LETTER, Dispute.Source.WALK_IN)


def disputes_figures(area, period: Period) -> tuple[list[Table], dict]:
    in_area = Dispute.objects.filter(in_area_q(area, "area"))
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
        in_area_q(area, "dispute__area"),
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
        .annotate(d=Seconds(F("resolved_at"), F("created_at")))
        .order_by("d")
        .values_list("d", flat=True)
    )
    n = totals["resolved"]
    middle = list(days[(n - 1) // 2 : n // 2 + 1]) if n else []
    median_days = round(sum(middle) / len(middle) / 86400, 1) if middle else None
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
