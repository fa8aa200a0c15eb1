"""Console backend, the embedded default: prints each text; the outbox table keeps the record.

Ids are random (uuid4), never a count kept by the process: every web and worker process sends,
and the outbox holds each id once."""

from __future__ import annotations

import sys
import threading
import uuid

from .base import OutgoingSms, ProviderMessage, SmsBackend

_lock = threading.Lock()


class ConsoleBackend(SmsBackend):
    def __init__(self, stream=None) -> None:
        self.stream = stream

    def send(self, sms: OutgoingSms) -> ProviderMessage:
        stream = self.stream or sys.stdout
        with _lock:
            stream.write(f"--- SMS to {sms.to} (#{sms.message_id}) ---\n{sms.body}\n---\n")
            stream.flush()
        return ProviderMessage(sid=f"CO{uuid.uuid4().hex}", status="sent")
