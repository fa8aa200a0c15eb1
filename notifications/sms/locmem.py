"""In-memory backend for tests: texts collect in ``outbox``, like Django's locmem mail."""

from __future__ import annotations

import itertools
from datetime import datetime

from .base import OutgoingSms, ProviderMessage, SmsBackend

outbox: list[OutgoingSms] = []
_sids = itertools.count(1)


class LocmemBackend(SmsBackend):
    def send(self, sms: OutgoingSms) -> ProviderMessage:
        outbox.append(sms)
        return ProviderMessage(sid=f"LM{next(_sids):032d}", status="sent")

    def lookup(
        self, *, to: str, body: str, since: datetime, exclude: frozenset[str] = frozenset()
    ) -> ProviderMessage | None:
        return None
