"""Filters and tags the shift pages share: a language's name, a role's free seats, a role's line
and a slot's card in the list of shifts."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, localize, time_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.links import reverse_kept

from ..calendar.entries import is_confidential
from ..eligibility import language_name as _language_name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """``en`` → "English" (or "英语"), in the page's language; an unknown code as it is."""
    return _language_name(code)


@register.simple_tag
def link(viewname: str, *args) -> str:
    """``{% url %}`` for the links a list repeats on every card and every page, without
    working the address out again each time (``core.links``)."""
    return reverse_kept(viewname, *args)


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
    filled, needed = (conditional_escape(localize(v)) for v in (role.filled, role.needed))
    text += f": {filled} / {needed}"
    free = seats_free(role)
    if free:
        n = conditional_escape(localize(free))
        text += " · " + ngettext("%(n)s seat left", "%(n)s seats left", free) % {"n": n}
    return mark_safe(text + "\n")  # noqa: S308 - every value above is escaped


@register.simple_tag
def slot_card(slot, compact: bool = False) -> SafeString:
    """What ``activities/shifts/_slot_card.html`` shows of a slot of "shifts for me", to the
    character, without a template per card: the list shows twenty of them, the week more
    (``compact``: without the venue and the roles)."""
    verdict = slot.verdict
    starts = date_format(template_localtime(slot.starts_at), "D n/j H:i")
    ends = time_format(template_localtime(slot.ends_at), "H:i")
    meta = f"{conditional_escape(starts)}–{conditional_escape(ends)}"
    if not compact:
        meta += " · " + conditional_escape(slot.activity.venue.display_name)
        if slot.distance_km is not None:
            km = conditional_escape(floatformat(slot.distance_km, 1))
            meta += " · " + _("%(km)s km away") % {"km": km}
    parts = [
        '\n<article class="card">\n  <h3><a href="',
        conditional_escape(reverse_kept("slot_detail", slot.pk)),
        '">',
        conditional_escape(slot.activity.display_title),
        '</a></h3>\n  <p class="meta">',
        meta,
        "</p>\n  ",
    ]
    if not compact:
        roles = "<br>".join(role_line(role) for role in slot.roles.all())
        parts += ["\n  <p>", roles, "</p>\n  "]
    parts.append("\n  ")
    ok = verdict is not None and verdict.ok
    if slot.seats_left and ok and verdict.full:
        refused = "".join(
            f"<li>{role_line(role)}: "
            + " ".join(conditional_escape(r.message) for r in reasons)
            + "</li>"
            for role, reasons in verdict.free_seats_refused
        )
        parts += [
            '\n    <span class="badge warn">',
            conditional_escape(_("Waitlist for you")),
            '</span>\n    <ul class="reasons">',
            refused,
            "</ul>\n  ",
        ]
    elif slot.seats_left:
        n = conditional_escape(localize(slot.seats_left))
        left = ngettext("%(n)s seat left", "%(n)s seats left", slot.seats_left) % {"n": n}
        parts += ['\n    <span class="badge ok">', left, "</span>\n  "]
    else:
        full = conditional_escape(_("Full: waitlist"))
        parts += ['\n    <span class="badge warn">', full, "</span>\n  "]
    parts.append("\n  ")
    if verdict is not None and not ok:
        reasons = "".join(f"<li>{conditional_escape(r.message)}</li>" for r in verdict.refusals)
        parts += ['\n    <ul class="reasons">', reasons, "</ul>\n  "]
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
