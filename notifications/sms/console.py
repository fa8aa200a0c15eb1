"""Console backend, the embedded default: prints each text; the outbox table keeps the record."""

from __future__ import annotations

import itertools
import sys
import threading

from .base import OutgoingSms, ProviderMessage, SmsBackend

_sids = itertools.count(1)
_lock = threading.Lock()


class ConsoleBackend(SmsBackend):
    def __init__(self, stream=None) -> None:
        self.stream = stream

    def send(self, sms: OutgoingSms) -> ProviderMessage:
        stream = self.stream or sys.stdout
        with _lock:
            stream.write(f"--- SMS to {sms.to} (#{sms.message_id}) ---\n{sms.body}\n---\n")
            stream.flush()
        return ProviderMessage(sid=f"CO{next(_sids):032d}", status="sent")
