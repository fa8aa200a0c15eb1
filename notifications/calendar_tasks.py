"""Sending calendar invitations by email, after the change that caused them has committed.

The message is composed by the caller inside its transaction (so it describes that change) and
handed over as plain values; the task only sends it. Mail servers that are down for a while are
retried; a refused address is not.
"""

from __future__ import annotations

import smtplib

from celery import shared_task

from .calendar import invitation_message

# Worth another try later: the server was unreachable, busy or timed out.
TEMPORARY_ERRORS = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


@shared_task(
    name="notifications.calendar_invitation_send",
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def calendar_invitation_send(*, to: str, subject: str, body: str, ics: str, method: str) -> None:
    invitation_message(to=[to], subject=subject, body=body, ics=ics, method=method).send()
