"""Middleware every page goes through: her language, and domain errors turned into pages."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import DomainError, NotAllowed, NotFound
from .language import user_language_activate


class UserLanguageMiddleware:
    """A signed-in person's pages are in her own language (see ``user_language_activate``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user_language_activate(request)
        return self.get_response(request)


class DomainErrorMiddleware:
    """The pages' counterpart of ``core.api.exception_handler``: a refusal a view does not
    handle itself becomes the page a person expects. NotFound answers 404 and NotAllowed 403,
    through Django's own handlers; any other domain error shows its message with its status
    (400, 409). Views catch a refusal themselves only to show it in place (a form, a message).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, NotAllowed):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, DomainError):
            return render(
                request,
                "core/refused.html",
                {"refusals": exception.messages},
                status=exception.status_code,
            )
        return None
