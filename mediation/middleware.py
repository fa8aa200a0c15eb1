"""django-auditlog's middleware, made to see people signed in by API token too.

The library reads ``request.user`` when the request comes in; token authentication happens
later, inside the API view. Here the actor is read when a log entry is written, by which time
either kind of sign-in has set it. The request's origin is also kept for entries that are
written in bulk (reads of a list).
"""

from __future__ import annotations

from contextvars import ContextVar

from auditlog.middleware import AuditlogMiddleware
from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

_origin: ContextVar[dict | None] = ContextVar("mediation_request_origin", default=None)


def request_origin() -> dict:
    """``remote_addr`` and ``remote_port`` of the request being served (empty outside one)."""
    return dict(_origin.get() or {})


def _actor_of(request):
    user = getattr(request, "user", None)
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


class AuditMiddleware(AuditlogMiddleware):
    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        data["actor"] = SimpleLazyObject(lambda: _actor_of(request))
        return data

    def __call__(self, request):
        token = _origin.set(
            {
                "remote_addr": self._get_remote_addr(request),
                "remote_port": self._get_remote_port(request),
            }
        )
        try:
            return super().__call__(request)
        finally:
            _origin.reset(token)
