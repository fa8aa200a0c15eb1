"""Django's last-resort error view (``handler500``)."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.views.defaults import server_error as django_server_error

from .middleware import unavailable_response


def server_error(request: HttpRequest) -> HttpResponse:
    """An unreachable database or cache anywhere in the request (a middleware's query, saving
    the session) answers 503 like ``DatabaseUnavailableMiddleware``; anything else is Django's
    500."""
    response = unavailable_response(request, sys.exc_info()[1])
    return response if response is not None else django_server_error(request)
