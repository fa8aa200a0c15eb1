"""Writes on a person's own account: signing in for an API token, her name and language, her
calendar settings (the secret feed address, invitations by email)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.errors import ValidationFailed

from .models import User, new_calendar_token

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _email_unconfirmed(user: User) -> bool:
    """She signed up herself (allauth recorded her address) and never confirmed it.

    Accounts made by coordinators, imports or the admin have no address record and are trusted.
    """
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user)
    return addresses.exists() and not addresses.filter(verified=True).exists()


def auth_token_obtain(*, request: HttpRequest | None, email: str, password: str) -> Token:
    """The API token of the person with this email and password (made on first use).

    Raises ValidationFailed naming the field: the same message for an unknown address and a
    wrong password, so that the answer does not tell which addresses have accounts.
    """
    errors: dict[str, list[str]] = {}
    if not (email or "").strip():
        errors["email"] = [_("Enter your email address.")]
    if not password:
        errors["password"] = [_("Enter your password.")]
    if errors:
        raise ValidationFailed(errors)
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is None or not user.is_active:
        raise ValidationFailed(
            {"non_field_errors": [_("The email address or the password is not right.")]}
        )
    if _email_mandatory() and _email_unconfirmed(user):
        raise ValidationFailed(
            {"email": [_("Confirm your email address first: open the link we sent you.")]}
        )
    token, _created = Token.objects.get_or_create(user=user)
    return token


def _email_mandatory() -> bool:
    return str(getattr(settings, "ACCOUNT_EMAIL_VERIFICATION", "")).lower() == "mandatory"


@transaction.atomic
def user_update(
    *, user: User, name: str | None = None, preferred_language: str | None = None
) -> User:
    """Change her display name and/or language (SMS and pages follow the language)."""
    errors: dict[str, list[str]] = {}
    if name is not None:
        name = name.strip()
        if len(name) > 150:
            errors["name"] = [_("Keep the name to 150 characters.")]
    if preferred_language is not None and preferred_language not in LANGUAGE_CODES:
        errors["preferred_language"] = [
            _("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}
        ]
    if errors:
        raise ValidationFailed(errors)
    fields = []
    if name is not None and name != user.name:
        user.name = name
        fields.append("name")
    if preferred_language is not None and preferred_language != user.preferred_language:
        user.preferred_language = preferred_language
        fields.append("preferred_language")
    if fields:
        user.save(update_fields=fields)
    return user


def calendar_token_reset(*, user: User) -> str:
    """A new secret for the feed address; the old address answers 404 from now on."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_invites_set(*, user: User, enabled: bool) -> None:
    """Whether invitations for her shifts are sent to her by email."""
    if user.calendar_invites != enabled:
        user.calendar_invites = enabled
        user.save(update_fields=["calendar_invites"])
