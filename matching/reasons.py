"""Why a seat stays empty, in plain words, from the engine's machine-readable reason.

The engine reports per seat group a code (``no_skill``, ``no_one_available``,
``all_at_weekly_hours``, ``all_booked_elsewhere``, ``out_of_travel_range``,
``lost_to_other_slots``) and counts. A coordinator reads, for example, "Nobody with the
counselling skill is free on Tuesday evening" or "3 people fit but are at their weekly hours".
Whole sentences are translated (not glued from pieces), since word order differs in Chinese.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from activities.eligibility import language_name

REASON_CODES = (
    "no_skill",
    "no_one_available",
    "out_of_travel_range",
    "not_reached",
    "lost_to_other_slots",
    "all_booked_elsewhere",
    "all_at_weekly_hours",
    "excluded",
)

# The engine counts every other volunteer at the first check she fails (lacks_skills,
# unavailable, out_of_range, max_hours_too_low, excluded, booked_elsewhere, at_weekly_hours,
# free); these are the counts behind "N people fit but …" for each reason.
_COUNT_KEYS = {
    "all_at_weekly_hours": ("at_weekly_hours", "max_hours_too_low"),
    "all_booked_elsewhere": ("booked_elsewhere",),
    "out_of_travel_range": ("out_of_range",),
    "lost_to_other_slots": ("booked_elsewhere", "at_weekly_hours"),
    "not_reached": ("free",),
    "excluded": ("excluded",),
}


def part_of_day(hour: int) -> str:
    if hour < 12:
        return pgettext("part of day", "morning")
    if hour == 12:
        return pgettext("part of day", "noon")
    if hour < 18:
        return pgettext("part of day", "afternoon")
    return pgettext("part of day", "evening")


def when_words(starts_at: datetime) -> str:
    """'Tuesday evening' in the district's time."""
    # The district's time, as the instance's (settings.TIME_ZONE).
    local = timezone.localtime(starts_at, timezone.get_default_timezone())
    weekday = str(settings.WEEKDAYS[local.weekday()])
    return pgettext("weekday and part of day", "%(weekday)s %(part)s") % {
        "weekday": weekday,
        "part": part_of_day(local.hour),
    }


def _who(skill: str, language: str) -> str:
    """The people the seat needs, as the subject of 'Nobody … is free' ('' for anyone)."""
    if skill and language:
        return _("with the %(skill)s skill who speaks %(language)s") % {
            "skill": skill,
            "language": language,
        }
    if skill:
        return _("with the %(skill)s skill") % {"skill": skill}
    if language:
        return _("who speaks %(language)s") % {"language": language}
    return ""


def count_for(reason: str, counts: dict) -> int:
    keys = _COUNT_KEYS.get(reason, ())
    if reason == "all_at_weekly_hours" and counts.get("at_weekly_hours"):
        keys = ("at_weekly_hours",)
    total = 0
    for key in keys:
        value = counts.get(key)
        if isinstance(value, int | float) and value > 0:
            total += int(value)
    return total


def reason_text(
    *,
    reason: str,
    counts: dict | None = None,
    skill: str = "",
    language_code: str = "",
    starts_at: datetime | None = None,
) -> str:
    """One sentence for a coordinator. ``skill`` is the skill's display name."""
    counts = counts or {}
    language = language_name(language_code) if language_code else ""
    who = _who(skill, language)
    if reason == "no_skill":
        if who:
            return _("Nobody %(who)s lives in this area.") % {"who": who}
        return _("Nobody in this area can take this seat.")
    if reason == "no_one_available":
        when = when_words(starts_at) if starts_at else _("at that time")
        if who:
            return _("Nobody %(who)s is free on %(when)s.") % {"who": who, "when": when}
        return _("Nobody is free on %(when)s.") % {"when": when}
    n = count_for(reason, counts)
    if reason == "all_at_weekly_hours":
        if not n:
            return _("Everyone who fits is already at their weekly hours.")
        return ngettext(
            "%(n)d person fits but is at their weekly hours.",
            "%(n)d people fit but are at their weekly hours.",
            n,
        ) % {"n": n}
    if reason == "all_booked_elsewhere":
        if not n:
            return _("Everyone who fits is booked elsewhere at that time.")
        return ngettext(
            "%(n)d person fits but is booked elsewhere at that time.",
            "%(n)d people fit but are booked elsewhere at that time.",
            n,
        ) % {"n": n}
    if reason == "out_of_travel_range":
        if not n:
            return _("Everyone who fits lives farther away than they will travel.")
        return ngettext(
            "%(n)d person fits but lives farther away than she will travel.",
            "%(n)d people fit but live farther away than they will travel.",
            n,
        ) % {"n": n}
    if reason == "lost_to_other_slots":
        if not n:
            return _("Everyone who fits is needed more at other slots at the same time.")
        return ngettext(
            "%(n)d person fits but is needed more at another slot.",
            "%(n)d people fit but are needed more at other slots.",
            n,
        ) % {"n": n}
    if reason == "not_reached":
        if not n:
            return _("The matcher ran out of time before filling this seat; run it again.")
        return ngettext(
            "%(n)d person could still take it: the matcher ran out of time; run it again.",
            "%(n)d people could still take it: the matcher ran out of time; run it again.",
            n,
        ) % {"n": n}
    if reason == "excluded":
        return ngettext(
            "The one person who could come was removed from this seat by a coordinator.",
            "The %(n)d people who could come were removed from this seat by a coordinator.",
            max(n, 1),
        ) % {"n": n}
    return _("Nobody could be found for this seat.")


def gap_text(gap, *, removed: list[str] | None = None) -> str:
    """The sentence for a stored MatchGap (its slot role, skill and slot loaded). ``removed``:
    the people the coordinator took off this seat; the seats they leave are empty because of
    her, which is said first (and alone when it explains every empty seat)."""
    if removed:
        mine = ngettext(
            "Left empty because you removed %(names)s.",
            "Left empty because you removed %(names)s.",
            len(removed),
        ) % {"names": _(", ").join(removed)}
        if gap.empty <= len(removed):
            return mine
        return f"{mine} {_engine_text(gap)}"
    return _engine_text(gap)


def _engine_text(gap) -> str:
    role = gap.slot_role
    return reason_text(
        reason=gap.reason,
        counts=gap.counts,
        skill=role.skill.display_name if role.skill_id else "",
        language_code=role.language,
        starts_at=role.slot.starts_at,
    )
