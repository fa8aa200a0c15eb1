"""SMS backends behind one small interface, chosen by the ``SMS_BACKEND`` setting."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import OutgoingSms, ProviderMessage, SmsBackend, SmsError

BACKENDS = {
    "console": "notifications.sms.console.ConsoleBackend",
    "locmem": "notifications.sms.locmem.LocmemBackend",
    "twilio": "notifications.sms.twilio.TwilioBackend",
}

__all__ = ["OutgoingSms", "ProviderMessage", "SmsBackend", "SmsError", "backend_get"]


def backend_get() -> SmsBackend:
    """The configured backend. One per process and configuration, so that the Twilio client's
    HTTP connections are reused between messages."""
    return _backend(
        settings.SMS_BACKEND,
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_API_BASE_URL,
        settings.TWILIO_FROM_NUMBER,
        settings.TWILIO_MESSAGING_SERVICE_SID,
        str(settings.TWILIO_TIMEOUT_SECONDS),
    )


@lru_cache(maxsize=4)
def _backend(name: str, *_config: str) -> SmsBackend:
    return import_string(BACKENDS[name])()
