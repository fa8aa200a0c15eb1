"""The site's addresses in templates, worked out once (``core.links``): for the links and files
every page names (the header, the menu, the footer)."""

from __future__ import annotations

from django import template

from core.links import reverse_kept
from core.links import static_kept as _static_kept

register = template.Library()


@register.simple_tag
def link(viewname: str, *args) -> str:
    """``{% url viewname arg… %}``, without matching the URL patterns again each time."""
    return reverse_kept(viewname, *args)


@register.simple_tag
def static_kept(path: str) -> str:
    """``{% static path %}``, without asking the storage again each time."""
    return _static_kept(path)
