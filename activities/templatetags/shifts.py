"""Filters and tags the shift pages share: a language's name, a role's free seats, a role's
line and a slot's card in the list of shifts."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, localize, time_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
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


@register.simple_tag
def slot_card(slot, compact=False) -> SafeString:
    """What ``activities/shifts/_slot_card.html`` shows of a slot, to the character, without a
    template per card: "shifts for me" shows one for every slot of its page, and Django's
    template engine took longer per card (its lookups, dates and plural phrases) than the rest
    of the list's work on it. The template stays the reference; a test holds both alike."""
    verdict = slot.verdict
    title = conditional_escape(slot.activity.display_title)
    starts, ends = template_localtime(slot.starts_at), template_localtime(slot.ends_at)
    when = f"{date_format(starts, 'D n/j H:i')}–{time_format(ends, 'H:i')}"
    parts = [
        '\n<article class="card">\n  <h3><a href="',
        link_tag("slot_detail", slot.pk),
        f'">{title}</a></h3>\n  <p class="meta">{conditional_escape(when)}',
    ]
    if not compact:
        parts.append(f" · {conditional_escape(slot.activity.venue.display_name)}")
        if slot.distance_km is not None:
            km = conditional_escape(floatformat(slot.distance_km, 1))
            parts.append(" · " + _("%(km)s km away") % {"km": km})
    parts.append("</p>\n  ")
    if not compact:
        lines = "<br>".join(role_line(role) for role in slot.roles.all())
        parts.append(f"\n  <p>{lines}</p>\n  ")
    parts.append("\n  ")
    if slot.seats_left and verdict.ok and verdict.full:
        items = "".join(
            f"<li>{role_line(role)}: {' '.join(_message(r) for r in reasons)}</li>"
            for role, reasons in verdict.free_seats_refused
        )
        parts.append(
            f'\n    <span class="badge warn">{conditional_escape(_("Waitlist for you"))}</span>'
            f'\n    <ul class="reasons">{items}</ul>\n  '
        )
    elif slot.seats_left:
        n = slot.seats_left
        seats = ngettext("%(n)s seat left", "%(n)s seats left", n) % {"n": _count(n)}
        parts.append(f'\n    <span class="badge ok">{seats}</span>\n  ')
    else:
        full = conditional_escape(_("Full: waitlist"))
        parts.append(f'\n    <span class="badge warn">{full}</span>\n  ')
    parts.append("\n  ")
    if verdict and not verdict.ok:
        items = "".join(f"<li>{_message(r)}</li>" for r in verdict.refusals)
        parts.append(f'\n    <ul class="reasons">{items}</ul>\n  ')
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _message(refusal) -> str:
    return conditional_escape(refusal.message)
