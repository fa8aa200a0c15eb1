"""Django's last-resort error view (``handler500``)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.views.defaults import server_error as django_server_error

from .middleware import database_unavailable_response


def server_error(request: HttpRequest) -> HttpResponse:
    """An unreachable database anywhere in the request (a middleware's query, saving the
    session) answers 503 like ``DatabaseUnavailableMiddleware``; anything else is Django's 500."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return database_unavailable_response(request, exception)
    return django_server_error(request)
