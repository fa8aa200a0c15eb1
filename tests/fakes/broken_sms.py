"""An SMS backend with a bug: ``send`` raises something that is not an ``SmsError``, the way a
defect in a backend or in the code around it would, after the row went to ``sending``."""

from __future__ import annotations

from notifications.sms import OutgoingSms, ProviderMessage, SmsBackend


class BrokenBackend(SmsBackend):
    def send(self, sms: OutgoingSms) -> ProviderMessage:
        raise RuntimeError("the SMS backend crashed")
