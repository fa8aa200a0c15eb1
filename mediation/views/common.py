"""What every mediation page shares: sign-in, and refusals in the person's language."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.errors import DomainError, NotAllowed, NotFound, ValidationFailed


def mediation_page(view=None, *, back: str = ""):
    """404 outside her scope, 403 for a role that may not act. With ``back`` (a url name
    taking the view's ``pk``), any other refusal shows as a message on that page."""

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                if not back:
                    raise
                refuse(request, exc)
                return redirect(back, pk=kwargs["pk"])

        return login_required(wrapped)

    return decorate(view) if view is not None else decorate


def form_errors(form, exc: ValidationFailed) -> None:
    """Put a service's field errors on the form (unknown fields become form-wide)."""
    for field, errors in exc.errors.items():
        name = field if field in form.fields else None
        for error in errors:
            form.add_error(name, error)


def refuse(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.error(request, exc.message)
