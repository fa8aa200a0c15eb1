"""The interface every SMS backend implements, and the errors it raises.

A backend sends one text and says what became of it. Its errors say whether trying again later
may succeed (``permanent``) and whether the provider may have taken the message anyway
(``maybe_sent``: a timeout or a 5xx after the request went out), in which case the caller looks
the message up before sending it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OutgoingSms:
    to: str
    body: str
    # Seconds the provider may keep trying; after that the text is dropped, not delivered late.
    validity_seconds: int
    # Where the provider reports delivery; empty for backends without callbacks.
    status_callback: str = ""
    # Our outbox id, for logs and the in-memory outbox.
    message_id: int | None = None


@dataclass(frozen=True)
class ProviderMessage:
    sid: str
    status: str
    error_code: int | None = None


class SmsError(Exception):
    """The provider did not take the message.

    ``permanent``: trying again cannot help (invalid number, opted out).
    ``maybe_sent``: the request may have reached the provider (timeout, 5xx).
    ``code``: the provider's error code, when it gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        permanent: bool,
        maybe_sent: bool = False,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.permanent = permanent
        self.maybe_sent = maybe_sent
        self.retry_after = retry_after


class SmsBackend:
    """Send texts. Subclasses implement ``send``; those whose provider can list sent messages
    implement ``lookup`` too."""

    # Whether a status callback will follow a send (else ``sent`` is as far as a message goes).
    has_callbacks = False

    def send(self, sms: OutgoingSms) -> ProviderMessage:
        raise NotImplementedError

    def lookup(
        self, *, to: str, body: str, since: datetime, exclude: frozenset[str] = frozenset()
    ) -> ProviderMessage | None:
        """The message with this text sent to ``to`` since ``since`` whose id is not in
        ``exclude`` (messages of ours already accounted for), or None if there is none.
        Backends that cannot tell return None (nothing was sent by them without knowing it)."""
        return None
