"""Twilio backend: the official client (twilio 9.x) with our settings.

``TWILIO_API_BASE_URL`` points the client at another host (a proxy, or our fake server in
tests). The client builds absolute ``https://api.twilio.com`` URLs itself; Twilio's documented
way to send them elsewhere is a custom HTTP client, which is what ``_BaseUrlHttpClient`` is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .base import OutgoingSms, ProviderMessage, SmsBackend, SmsError

TWILIO_API = "https://api.twilio.com"

# Errors for which sending the same message again cannot succeed.
PERMANENT_CODES = {
    20003,  # authentication refused
    20404,  # resource not found (wrong account or service)
    21211,  # invalid 'To' number
    21408,  # region not enabled
    21606,  # 'From' number cannot send SMS
    21610,  # recipient opted out (replied STOP)
    21612,  # cannot route to this number
    21614,  # not a mobile number
    21617,  # body too long
}
OPTED_OUT = 21610


class _BaseUrlHttpClient(TwilioHttpClient):
    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if self.base_url != TWILIO_API and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


class TwilioBackend(SmsBackend):
    has_callbacks = True

    def __init__(self) -> None:
        http_client = _BaseUrlHttpClient(
            settings.TWILIO_API_BASE_URL, timeout=settings.TWILIO_TIMEOUT_SECONDS
        )
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client
        )

    def _sender(self) -> dict:
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        return {"from_": settings.TWILIO_FROM_NUMBER}

    def send(self, sms: OutgoingSms) -> ProviderMessage:
        options = {}
        if sms.status_callback:
            options["status_callback"] = sms.status_callback
        try:
            message = self.client.messages.create(
                to=sms.to,
                body=sms.body,
                validity_period=sms.validity_seconds,
                **self._sender(),
                **options,
            )
        except TwilioRestException as exc:
            raise _error_from_rest(exc) from exc
        except requests.RequestException as exc:
            raise _error_from_network(exc) from exc
        except TwilioException as exc:
            raise SmsError(str(exc), permanent=False, maybe_sent=True) from exc
        return ProviderMessage(
            sid=message.sid, status=message.status or "queued", error_code=message.error_code
        )

    def lookup(
        self, *, to: str, body: str, since: datetime, exclude: frozenset[str] = frozenset()
    ) -> ProviderMessage | None:
        """The newest messages to that number (Twilio lists newest first); their creation time
        and text pick ours out. Not filtered by DateSent: a text still queued at Twilio has no
        sent date yet, and it is exactly the one that must not go twice."""
        try:
            candidates = self.client.messages.list(to=to, limit=50)
        except requests.RequestException as exc:
            raise _error_from_network(exc) from exc
        except TwilioException as exc:
            # The list could not be read: nothing is known, so the next attempt looks again.
            raise SmsError(str(exc), permanent=False, maybe_sent=True) from exc
        slack = timedelta(minutes=2)
        for message in candidates:
            created = message.date_created
            if (
                message.body == body
                and message.sid not in exclude
                and (created is None or created >= since - slack)
            ):
                return ProviderMessage(
                    sid=message.sid, status=message.status, error_code=message.error_code
                )
        return None


def _error_from_rest(exc: TwilioRestException) -> SmsError:
    status = exc.status or 0
    code = exc.code if isinstance(exc.code, int) else None
    text = exc.msg or str(exc)
    if status == 429:
        return SmsError(text, code=code or 20429, permanent=False)
    if status >= 500:
        return SmsError(text, code=code, permanent=False, maybe_sent=True)
    if code in PERMANENT_CODES or 400 <= status < 500:
        return SmsError(text, code=code, permanent=True)
    return SmsError(text, code=code, permanent=False, maybe_sent=True)


def _error_from_network(exc: requests.RequestException) -> SmsError:
    # A connection that never opened carried nothing; any later failure may have.
    never_connected = isinstance(exc, requests.ConnectTimeout) or (
        isinstance(exc, requests.ConnectionError)
        and "NewConnectionError" in repr(exc.args)
        and not isinstance(exc, requests.ReadTimeout)
    )
    return SmsError(f"{type(exc).__name__}: {exc}", permanent=False, maybe_sent=not never_connected)
