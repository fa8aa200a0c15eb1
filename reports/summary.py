"""The figures written as the year-end report writes them, in Chinese and in English.

Each sentence is a translated string with named figures, so the Chinese reads like the
report ("全年入户走访 1,234 户，受理来访来信 56 件…") whatever language the page is shown in.
A figure hidden for a small area reads "fewer than 5"; one the product cannot know is named
in a closing sentence instead of being given a number.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from .display import number
from .periods import today_local
from .selectors import Report

LANGUAGES = (("zh-hans", "中文"), ("en", "English"))


def _when(report: Report) -> str:
    period = report.period
    if period.is_whole_year:
        return _("In %(year)s") % {"year": period.start.year}
    if (period.start.month, period.start.day) == (1, 1) and period.end == today_local():
        return _("This year up to %(end)s") % {"end": period.end.isoformat()}
    return _("From %(start)s to %(end)s") % {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _sentences(report: Report) -> list[str]:
    f = report.figures
    below = report.suppressed_below

    def n(key: str) -> str:
        return number(f.get(key), below=below)

    area = report.area.display_name
    rights = _(
        "%(when)s, %(area)s: households visited %(households)s (home visits %(visits)s); "
        "letters and visits received %(letters)s; disputes received %(received)s, accepted "
        "%(accepted)s, closed %(closed)s; marital and family disputes settled %(family)s; "
        "rights-protection events held %(rights)s."
    ) % {
        "when": _when(report),
        "area": area,
        "households": n("households_visited"),
        "visits": n("visits"),
        "letters": n("letters_and_visits"),
        "received": n("disputes_received"),
        "accepted": n("disputes_accepted"),
        "closed": n("disputes_closed"),
        "family": n("family_disputes_resolved"),
        "rights": n("rights_events"),
    }
    referred = _(
        "Cases referred to the police, justice bureau or courts: %(referred)s; still being "
        "worked on: %(open)s; median days to settle a case: %(days)s."
    ) % {
        "referred": n("disputes_referred"),
        "open": n("disputes_open"),
        "days": number(f.get("median_days_to_resolution"), kind="days"),
    }
    volunteers = _(
        "Women volunteers: %(active)s served %(hours)s hours (new this period: %(new)s; "
        "median hours per volunteer: %(median)s); sessions held: %(sessions)s, of which "
        "classes %(classes)s and lectures and talks %(lectures)s; volunteer places left "
        "empty: %(empty)s."
    ) % {
        "active": n("volunteers_active"),
        "hours": number(f.get("hours_served")),
        "new": n("volunteers_new"),
        "median": number(f.get("hours_per_volunteer_median")),
        "sessions": n("sessions_held"),
        "classes": n("class_sessions"),
        "lectures": n("lecture_sessions"),
        "empty": number(f.get("seats_empty_share"), kind="percent"),
    }
    unknown = _(
        "Not recorded on this platform, to be counted elsewhere: aid cases accepted, "
        "hardship and “four cancers” grants, Spring Bud scholarships, micro-loans, "
        "and calendar subscriptions."
    )
    return [rights, referred, volunteers, unknown]


def summary_texts(report: Report) -> list[dict]:
    """``[{language, label, sentences}]``: the same figures in each language."""
    out = []
    for code, label in LANGUAGES:
        with translation.override(code):
            out.append({"language": code, "label": label, "sentences": _sentences(report)})
    return out
