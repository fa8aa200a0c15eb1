"""Filters the shift pages share: a language's name and a role's free seats."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from ..calendar.entries import is_confidential
from ..eligibility import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """``en`` → "English" (or "英语"), in the page's language; an unknown code as it is."""
    return _language_name(code)


@register.filter
def seats_free(role) -> int:
    """A role's free seats, from the ``filled`` annotation (activities.selectors.seats)."""
    return max(role.needed - getattr(role, "filled", 0), 0)


@register.filter
def calendar_public(activity) -> bool:
    """Whether anyone may add the activity to a calendar; a confidential one (a mediation day)
    only those on the slot may, so others are not offered a link that answers 404."""
    return not is_confidential(activity)


@register.filter
def hours_minutes(hours: float) -> str:
    """1.25 → "1 h 15 min" ("1 小时 15 分钟"): whole minutes, never a rounded decimal that the
    rows and their total would disagree on."""
    whole, minutes = divmod(round(hours * 60), 60)
    if not minutes:
        return _("%(h)d h") % {"h": whole}
    if not whole:
        return _("%(m)d min") % {"m": minutes}
    return _("%(h)d h %(m)d min") % {"h": whole, "m": minutes}
