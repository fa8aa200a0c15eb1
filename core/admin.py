"""What every app's admin shares: actions that run a service per selected row."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import DomainError


def each_through_service(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable,
    service: Callable[[object], object],
) -> None:
    """Call ``service`` for each object, so the admin obeys the same rules as pages and API.

    A refusal of one row does not stop the others; the person is told how many went through
    and why the others did not.
    """
    done = 0
    refused: dict[str, int] = {}
    for obj in objects:
        try:
            service(obj)
        except DomainError as exc:
            refused[exc.message] = refused.get(exc.message, 0) + 1
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d row changed.", "%(count)d rows changed.", done) % {"count": done},
            messages.SUCCESS,
        )
    for reason, count in refused.items():
        modeladmin.message_user(
            request,
            _("%(count)d refused: %(reason)s") % {"count": count, "reason": reason},
            messages.WARNING,
        )
