"""Celery tasks of the outboxes (texts and emails). Thin: an id in, one service call, a retry
when it says so. Their results are not kept: the outbox row is the record, and a sender not
waiting for a result does not subscribe to one in the result store."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    name="notifications.sms_send",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def sms_send(self, message_id: int) -> None:
    """Send one outbox message. The service decides, under a row lock, whether there is
    anything to send, so a task delivered twice sends once."""
    retry_in = services.message_send(message_id=message_id)
    if self.request.is_eager:
        # In-process (no broker): try again at once, up to the attempt limit the service keeps.
        while retry_in is not None:
            retry_in = services.message_send(message_id=message_id)
        return
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="notifications.outbox_dispatch")
def outbox_dispatch() -> int:
    """Every minute (beat): texts whose quiet hours ended, and any whose task was lost."""
    return services.outbox_dispatch()


@shared_task(
    bind=True,
    name="notifications.email_send",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def email_send(self, email_id: int) -> None:
    """Send one outbox email. The service decides, under a row lock, whether there is anything
    to send. In-process (no broker) a failed attempt is not repeated inside the request: the row
    waits for its time and ``email_outbox_dispatch`` sends it."""
    retry_in = services.email_send(email_id=email_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)


@shared_task(name="notifications.email_outbox_dispatch")
def email_outbox_dispatch() -> int:
    """Every minute (beat): emails whose retry is due, and any whose task was lost."""
    return services.email_outbox_dispatch()
