"""Addresses of the site's own pages and static files, worked out once.

``reverse`` matches the name and arguments against every pattern each time it is asked, which
costs about as much as a small query; a page that links the same pages on every request (the
menu) or one page per card of a list asks for the same few thousand addresses again and again.
They change only with the URL configuration and the prefix the site is served under, both part
of the key.

A static file's address likewise follows only from its path, the storage of static files (whose
manifest of hashed names it reads once, when it is made) and the settings it reads; every page
names the same few.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.files.storage import storages
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=4096)
def _reverse(viewname: str, args: tuple, urlconf: str | None, root: str, prefix: str) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


def reverse_kept(viewname: str, *args) -> str:
    """``reverse(viewname, args=args)``, kept for the next time it is asked."""
    return _reverse(viewname, args, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _static(path: str, storage, static_url: str, debug: bool) -> str:
    return static(path)


def static_kept(path: str) -> str:
    """``{% static path %}``, kept for the next time it is asked. A new storage (the settings
    changed) or a change of ``STATIC_URL`` or ``DEBUG`` (manifest storages do not hash names in
    debug) asks again."""
    return _static(path, storages["staticfiles"], settings.STATIC_URL, settings.DEBUG)
