"""Writing emails to the outbox, and sending them.

``email_queue`` writes the row inside the caller's transaction and hands it to the send task
after commit, as ``sms_queue`` does for texts: a change that rolls back sends nothing, and a
change that commits has its email on record even when the task cannot be queued. ``email_send``
re-reads the row under a lock and takes a lease on it before the mail server is called, so a
task delivered twice sends once. A server that is unreachable or busy is tried again later
(``email_outbox_dispatch``, every minute); an address it refuses is not.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.tasks import enqueue_each, enqueue_many_on_commit, enqueue_on_commit

from ..calendar import (
    CalendarEvent,
    event_from_data,
    event_to_data,
    invitation_bytes,
    invitation_message,
)
from ..errors import HAND_OVER_PREFIX
from ..models import Email
from .sms import backoff_seconds

log = logging.getLogger(__name__)

EMAIL_SEND = "notifications.email_send"
MAX_ATTEMPTS = 8
# Worth another try later: the server was unreachable, busy, or hung up.
TEMPORARY_ERRORS = (
    OSError,  # refused, reset, timed out, no route (smtplib's connection errors are among them)
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


def email_queue(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    language: str,
    user=None,
    ics: str = "",
    event: CalendarEvent | None = None,
    method: str = "",
) -> Email:
    """Write one email to the outbox and send it after commit. ``ics`` (or ``event``, whose
    iCalendar text is written when the email is sent, out of the request) and ``method`` make it
    a calendar invitation (``notifications.calendar.invitation_message``)."""
    email = Email.objects.create(
        to=to,
        subject=subject[:300],
        body=body,
        kind=kind,
        language=language,
        user=user,
        ics=ics,
        event=event_to_data(event) if event is not None else None,
        method=method,
    )
    enqueue_on_commit(EMAIL_SEND, email.pk, on_error=partial(email_hand_over_failed, email.pk))
    return email


def email_queue_many(emails: list[dict]) -> list[Email]:
    """``email_queue`` for many emails at once (each a dict of its arguments): the rows in one
    insert, handed to the broker as one message that a worker fans out."""
    rows = Email.objects.bulk_create([_row(**fields) for fields in emails])
    enqueue_many_on_commit(
        EMAIL_SEND,
        [((email.pk,), {}) for email in rows],
        on_error=partial(_hand_over_many_failed, [email.pk for email in rows]),
    )
    return rows


def _row(*, subject: str, event: CalendarEvent | None = None, **fields) -> Email:
    return Email(
        subject=subject[:300],
        event=event_to_data(event) if event is not None else None,
        **fields,
    )


def _hand_over_many_failed(email_ids: list[int], error: Exception) -> None:
    for email_id in email_ids:
        email_hand_over_failed(email_id, error)


def email_hand_over_failed(email_id: int, error: Exception) -> None:
    """The send task could not be queued, or raised in this process: the row says so, and the
    sweep sends it."""
    text = f"{HAND_OVER_PREFIX}{type(error).__name__}: {error}"
    try:
        Email.objects.filter(
            pk=email_id, status__in=[Email.Status.QUEUED, Email.Status.SENDING]
        ).update(error_message=text[:300], updated_at=timezone.now())
    except Exception:  # the database is what failed: the log has it
        log.exception("email %s: could not record that it was not handed over", email_id)


def _message(email: Email):
    if email.ics:
        return invitation_message(
            to=[email.to],
            subject=email.subject,
            body=email.body,
            ics=email.ics,
            method=email.method,
        )
    return EmailMessage(subject=email.subject, body=email.body, to=[email.to])


def email_send(*, email_id: int) -> float | None:
    """Send one outbox email at most once per attempt. Returns seconds to wait before another
    attempt when the server failed for a while, else None."""
    now = timezone.now()
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return None
        if email.status == Email.Status.SENDING:
            if email.lease_until and email.lease_until > now:
                return None  # another attempt is on it right now
        elif email.status != Email.Status.QUEUED:
            return None
        if email.event is not None and not email.ics:
            # Composed here rather than in the request that queued it: the entry as it was
            # then (its UID, sequence and content), kept on the row with what is sent.
            email.ics = invitation_bytes(event_from_data(email.event), method=email.method).decode(
                "utf-8"
            )
        email.status = Email.Status.SENDING
        email.attempts += 1
        email.last_attempt_at = now
        email.lease_until = now + timedelta(seconds=settings.SMS_LEASE_SECONDS)
        email.save()
    try:
        _message(email).send()
    except TEMPORARY_ERRORS as error:
        return _attempt_failed(email.pk, error, permanent=False)
    except smtplib.SMTPException as error:  # refused recipient or sender, message rejected
        return _attempt_failed(email.pk, error, permanent=True)
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENT,
        sent_at=timezone.now(),
        lease_until=None,
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    return None


def _attempt_failed(email_id: int, error: Exception, *, permanent: bool) -> float | None:
    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=email_id)
        email.error_message = f"{type(error).__name__}: {error}"[:300]
        email.lease_until = None
        retry_in = None
        if permanent or email.attempts >= MAX_ATTEMPTS:
            email.status = Email.Status.FAILED
            email.next_attempt_at = None
        else:
            retry_in = backoff_seconds(email.attempts)
            email.status = Email.Status.QUEUED
            email.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        email.save()
    log.warning("email %s to %s attempt %s failed: %s", email_id, email.to, email.attempts, error)
    return retry_in


def email_outbox_dispatch() -> int:
    """Hand over what is due and has no task on its way: emails whose task was never queued or
    was lost, retries whose time has come, and attempts whose lease ran out."""
    now = timezone.now()
    grace = now - timedelta(seconds=30)
    due = Email.objects.filter(
        # A task (or its retry) may be on its way for 30 s more: it is given the time.
        Q(status=Email.Status.QUEUED)
        & (Q(next_attempt_at__isnull=True, created_at__lte=grace) | Q(next_attempt_at__lte=grace))
        | Q(status=Email.Status.SENDING, lease_until__lt=now)
    ).values_list("pk", flat=True)
    return enqueue_each(EMAIL_SEND, due, what="email", on_error=email_hand_over_failed)
