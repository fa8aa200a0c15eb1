"""The figures of one area over one period, each table from grouped database aggregates.

An area rolls up everything under it (a district its streets and communities). Activities and
hours belong to the area of the venue; disputes to the dispute's area; texts and opt-outs to the
recipient's home area. Period edges are local midnights of the district (``periods.Period``).

No query loops over data rows in Python: the number of queries is the same for a week of a
community and for a year of the district. Aggregated rows (at most kinds × venues) are added
up into the kind, heading, venue and street tables.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import NotFound
from venues.models import Area
from venues.selectors import is_coordinator

from ..periods import Period, period_parse
from ..tables import suppress, suppress_value
from .activities import HEADINGS, activity_facts, activity_tables, roll_up, venues_named
from .common import Report, share
from .disputes import disputes_figures
from .notifications import notifications_figures
from .scope import report_area_default, report_area_get, report_areas
from .trends import monthly_trends, streets_compared
from .volunteers import volunteers_figures

__all__ = [
    "HEADINGS",
    "Report",
    "report_areas",
    "report_build",
    "report_for",
]


def report_for(*, user, area_id=None, start: str | None = None, end: str | None = None) -> Report:
    """The report pages and the API answer with: only coordinators (and admins) of the area;
    anyone else finds nothing (404). Bad dates are refused naming the field (400)."""
    if not is_coordinator(user):
        raise NotFound(_("Not found."))
    if area_id in (None, ""):
        area = report_area_default(user=user)
    else:
        area = report_area_get(user=user, area_id=area_id)
    return report_build(area=area, period=period_parse(start=start, end=end))


def report_build(*, area: Area, period: Period) -> Report:
    """Every table and headline figure of ``area`` (rolled up) over ``period``."""
    below = settings.REPORTS_MIN_COUNT if area.level == Area.Level.COMMUNITY else None
    report = Report(area=area, period=period, suppressed_below=below)
    facts = activity_facts(area, period)
    venues = venues_named(facts)
    tables = activity_tables(facts, venues)
    by_team, by_skill, volunteer_figures = volunteers_figures(area, period)
    tables |= {t.key: t for t in (by_team, by_skill)}
    dispute_tables, dispute_figures = disputes_figures(area, period)
    tables |= {t.key: t for t in dispute_tables}
    total = roll_up(facts, lambda g: "all").get("all", {})
    by_kind = roll_up(facts, lambda g: g[0])
    sms_table, sms_figures = notifications_figures(area, period, invites=total.get("invites", 0))
    tables[sms_table.key] = sms_table
    tables["monthly"] = monthly_trends(area, period, total)
    streets = streets_compared(area, period, facts, venues)
    if streets is not None:
        tables["streets"] = streets
    seats, staffed = total.get("seats", 0), total.get("staffed", 0)
    report.figures = {
        "sessions_held": total.get("slots", 0),
        "seats": seats,
        "seats_staffed": staffed,
        "seats_empty_share": share(seats - staffed, seats),
        "no_shows": total.get("no_shows", 0),
        "late_cancellations": total.get("late", 0),
        "rights_events": by_kind.get("rights", {}).get("slots", 0),
        "lecture_sessions": by_kind.get("lecture", {}).get("slots", 0),
        "class_sessions": by_kind.get("class", {}).get("slots", 0),
        "hours_served": total.get("hours", 0.0),
        **volunteer_figures,
        **dispute_figures,
        **sms_figures,
    }
    if below:
        for table in tables.values():
            suppress(table, below=below)
        for key, value in report.figures.items():
            if isinstance(value, int) and not isinstance(value, bool):
                report.figures[key] = suppress_value(value, below=below)
        if 0 < dispute_figures["disputes_resolved"] < below:
            report.figures["median_days_to_resolution"] = None
    order = [
        "activities_by_heading",
        "activities_by_kind",
        "activities_by_venue",
        "volunteers_by_team",
        "top_skills",
        "disputes_received",
        "disputes_by_level",
        "visits_by_step",
        "notifications",
        "monthly",
        "streets",
    ]
    report.tables = {key: tables[key] for key in order if key in tables}
    return report
