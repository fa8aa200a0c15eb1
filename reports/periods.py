"""The period a report covers: whole local days of the district, first and last included.

Edges are taken at local midnight in the district's time zone (``settings.TIME_ZONE``), so a
shift at 00:30 on 1 January in Shanghai (16:30 UTC the day before) belongs to January.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ValidationFailed

# Longest period a report may cover: enough for several years side by side, not a scan of all time.
MAX_DAYS = 366 * 5


def district_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def start_at(self) -> datetime:
        """Local midnight at the start of the first day."""
        return datetime.combine(self.start, time.min, tzinfo=district_zone())

    @property
    def end_at(self) -> datetime:
        """Local midnight after the last day (excluded)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=district_zone())

    @property
    def is_whole_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        first = self.start.replace(day=1)
        out = []
        while first <= self.end:
            out.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return out


def today_local() -> date:
    return timezone.localtime(timezone.now(), district_zone()).date()


def period_default() -> Period:
    """This year so far."""
    today = today_local()
    return Period(start=today.replace(month=1, day=1), end=today)


def _date(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed(
            {field: [_("Enter a date as YYYY-MM-DD, for example 2026-01-31.")]}
        ) from None


def period_parse(*, start: str | None, end: str | None) -> Period:
    """A period from the query string; a missing edge falls back to this year so far."""
    default = period_default()
    start_date = _date(start, "start") if start else default.start
    if end:
        end_date = _date(end, "end")
    elif start and start_date.year != default.end.year:
        end_date = start_date.replace(month=12, day=31)  # the rest of that year
    elif start:
        end_date = max(start_date, default.end)  # up to today
    else:
        end_date = default.end
    if end_date < start_date:
        raise ValidationFailed({"end": [_("The last day must not be before the first.")]})
    if (end_date - start_date).days >= MAX_DAYS:
        raise ValidationFailed({"end": [_("A report covers at most five years.")]})
    return Period(start=start_date, end=end_date)


def period_presets(*, today: date | None = None) -> list[tuple[str, Period]]:
    """This year so far, last year, this and last quarter, this and last month."""
    today = today or today_local()
    year_start = today.replace(month=1, day=1)
    last_year = Period(start=date(today.year - 1, 1, 1), end=date(today.year - 1, 12, 31))
    q_first_month = 3 * ((today.month - 1) // 3) + 1
    quarter_start = today.replace(month=q_first_month, day=1)
    last_q_end = quarter_start - timedelta(days=1)
    last_q_start = last_q_end.replace(month=3 * ((last_q_end.month - 1) // 3) + 1, day=1)
    month_start = today.replace(day=1)
    last_m_end = month_start - timedelta(days=1)
    return [
        (_("This year so far"), Period(start=year_start, end=today)),
        (_("Last year"), last_year),
        (_("This quarter so far"), Period(start=quarter_start, end=today)),
        (_("Last quarter"), Period(start=last_q_start, end=last_q_end)),
        (_("This month so far"), Period(start=month_start, end=today)),
        (_("Last month"), Period(start=last_m_end.replace(day=1), end=last_m_end)),
    ]


# What the year picker offers besides the whole year: quarters and months.
PARTS = ["year", "q1", "q2", "q3", "q4"] + [f"m{m}" for m in range(1, 13)]


def period_choice(*, year: str, part: str) -> Period:
    """A whole year, one of its quarters (``q1``…) or months (``m1``…)."""
    try:
        y = int(year)
        if not 2000 <= y <= 2100:
            raise ValueError
    except ValueError:
        raise ValidationFailed({"year": [_("Choose a year between 2000 and 2100.")]}) from None
    if part not in PARTS:
        raise ValidationFailed({"part": [_("Choose the whole year, a quarter or a month.")]})
    if part == "year":
        return Period(date(y, 1, 1), date(y, 12, 31))
    if part.startswith("q"):
        first = 3 * (int(part[1]) - 1) + 1
        start = date(y, first, 1)
        months = 3
    else:
        start = date(y, int(part[1:]), 1)
        months = 1
    following = date(y + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1)
    return Period(start, following - timedelta(days=1))


def part_choices() -> list[tuple[str, str]]:
    from django.utils.dates import MONTHS

    return (
        [("year", _("Whole year"))]
        + [(f"q{q}", _("Quarter %(n)s") % {"n": q}) for q in range(1, 5)]
        + [(f"m{m}", str(MONTHS[m])) for m in range(1, 13)]
    )
