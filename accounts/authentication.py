"""``Authorization: Token <token>`` for the API: django-rest-knox's digests and expiry, and the
token ends when the password it was issued under changes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired
from rest_framework import exceptions


def password_digest(user) -> str:
    """Changes whenever her password does (set, changed, reset, made unusable)."""
    return salted_hmac("accounts.ApiToken.password", user.password).hexdigest()


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        """The token presented, once expired, is deleted and refused, as knox does. Knox also
        reads every other token of hers on each request, to delete those expired: here they go
        when she is issued a new one (``accounts.services.api_token_create``) instead, so that
        a request reads only the token it presents. An expired token is refused either way."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if not constant_time_compare(token.password_digest, password_digest(user)):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("This token ended when the password changed: sign in again.")
            )
        return user, token
