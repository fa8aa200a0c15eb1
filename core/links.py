"""Addresses of the site's own pages, worked out once.

``reverse`` matches the name and arguments against every pattern each time it is asked, which
costs about as much as a small query; a page that links the same pages on every request (the
menu) or one page per card of a list asks for the same few thousand addresses again and again.
They change only with the URL configuration and the prefix the site is served under, both part
of the key.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=4096)
def _reverse(viewname: str, args: tuple, urlconf: str | None, root: str, prefix: str) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


def reverse_kept(viewname: str, *args) -> str:
    """``reverse(viewname, args=args)``, kept for the next time it is asked."""
    return _reverse(viewname, args, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
