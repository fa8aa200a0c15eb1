"""Filters the shift pages share: a language's name and a role's free seats."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.templatetags.links import link as link_tag

from ..calendar.entries import is_confidential
from ..eligibility import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """``en`` → "English" (or "英语"), in the page's language; an unknown code as it is."""
    return _language_name(code)


# ``{% link %}`` for the links a list repeats on every card (the base template's own tag).
register.simple_tag(link_tag, name="link")


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


def _count(value: int) -> str:
    """A whole number as a template prints it (``localize``): its digits, unless thousands
    separators are on, the only case in which the language's number formats change it. A list
    prints several for every role it shows."""
    if settings.USE_THOUSAND_SEPARATOR:
        return conditional_escape(localize(value))
    return str(int(value))


@register.simple_tag
def role_line(role) -> SafeString:
    """What ``activities/shifts/_role.html`` shows of a role, to the character, without a
    template per role: a list of shifts shows it for every role of every slot."""
    name = role.display_name
    if role.label:
        if getattr(name, "untranslated", False):
            text = format_html(
                '<span lang="zh-Hans">{}</span> <small class="meta untranslated">({})</small>',
                name,
                _("in Chinese only"),
            )
        else:
            text = conditional_escape(name)
        if role.skill:
            skill = conditional_escape(localize(role.skill.display_name))
            text += " (" + _("needs %(skill)s") % {"skill": skill} + ")"
    else:
        text = conditional_escape(name)
    if role.language:
        language = conditional_escape(localize(language_name(role.language)))
        text += " · " + _("speaks %(language)s") % {"language": language}
    text += f": {_count(role.filled)} / {_count(role.needed)}"
    free = seats_free(role)
    if free:
        n = _count(free)
        text += " · " + ngettext("%(n)s seat left", "%(n)s seats left", free) % {"n": n}
    return mark_safe(text + "\n")  # noqa: S308 - every value above is escaped
