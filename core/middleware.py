"""Middleware every page goes through: her language, and domain errors turned into pages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .errors import DomainError, NotAllowed, NotFound
from .language import user_language_activate

logger = logging.getLogger(__name__)

# The database cannot be reached (restarting, failing over, out of connections): nothing was
# done, and trying again shortly will work. Seconds a client is told to wait.
DATABASE_RETRY_AFTER_SECONDS = 10


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


def database_unavailable_response(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """503 with a message (JSON for the API), rendered without touching the database: no
    session, no user, no context processors."""
    logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
    message = _(
        "The service cannot reach its database for a moment. Nothing was changed: "
        "please try again in a minute."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "service_unavailable"}, status=503
        )
    else:
        response = HttpResponse(
            render_to_string("core/unavailable.html", {"message": message}), status=503
        )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 with a message, not a stack trace: the
    view's errors here, the rest (a middleware's query, saving the session) through
    ``core.views.server_error``. Django drops a broken connection at the end of the request and
    ``CONN_HEALTH_CHECKS`` checks a kept one before reuse, so the next request reconnects."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable_response(request, exception)
        return None
