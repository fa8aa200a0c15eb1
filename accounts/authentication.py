"""``Authorization: Token <token>`` for the API: django-rest-knox's digests and expiry, and the
token ends when the password it was issued under changes."""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


def password_digest(user) -> str:
    """Changes whenever her password does (set, changed, reset, made unusable)."""
    return salted_hmac("accounts.ApiToken.password", user.password).hexdigest()


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if not constant_time_compare(token.password_digest, password_digest(user)):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("This token ended when the password changed: sign in again.")
            )
        return user, token
