"""Changing one's mobile number through the API: the new number counts once the code texted to
it is typed back (the pages use allauth's own change-number journey, with the same adapter).

Nothing here says whether a number belongs to someone else: the answer is the same, and the
code goes out only to a number nobody else has proved theirs. The code is kept only as a keyed
hash, in the cache, for as long as allauth's phone codes live.
"""

from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.core.cache import cache
from django.forms import ValidationError as FormValidationError
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from volunteers.models import VolunteerProfile
from volunteers.services import volunteer_phone_verified_set

SALT = "signin.phone.change"


def _key(user) -> str:
    return f"accounts:phone-change:{user.pk}"


def _digest(code: str) -> str:
    return salted_hmac(SALT, code.strip()).hexdigest()


def phone_change_start(*, request: HttpRequest, user, phone: str) -> str:
    """Text a code to ``phone`` (any format people type); returns the number in E.164.

    Raises ValidationFailed naming ``phone`` for a number that is not a mobile number, or when
    too many codes were asked for.
    """
    adapter = get_adapter(request)
    try:
        phone = adapter.clean_phone(phone or "")
    except FormValidationError as exc:
        raise ValidationFailed({"phone": list(exc.messages)}) from None
    if not ratelimit.consume(request, action="verify_phone", key=phone):
        raise ValidationFailed({"phone": [_("Too many codes asked for: try again later.")]})
    code = adapter.generate_phone_verification_code(user=user, phone=phone)
    cache.set(
        _key(user),
        {"phone": phone, "digest": _digest(code), "attempts": 0},
        allauth_settings.PHONE_VERIFICATION_TIMEOUT,
    )
    taken = (
        VolunteerProfile.objects.filter(phone=phone, phone_verified_at__isnull=False)
        .exclude(user=user)
        .exists()
    )
    if not taken:
        adapter.send_verification_code_sms(user=user, phone=phone, code=code)
    return phone


def phone_change_confirm(*, user, code: str) -> VolunteerProfile:
    """The code typed back: the number waiting for it becomes hers, verified."""
    pending = cache.get(_key(user))
    if pending is None:
        raise ValidationFailed(
            {"code": [_("No number is waiting for a code, or the code has expired.")]}
        )
    pending["attempts"] += 1
    if not constant_time_compare(pending["digest"], _digest(code or "")):
        if pending["attempts"] >= allauth_settings.PHONE_VERIFICATION_MAX_ATTEMPTS:
            cache.delete(_key(user))
        else:
            cache.set(_key(user), pending, allauth_settings.PHONE_VERIFICATION_TIMEOUT)
        raise ValidationFailed({"code": [_("This code is not right.")]})
    cache.delete(_key(user))
    try:
        return volunteer_phone_verified_set(user=user, phone=pending["phone"])
    except Conflict:
        raise ValidationFailed({"code": [_("This mobile number cannot be used.")]}) from None


def phone_pending(*, user) -> str | None:
    """The number waiting for its code, if any."""
    pending = cache.get(_key(user))
    return pending["phone"] if pending else None
