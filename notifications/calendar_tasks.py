"""Sending calendar invitations by email, after the change that caused them has committed.

The message is composed by the caller inside its transaction (so it describes that change, in
the person's language) and handed over as plain values; the task only sends it. A mail server
that is down for a while is tried again later; a refused address is not.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from .calendar import invitation_message

logger = logging.getLogger(__name__)

# Worth another try later: the server was unreachable, busy or timed out.
TEMPORARY_ERRORS = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)
MAX_RETRIES = 8


@shared_task(bind=True, name="notifications.calendar_invitation_send", max_retries=MAX_RETRIES)
def calendar_invitation_send(
    self, *, to: str, subject: str, body: str, ics: str, method: str
) -> None:
    message = invitation_message(to=[to], subject=subject, body=body, ics=ics, method=method)
    try:
        message.send()
    except TEMPORARY_ERRORS as exc:
        if self.request.is_eager:
            # In-process (no broker) the sender is the request that made the change, which has
            # committed already: the person must not see an error page because mail is down.
            logger.warning("calendar invitation to %s not sent: %s", to, exc)
            return
        raise self.retry(exc=exc, countdown=min(3600, 30 * 2**self.request.retries)) from exc
