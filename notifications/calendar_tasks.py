"""The task that carried calendar invitations before they went through the email outbox.

Kept so that invitations still waiting in a broker's queue when this version is deployed are
not lost: each is written to the outbox (``notifications.services.email_queue``), which sends
it. Nothing queues this task any more.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services import email_queue


@shared_task(name="notifications.calendar_invitation_send")
def calendar_invitation_send(*, to: str, subject: str, body: str, ics: str, method: str) -> None:
    email_queue(
        to=to,
        subject=subject,
        body=body,
        ics=ics,
        method=method,
        kind="calendar_invitation",
        language=settings.LANGUAGE_CODE,
    )
