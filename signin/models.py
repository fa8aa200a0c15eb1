"""API tokens as the API's authentication reads them (``KNOX_TOKEN_MODEL``)."""

from __future__ import annotations

from knox.models import AuthTokenManager

from accounts.models import ApiToken


class _WithProfileManager(AuthTokenManager):
    def get_queryset(self):
        # django-rest-knox reads the token with her user row: her volunteer profile comes in
        # the same query, as for a session (signin.backends).
        return super().get_queryset().select_related("user__volunteer")


class SignedInToken(ApiToken):
    """``accounts.ApiToken`` (the same rows) as knox reads it to authenticate a request: with
    her user and her volunteer profile, which nearly every API call asks for."""

    objects = _WithProfileManager()

    class Meta:
        proxy = True
