"""Who must use a second factor: the one decision, and where it is enforced.

The decision is ``second_factor_required(user)``: true when ``SECOND_FACTOR_REQUIRED`` is on
(by default whenever ``DEBUG`` is off) and any of the rules named in
``SECOND_FACTOR_REQUIRED_FOR`` says so. A rule is a dotted path to ``rule(user) -> bool``; an
app adds its own by adding its path to that setting (the settings name every app; this module
imports none of them), e.g. "everyone who can open disputes" from the mediation app.

Enforced in three places: the pages (``SecondFactorMiddleware`` sends her to set one up before
anything else), the API's token endpoint (no token without it, and a code when she has one),
and allauth's own sign-in, which asks for the code of anyone who has one. Everyone may set one
up (TOTP with recovery codes, or a passkey) under "Two-step sign-in".
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# Authenticators that are a second factor on their own (recovery codes back one of these up).
FACTORS = ["totp", "webauthn"]


def is_staff_member(user) -> bool:
    """Superusers and staff: they reach the admin."""
    return bool(user.is_superuser or user.is_staff)


def second_factor_rules() -> list[Callable[[object], bool]]:
    return [import_string(path) for path in settings.SECOND_FACTOR_REQUIRED_FOR]


def second_factor_expected(user) -> bool:
    """Whether her role calls for a second factor, enforced or not (the pages suggest it)."""
    if not user.is_authenticated:
        return False
    # Asked by the middleware and again by the menu: cached on the user object for the request
    # (each rule caches the roles it reads there too).
    cached = getattr(user, "_second_factor_expected", None)
    if cached is None:
        cached = any(rule(user) for rule in second_factor_rules())
        user._second_factor_expected = cached
    return cached


def second_factor_required(user) -> bool:
    """The decision: she may not go on without a second factor."""
    return bool(settings.SECOND_FACTOR_REQUIRED) and second_factor_expected(user)


def second_factor_active(user) -> bool:
    return is_mfa_enabled(user, FACTORS)


def second_factor_missing(user) -> bool:
    """She must have one and has none yet."""
    return second_factor_required(user) and not second_factor_active(user)


class SecondFactorMiddleware:
    """Pages: someone who must use a second factor and has none is sent to set one up; only
    allauth's own pages (setting it up, signing out), static files and the language switch
    stay open to her. API requests authenticated by a session are refused the same way."""

    OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN_PREFIXES)
            and second_factor_missing(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": set_up_first_message(), "code": "second_factor"}, status=403
                )
            messages.warning(request, set_up_first_message())
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def set_up_first_message() -> str:
    return _(
        "Your role needs two-step sign-in: set it up with an authenticator app (or a passkey) "
        "before you go on."
    )
