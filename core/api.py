"""What every API view shares: pagination, her language and the one exception handler."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .language import user_language_activate


class UserLanguageMixin:
    """Answer in the person's own language. Token-authenticated requests are authenticated only
    inside the view, after the middleware has run, so her saved choice is applied here too.

    Every API view of the project takes this mixin first (a test walks the URLs to make sure).
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user_language_activate(request)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CountedRowsPaginator(Paginator):
    """Django's paginator for a ``values_list`` queryset whose page carries the total: each row
    of the page is read with the count of all rows (a window over the whole list, before the
    page is cut), so a page costs one query instead of a count and a read. The same pages, the
    same count, the same errors: a page without rows (past the end, or an empty list) is
    answered by the plain paginator, as is a number that is not a whole number from 1."""

    def page(self, number):
        if "count" in self.__dict__ or self.orphans or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if wanted < 1:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(
            self.object_list.annotate(_rows_in_all=Window(Count("*")))[
                bottom : bottom + self.per_page
            ]
        )
        if not rows:
            return super().page(number)
        self.count = rows[0][-1]  # the cached property, known now
        return self._get_page([row[:-1] for row in rows], self.validate_number(number), self)


class CountedRowsPagination(Pagination):
    """``Pagination`` for a list read as plain rows (``values_list``): one query a page
    (``CountedRowsPaginator``)."""

    django_paginator_class = CountedRowsPaginator


def exception_handler(exc, context):
    """Domain errors become ``{field: [messages]}`` (400) or ``{"detail": ...}`` (403/404/409)."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
