"""Recurrence: the friendly form → an RFC 5545 RRULE, its validation, and its expansion.

Pure functions (no database). Occurrences are computed on the venue's local wall clock, so a
class at 19:00 stays at 19:00 across a daylight-saving change, and only then turned into UTC.

Stored rules follow RFC 5545 for a DTSTART with a time zone: ``UNTIL`` is a UTC instant
(``…Z``). Rules that come in with a local or date-only ``UNTIL`` are read as local to the venue
(a date-only ``UNTIL`` includes that whole day) and normalised to UTC. Every rule must be bounded
by ``UNTIL`` or ``COUNT`` so that the cap on occurrences can be checked when it is posted, and
no series may reach further than ``MAX_SPAN_YEARS`` from its first day, so that every expansion
of a rule is bounded whatever the rule.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 500
# No series reaches further than this from its first day. Every expansion stops there, so a
# rule that matches rarely or never (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) is refused after
# scanning these years, not after scanning to year 9999.
MAX_SPAN_YEARS = 10
MAX_SLOT_HOURS = 12
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")
# Rules may repeat yearly too (an annual event posted through the API); nothing finer than daily.
ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
FINER_THAN_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
FORBIDDEN_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND"}
KNOWN_PARTS = {
    "FREQ",
    "INTERVAL",
    "UNTIL",
    "COUNT",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYWEEKNO",
    "BYYEARDAY",
    "WKST",
} | FORBIDDEN_PARTS


class RecurrenceError(ValueError):
    """A rule or a date that cannot be used; ``message`` is translated for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: ``key`` is the rule's own start (RECURRENCE-ID), all in UTC."""

    key: datetime
    starts_at: datetime
    ends_at: datetime


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RecurrenceError(_("“%(name)s” is not a known time zone.") % {"name": name}) from None


def local_naive(instant: datetime, tz: ZoneInfo) -> datetime:
    """The wall-clock reading of an aware instant in ``tz``, without tzinfo."""
    return instant.astimezone(tz).replace(tzinfo=None)


def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in ``tz`` as a UTC instant (the earlier one when the clock repeats)."""
    return wall.replace(tzinfo=tz).astimezone(UTC)


def _format_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def rrule_build(
    *,
    frequency: str,
    tz: str,
    interval: int = 1,
    weekdays: Iterable[int] = (),
    until: date | None = None,
    count: int | None = None,
) -> str:
    """An RRULE from the form's fields. ``weekdays`` are Monday=0 … Sunday=6; ``until`` is the
    last local date that may hold an occurrence (inclusive)."""
    frequency = frequency.upper()
    if frequency not in FREQUENCIES:
        raise RecurrenceError(_("Choose daily, weekly or monthly."))
    if not until and not count:
        raise RecurrenceError(_("Say until which date it repeats, or how many times."))
    parts = [f"FREQ={frequency}"]
    if interval and int(interval) > 1:
        parts.append(f"INTERVAL={int(interval)}")
    days = sorted(set(weekdays))
    if days:
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days))
    if until:
        end_of_day = to_utc(datetime.combine(until, time(23, 59, 59)), zone(tz))
        parts.append(f"UNTIL={_format_utc(end_of_day)}")
    else:
        parts.append(f"COUNT={int(count)}")
    return ";".join(parts)


def _split(rule: str) -> dict[str, str]:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for chunk in text.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip() or name not in KNOWN_PARTS or name in parts:
            raise RecurrenceError(
                _("“%(part)s” is not a valid part of a repeat rule.") % {"part": chunk}
            )
        parts[name] = value.strip().upper()
    return parts


def _join(parts: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _until_utc(value: str, tz: ZoneInfo) -> datetime:
    try:
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if "T" in value:
            return to_utc(datetime.strptime(value, "%Y%m%dT%H%M%S"), tz)
        day = datetime.strptime(value, "%Y%m%d").date()
        return to_utc(datetime.combine(day, time(23, 59, 59)), tz)
    except ValueError:
        raise RecurrenceError(
            _("The end of the repeat (UNTIL) “%(value)s” is not a date.") % {"value": value}
        ) from None


def rrule_normalize(rule: str, *, tz: str) -> str:
    """Check a rule's shape and return it with ``UNTIL`` in UTC; '' stays '' (no repeat).

    Refuses rules finer than daily, times of day inside the rule, and unbounded rules.
    """
    if not rule or not rule.strip():
        return ""
    parts = _split(rule)
    freq = parts.get("FREQ")
    if freq is None:
        raise RecurrenceError(_("A repeat rule needs FREQ (daily, weekly or monthly)."))
    if freq in FINER_THAN_DAILY or FORBIDDEN_PARTS & parts.keys():
        raise RecurrenceError(_("An activity can repeat at most once a day."))
    if freq not in ALLOWED_FREQ:
        raise RecurrenceError(_("“%(freq)s” is not a known frequency.") % {"freq": freq})
    if "BYSETPOS" in parts and freq not in {"MONTHLY", "YEARLY"}:
        raise RecurrenceError(
            _(
                "BYSETPOS picks among the dates of a month or a year: use it with monthly or "
                "yearly rules."
            )
        )
    if "UNTIL" in parts and "COUNT" in parts:
        raise RecurrenceError(_("Give either an end date or a number of times, not both."))
    if "UNTIL" not in parts and "COUNT" not in parts:
        raise RecurrenceError(
            _("Say until which date it repeats, or how many times (at most %(max)d).")
            % {"max": MAX_OCCURRENCES}
        )
    if "INTERVAL" in parts and (not parts["INTERVAL"].isdigit() or int(parts["INTERVAL"]) < 1):
        raise RecurrenceError(_("The interval must be a whole number of at least 1."))
    if "COUNT" in parts and (not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1):
        raise RecurrenceError(_("The number of times must be a whole number of at least 1."))
    if "UNTIL" in parts:
        parts["UNTIL"] = _format_utc(_until_utc(parts["UNTIL"], zone(tz)))
    return _join(parts)


def _span_end(dtstart_local: datetime) -> datetime:
    """The last local moment a series starting then may reach."""
    try:
        return dtstart_local.replace(year=dtstart_local.year + MAX_SPAN_YEARS)
    except ValueError:  # 29 February
        return dtstart_local.replace(year=dtstart_local.year + MAX_SPAN_YEARS, day=28)


def _ruleset(rule: str, dtstart_local: datetime, tz: ZoneInfo, *, bounded: bool = False):
    """The dateutil rule on the local wall clock (naive datetimes in ``tz``).

    Its ``UNTIL`` never lies past the span (``MAX_SPAN_YEARS``). ``bounded``: ``COUNT`` is
    dropped too, so that iterating the rule stops at the end of the span whatever it matches.
    """
    parts = _split(rule)
    end = _span_end(dtstart_local)
    if "UNTIL" in parts:
        end = min(end, local_naive(_until_utc(parts["UNTIL"], tz), tz))
    if "UNTIL" in parts or bounded:
        parts.pop("COUNT", None)
        parts["UNTIL"] = end.strftime("%Y%m%dT%H%M%S")
    try:
        return rrulestr(_join(parts), dtstart=dtstart_local)
    except (ValueError, TypeError):
        raise RecurrenceError(_("This repeat rule cannot be read.")) from None


def exdates_parse(values: Iterable[str | date]) -> list[date]:
    """Local dates on which nothing takes place; accepts dates or ``YYYY-MM-DD`` strings."""
    result: set[date] = set()
    for value in values or ():
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            result.add(value)
            continue
        text = str(value).strip()
        if not text:
            continue
        try:
            result.add(date.fromisoformat(text))
        except ValueError:
            raise RecurrenceError(
                _("“%(value)s” is not a date (write it as YYYY-MM-DD).") % {"value": text}
            ) from None
    return sorted(result)


def occurrences(
    *,
    starts_at: datetime,
    ends_at: datetime,
    rrule: str,
    exdates: Iterable[str | date],
    tz: str,
    after: datetime | None = None,
    before: datetime | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Occurrences whose start lies in [after, before), in UTC, skipping the excepted dates.

    Without a rule the activity happens once, at ``starts_at``. The duration is kept on the wall
    clock (19:00–20:30 stays 19:00–20:30 local on both sides of a DST change).
    """
    zi = zone(tz)
    start_local = local_naive(starts_at, zi)
    duration = local_naive(ends_at, zi) - start_local
    skip = set(exdates_parse(exdates))
    if not rrule:
        candidates: Iterable[datetime] = [start_local]
    else:
        rule = _ruleset(rrule, start_local, zi)
        # A day of margin either side: the UTC window is narrowed exactly below.
        lo = local_naive(after, zi) - timedelta(days=1) if after else start_local
        lo = max(lo, start_local)
        if before is not None:
            hi = local_naive(before, zi) + timedelta(days=1)
            candidates = rule.between(lo, hi, inc=True)
        else:
            candidates = rule.xafter(lo, inc=True) if hasattr(rule, "xafter") else rule
    result: list[Occurrence] = []
    for wall in candidates:
        if wall.date() in skip:
            continue
        key = to_utc(wall, zi)
        if after is not None and key < after:
            continue
        if before is not None and key >= before:
            if rrule:
                break
            continue
        result.append(Occurrence(key=key, starts_at=key, ends_at=to_utc(wall + duration, zi)))
        if limit is not None and len(result) >= limit:
            break
    return result


def _numbers(value: str | None) -> set[int] | None:
    if not value:
        return None
    try:
        return {int(v) for v in value.split(",")}
    except ValueError:
        raise RecurrenceError(_("This repeat rule cannot be read.")) from None


def _may_match(parts: dict[str, str], start_local: datetime) -> bool:
    """Whether some day of the span passes the rule's day filters (month, day of the month,
    weekday, day of the year): a quick check over a few thousand days, because dateutil, given
    filters no day passes, scans every day up to the year 9999 before it stops."""
    months = _numbers(parts.get("BYMONTH"))
    monthdays = _numbers(parts.get("BYMONTHDAY"))
    yeardays = _numbers(parts.get("BYYEARDAY"))
    weekdays = {
        WEEKDAY_CODES.index(code[-2:])
        for code in parts.get("BYDAY", "").split(",")
        if code[-2:] in WEEKDAY_CODES
    } or None
    if not (months or monthdays or yeardays or weekdays):
        return True
    day, last = start_local.date(), _span_end(start_local).date()
    while day <= last:
        year_length = 366 if calendar.isleap(day.year) else 365
        month_length = calendar.monthrange(day.year, day.month)[1]
        yearday = day.timetuple().tm_yday
        if (
            (months is None or day.month in months)
            and (
                monthdays is None or day.day in monthdays or day.day - month_length - 1 in monthdays
            )
            and (yeardays is None or yearday in yeardays or yearday - year_length - 1 in yeardays)
            and (weekdays is None or day.weekday() in weekdays)
        ):
            return True
        day += timedelta(days=1)
    return False


def occurrence_count(*, starts_at: datetime, rrule: str, tz: str, cap: int) -> int:
    """How many times the rule fires (before excepted dates), counting no further than ``cap``.

    Scans ``MAX_SPAN_YEARS`` at most; raises RecurrenceError when the rule gives nothing in
    them, or would go on firing after them.
    """
    if not rrule:
        return 1
    zi = zone(tz)
    start_local = local_naive(starts_at, zi)
    parts = _split(rrule)
    span = {"years": MAX_SPAN_YEARS}
    if not _may_match(parts, start_local):
        raise RecurrenceError(
            _("This repeat rule gives no dates in the %(years)d years from its start.") % span
        )
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    enough = cap if count is None else min(cap, count)
    n = 0
    for _wall in _ruleset(rrule, start_local, zi, bounded=True):
        n += 1
        if n >= enough:
            return n
    if n == 0:
        raise RecurrenceError(
            _("This repeat rule gives no dates in the %(years)d years from its start.") % span
        )
    if count is not None:
        runs_on = count > n
    else:
        runs_on = local_naive(_until_utc(parts["UNTIL"], zi), zi) > _span_end(start_local)
    if runs_on:
        raise RecurrenceError(
            _("A series can run for at most %(years)d years from its start; end it sooner.") % span
        )
    return n


def validate(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    rrule: str,
    exdates: Iterable[str | date],
    tz: str,
) -> dict[str, list[str]]:
    """Every problem with these times and this rule, as ``{field: [messages]}``."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        zone(tz)
    except RecurrenceError as exc:
        add("venue", exc.message)
        return errors
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is None:
            add(field, _("This field is required."))
        elif value.tzinfo is None or value.utcoffset() is None:
            add(field, _("Give the time with its time zone (for example +08:00)."))
    if errors:
        return errors
    if ends_at <= starts_at:
        add("ends_at", _("The end must be after the start."))
    elif ends_at - starts_at > timedelta(hours=MAX_SLOT_HOURS):
        add(
            "ends_at",
            _("A slot cannot be longer than %(hours)d hours.") % {"hours": MAX_SLOT_HOURS},
        )
    try:
        exdates_parse(exdates)
    except RecurrenceError as exc:
        add("exdates", exc.message)
    if rrule:
        try:
            normal = rrule_normalize(rrule, tz=tz)
            n = occurrence_count(starts_at=starts_at, rrule=normal, tz=tz, cap=MAX_OCCURRENCES + 1)
            if n > MAX_OCCURRENCES:
                add(
                    "rrule",
                    _("A series can have at most %(max)d occurrences; end it sooner.")
                    % {"max": MAX_OCCURRENCES},
                )
        except RecurrenceError as exc:
            add("rrule", exc.message)
    if not errors:
        first = occurrences(
            starts_at=starts_at,
            ends_at=ends_at,
            rrule=rrule_normalize(rrule, tz=tz),
            exdates=exdates,
            tz=tz,
            limit=1,
        )
        if not first:
            add("exdates", _("Every date of this activity is excepted: nothing would happen."))
    return errors


def rrule_with_until(rule: str, *, until: datetime) -> str:
    """The rule ended just before ``until`` (an aware instant): the earlier half of a split."""
    parts = _split(rule)
    parts.pop("COUNT", None)
    parts["UNTIL"] = _format_utc(until - timedelta(seconds=1))
    return _join(parts)


def rrule_with_count(rule: str, *, count: int) -> str:
    parts = _split(rule)
    parts["COUNT"] = str(count)
    return _join(parts)


def rrule_count(rule: str) -> int | None:
    value = _split(rule).get("COUNT") if rule else None
    return int(value) if value else None


def rrule_describe(rule: str) -> dict:
    """The form's view of a rule: frequency, interval, weekdays, until (UTC) and count."""
    if not rule:
        return {}
    parts = _split(rule)
    days = [
        WEEKDAY_CODES.index(code[-2:])
        for code in parts.get("BYDAY", "").split(",")
        if code[-2:] in WEEKDAY_CODES
    ]
    until = None
    if "UNTIL" in parts:
        until = _until_utc(parts["UNTIL"], ZoneInfo("UTC"))
    return {
        "frequency": parts.get("FREQ", ""),
        "interval": int(parts.get("INTERVAL", "1")),
        "weekdays": days,
        "until": until,
        "count": int(parts["COUNT"]) if "COUNT" in parts else None,
    }


def holidays_on(
    *,
    starts_at: datetime,
    ends_at: datetime,
    rrule: str,
    tz: str,
    country: str,
) -> list[date]:
    """Local dates of the series' occurrences that are public holidays in ``country``."""
    import holidays

    found = occurrences(
        starts_at=starts_at,
        ends_at=ends_at,
        rrule=rrule,
        exdates=(),
        tz=tz,
        limit=MAX_OCCURRENCES + 1,
    )
    zi = zone(tz)
    days = sorted({o.starts_at.astimezone(zi).date() for o in found})
    if not days:
        return []
    calendar = holidays.country_holidays(country, years=range(days[0].year, days[-1].year + 1))
    return [d for d in days if d in calendar]
