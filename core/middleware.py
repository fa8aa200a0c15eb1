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
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .errors import DomainError, NotAllowed, NotFound
from .language import user_language_activate

logger = logging.getLogger(__name__)

# The database or the cache cannot be reached (restarting, failing over, out of connections):
# trying again shortly will work. Seconds a client is told to wait.
RETRY_AFTER_SECONDS = 10

# What says that a service the request needs cannot be reached for now: the database, or the
# shared cache (Redis), where sign-in attempts are counted and sign-in codes wait.
DATABASE_ERRORS = (OperationalError, InterfaceError)
CACHE_ERRORS = (RedisConnectionError, RedisTimeoutError)


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


def unavailable_response(request: HttpRequest, exception: BaseException) -> HttpResponse | None:
    """503 with a message (JSON for the API) when ``exception`` says that the database or the
    shared cache cannot be reached, else None. Rendered without touching either: no session,
    no user, no context processors."""
    if isinstance(exception, DATABASE_ERRORS):
        what = "Database"
        message = _(
            "The service cannot reach its database for a moment. Nothing was changed: "
            "please try again in a minute."
        )
    elif isinstance(exception, CACHE_ERRORS):
        what = "Cache"
        message = _(
            "A part of the service cannot be reached for a moment: please try again in a minute."
        )
    else:
        return None
    logger.warning("%s unavailable for %s %s: %s", what, request.method, request.path, exception)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "service_unavailable"}, status=503
        )
    else:
        response = HttpResponse(
            render_to_string("core/unavailable.html", {"message": message}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A database (or a shared cache) that cannot be reached answers 503 with a message, not a
    stack trace: the view's errors here, the rest (a middleware's query, saving the session)
    through ``core.views.server_error``. Django drops a broken connection at the end of the
    request and ``CONN_HEALTH_CHECKS`` checks a kept one before reuse, so the next request
    reconnects; the cache's client connects again on its next command."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return unavailable_response(request, exception)
