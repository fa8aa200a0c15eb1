"""Mobile numbers: the one rule for every number we text (profiles, imports, sign-in codes)."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

from core.errors import ValidationFailed

# Numbers typed without a country code are read as numbers of this region.
PHONE_REGION = "CN"


def phone_normalise(raw: str, *, region: str = PHONE_REGION) -> str:
    """A mobile number in E.164 (+8613812345678); numbers without a country code are Chinese.

    The one rule for every number we text (profiles, imports, sign-in by SMS code): it must be
    a valid mobile number. Raises ValidationFailed on ``phone`` naming what is wrong.
    """
    try:
        number = phonenumbers.parse((raw or "").strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationFailed(
            {"phone": [_("Enter a valid mobile number, e.g. 13812345678 or +85291234567.")]}
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationFailed(
            {"phone": [_("This is not a mobile number: texts cannot reach it.")]}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
