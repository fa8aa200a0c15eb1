"""What every API view shares: pagination, her language and the one exception handler."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
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
