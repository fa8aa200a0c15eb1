"""In-memory backend for tests: texts collect in ``outbox``, like Django's locmem mail."""

from __future__ import annotations

import uuid
from datetime import datetime

from .base import OutgoingSms, ProviderMessage, SmsBackend

outbox: list[OutgoingSms] = []


class LocmemBackend(SmsBackend):
    def send(self, sms: OutgoingSms) -> ProviderMessage:
        outbox.append(sms)
        return ProviderMessage(sid=f"LM{uuid.uuid4().hex}", status="sent")

    def lookup(
        self, *, to: str, body: str, since: datetime, exclude: frozenset[str] = frozenset()
    ) -> ProviderMessage | None:
        return None
