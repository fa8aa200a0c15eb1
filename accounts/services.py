"""Writes on a person's own account: API tokens, her name and language, her calendar settings
(the secret feed address, invitations by email)."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, RateLimited, ValidationFailed

from .authentication import password_digest
from .models import ApiToken, User, new_calendar_token
from .second_factor import second_factor_active, second_factor_required, set_up_first_message

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _email_unconfirmed(user: User) -> bool:
    """She signed up herself (allauth recorded her address) and never confirmed it.

    Accounts made by coordinators, imports or the admin have no address record and are trusted.
    """
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user)
    return addresses.exists() and not addresses.filter(verified=True).exists()


def api_token_create(*, user: User, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for her: the row (which keeps only a digest) and the token itself,
    to be shown once. It lasts ``days`` (default ``API_TOKEN_TTL_DAYS``)."""
    ttl = timedelta(days=days if days is not None else settings.API_TOKEN_TTL_DAYS)
    # Her tokens that have expired go now (a request reads only the token it presents).
    ApiToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return ApiToken.objects.create(user, expiry=ttl, password_digest=password_digest(user))


def api_token_revoke(*, token: ApiToken) -> None:
    """The token ends now."""
    ApiToken.objects.filter(pk=token.pk).delete()


def _second_factor_check(*, user: User, code: str) -> None:
    """The code of her authenticator app (or a recovery code), checked and limited by allauth."""
    from allauth.mfa.base.forms import AuthenticateForm

    if not (code or "").strip():
        raise ValidationFailed(
            {"code": [_("Enter the code from your authenticator app, or a recovery code.")]}
        )
    form = AuthenticateForm(data={"code": code}, user=user)
    if not form.is_valid():
        raise ValidationFailed({"code": [str(m) for m in form.errors.get("code", [])]})


def auth_token_obtain(
    *, request: HttpRequest, email: str, password: str, code: str = ""
) -> tuple[ApiToken, str]:
    """A new API token for the person with this email and password.

    The password is checked by allauth, so the failed sign-in limits of the pages apply here
    too, per client address and per account (``ACCOUNT_RATE_LIMITS["login_failed"]``): over
    them, RateLimited (429) even for the right password. Someone with a second factor gives
    its ``code`` too; someone who must have one and has none gets no token (NotAllowed).
    Raises ValidationFailed naming the field otherwise: the same message for an unknown address
    and a wrong password, so that the answer does not tell which addresses have accounts.
    """
    errors: dict[str, list[str]] = {}
    if not (email or "").strip():
        errors["email"] = [_("Enter your email address.")]
    if not password:
        errors["password"] = [_("Enter your password.")]
    if errors:
        raise ValidationFailed(errors)
    try:
        user = get_adapter(request).authenticate(
            request, email=email.strip().lower(), password=password
        )
    except DjangoValidationError:
        raise RateLimited(
            _("Too many failed sign-in attempts: try again later."), code="too_many_attempts"
        ) from None
    if user is None or not user.is_active:
        raise ValidationFailed(
            {"non_field_errors": [_("The email address or the password is not right.")]}
        )
    if _email_mandatory() and _email_unconfirmed(user):
        raise ValidationFailed(
            {"email": [_("Confirm your email address first: open the link we sent you.")]}
        )
    if second_factor_active(user):
        _second_factor_check(user=user, code=code)
    elif second_factor_required(user):
        raise NotAllowed(set_up_first_message(), code="second_factor")
    return api_token_create(user=user)


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
