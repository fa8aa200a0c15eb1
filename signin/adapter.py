from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from notifications.models import Message
from notifications.services import sms_queue_secret
from notifications.texts import language_of
from volunteers.models import VolunteerProfile
from volunteers.phones import phone_normalise
from volunteers.roles import Role, roles_of
from volunteers.services import volunteer_phone_set, volunteer_phone_verified_set

SIGNIN_CODE = "signin_code"


class MobileNumberField(PhoneField):
    """allauth's phone field, also taking numbers as people type them here ("138 1234 5678")."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", [])
        kwargs.setdefault("help_text", _("A mainland number needs no +86."))
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class SiteName:
    """What allauth's emails call the site: its name, not the host the request came to."""

    name: str
    domain: str


def site_name() -> SiteName:
    return SiteName(
        name=gettext("Women's Federation volunteers"),
        domain=urlsplit(settings.PUBLIC_BASE_URL).netloc,
    )


class AccountAdapter(DefaultAccountAdapter):
    """Every customisation of allauth lives here.

    Phone: the number lives on the volunteer profile; codes go out as SMS through our outbox
    (at once: she is waiting for it), at most ``SMS_CODES_PER_NUMBER_PER_HOUR`` a number, on
    top of allauth's own rate limits. No text goes to a number without an account, so that the
    sign-in form cannot be used to send texts to arbitrary numbers.
    """

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": site_name()})

    def format_email_subject(self, subject: str) -> str:
        return f"[{site_name().name}] {subject}"

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # A new account starts in the language she was reading the site in.
        user.preferred_language = translation.get_language() or user.preferred_language
        name = (getattr(form, "cleaned_data", None) or {}).get("name")
        if name:
            user.name = name.strip()
        return super().save_user(request, user, form, commit=commit)

    # --- phone -------------------------------------------------------------------------

    def phone_form_field(self, **kwargs):
        return MobileNumberField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return phone_normalise(phone)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.errors["phone"], code="invalid_phone") from exc

    def set_phone(self, user, phone: str, verified: bool) -> None:
        if user.pk is None:
            user.save()
        volunteer_phone_set(user=user, phone=phone, verified=verified)

    def get_phone(self, user) -> tuple[str, bool] | None:
        """Her number, and whether she proved it is hers by typing back a code sent to it."""
        profile = VolunteerProfile.objects.filter(user_id=user.pk).first() if user.pk else None
        if profile is None or not profile.phone:
            return None
        return profile.phone, profile.phone_verified_at is not None

    def set_phone_verified(self, user, phone: str) -> None:
        """She typed back the code sent to ``phone``: at sign-up, at sign-in, or changing it."""
        volunteer_phone_verified_set(user=user, phone=phone)

    def get_user_by_phone(self, phone: str):
        """Whoever holds this number, verified or not (for uniqueness; allauth never says which
        numbers are taken). Sign-in by code asks ``may_sign_in_by_phone`` as well."""
        profile = (
            VolunteerProfile.objects.select_related("user")
            .filter(phone=phone, user__is_active=True)
            .first()
        )
        return profile.user if profile else None

    def may_sign_in_by_phone(self, user, phone: str) -> bool:
        """Only volunteers sign in with a code texted to them, and only to a number they proved
        theirs; staff, coordinators and hosts sign in with their password and second factor."""
        if not user.is_active or user.is_staff or user.is_superuser:
            return False
        if not set(roles_of(user)) <= {Role.VOLUNTEER, Role.MEDIATOR}:
            return False
        return self.get_phone(user) == (phone, True)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        now = timezone.now()
        recent = Message.objects.filter(
            to=phone, kind=SIGNIN_CODE, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= settings.SMS_CODES_PER_NUMBER_PER_HOUR:
            return
        timeout = allauth_settings.PHONE_VERIFICATION_TIMEOUT
        language = language_of(
            getattr(user, "preferred_language", None) or translation.get_language()
        )
        # The outbox shows the text with the code masked; the code itself is never stored.
        sms_queue_secret(
            to=phone,
            kind=SIGNIN_CODE,
            language=language,
            values={"minutes": max(1, timeout // 60)},
            secrets={"code": code},
            user=user if getattr(user, "pk", None) else None,
            expires_at=now + timedelta(seconds=timeout),
        )

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """Nothing is sent to numbers without an account (against SMS pumping)."""

    def send_account_already_exists_sms(self, phone: str) -> None:
        """Nothing is sent: the page already says a code is on its way."""
