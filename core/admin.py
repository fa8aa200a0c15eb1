"""What every app's admin shares: actions that run a service per selected row, and list pages
that do not count a whole large table."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest
from django.utils.functional import cached_property
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


class EstimatedCountPaginator(Paginator):
    """The admin's paginator for tables that grow without end (assignments, messages): an
    unfiltered list on PostgreSQL takes the planner's row estimate instead of counting the
    whole table, once the table is past ``EXACT_BELOW`` rows; a filtered or small one is
    counted exactly. The last page number may then be a little off; the rows are not."""

    EXACT_BELOW = 50_000

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [query.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.EXACT_BELOW:
                return int(row[0])
        return super().count


class LargeListMixin:
    """A list page that never counts the whole table: no "N total" beside a search or filter
    (``show_full_result_count``), and the estimated count for the paginator."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
