"""What the provider and the people tell us back: opt-outs, and delivery status.

A status only moves forward (``Message.RANK``), so callbacks that arrive out of order, or twice,
change nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Message, OptOut, Question

OPTED_OUT_CODE = 21610


def opt_out_record(*, phone: str, source: str, keyword: str = "") -> None:
    if phone:
        OptOut.objects.get_or_create(phone=phone, defaults={"source": source, "keyword": keyword})
        Question.objects.filter(phone=phone, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )


def opt_out_remove(*, phone: str) -> None:
    OptOut.objects.filter(phone=phone).delete()


# Twilio's message statuses, as ours.
PROVIDER_STATUS = {
    "accepted": Message.Status.SENT,
    "scheduled": Message.Status.SENT,
    "queued": Message.Status.SENT,
    "sending": Message.Status.SENT,
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "read": Message.Status.DELIVERED,
    "undelivered": Message.Status.UNDELIVERED,
    "failed": Message.Status.FAILED,
    "canceled": Message.Status.FAILED,
}


def message_status_update(*, sid: str, provider_status: str, error_code: int | None) -> bool:
    """A delivery callback. Returns False for a message we do not know. The status only ever
    moves forward, so callbacks that arrive out of order change nothing."""
    status = PROVIDER_STATUS.get(provider_status)
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(provider_sid=sid).first()
        if message is None:
            return False
        if status is None or Message.RANK[status] <= Message.RANK[message.status]:
            return True
        message.status = status
        message.provider_status = provider_status
        message.lookup_needed = False
        message.lease_until = None
        if status == Message.Status.DELIVERED:
            message.delivered_at = timezone.now()
        if error_code:
            message.error_code = error_code
            message.error_message = ""
        message.save()
        if error_code == OPTED_OUT_CODE:
            opt_out_record(phone=message.to, source=OptOut.Source.PROVIDER)
    return True
