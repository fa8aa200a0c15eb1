"""Volunteers who served: how many, how many new, by team, hours, the skills most served."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from activities.models import Assignment
from volunteers.models import Team

from ..periods import Period
from ..tables import Column, Table
from .common import SLOT_DURATION, bilingual, slots_q
from .common import hours as _hours


def volunteers_figures(area, period: Period) -> tuple[Table, Table, dict]:
    served = Assignment.objects.filter(
        slots_q(area, period, "slot"), status=Assignment.Status.ATTENDED
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
    )
    per_volunteer = (
        served.values("volunteer")
        .annotate(d=Sum(SLOT_DURATION))
        .order_by("d")
        .values_list("d", flat=True)
    )
    n = totals["active"]
    middle = list(per_volunteer[(n - 1) // 2 : n // 2 + 1]) if n else []
    median = _hours(sum(middle) / len(middle)) if middle else None
    top = _hours(per_volunteer.order_by("-d").first()) if n else None

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
                "team": bilingual(
                    t["volunteer__memberships__team__name"],
                    t["volunteer__memberships__team__name_en"],
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
                "skill": bilingual(s["role__skill__name"] or "", s["role__skill__name_en"])
                or _("Anyone (no skill asked)"),
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
        "hours_per_volunteer_median": median,
        "hours_per_volunteer_top": top,
    }
    return by_team, by_skill, figures
