"""Emails go through the outbox like texts: a row written in the caller's transaction, sent
once after commit, retried while the mail server is down, visible to coordinators."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from notifications.calendar_tasks import calendar_invitation_send
from notifications.models import Email
from notifications.services import email_outbox_dispatch, email_queue, email_send
from tests.factories import CoordinatorFactory
from tests.world import make_volunteer

pytestmark = pytest.mark.django_db

ICS = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"


def invitation(**extra) -> Email:
    values = {
        "to": "li.na@example.org",
        "subject": "取消",
        "body": "正文",
        "ics": ICS,
        "method": "CANCEL",
        "kind": "calendar_invitation",
        "language": "zh-hans",
    }
    return email_queue(**{**values, **extra})


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_TIMEOUT = 2


def test_workers_find_the_tasks():
    app.loader.import_default_modules()
    for name in (
        "notifications.email_send",
        "notifications.email_outbox_dispatch",
        "notifications.calendar_invitation_send",
    ):
        assert name in app.tasks


def test_the_row_is_written_in_the_transaction_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = invitation()
        assert mail.outbox == []
    [message] = mail.outbox
    assert message.to == ["li.na@example.org"]
    assert message.alternatives[0].mimetype == "text/calendar; method=CANCEL"
    assert message.attachments[0].filename == "cancel.ics"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)


def test_a_change_that_rolls_back_leaves_no_email(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invitation()
        raise RuntimeError("the change failed")
    assert not Email.objects.exists()
    assert mail.outbox == []


def test_a_task_delivered_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email = invitation()
    email_send(email_id=email.pk)
    email_send(email_id=email.pk)
    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_leaves_the_email_to_the_sweep(
    mail_server_down, settings, client, django_capture_on_commit_callbacks
):
    her = make_volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        email = invitation(user=her.user)
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)
    assert "Connection refused" in email.error_message or "ConnectionRefused" in email.error_message
    assert email.next_attempt_at > timezone.now()

    coordinator = CoordinatorFactory().user
    client.force_login(coordinator)
    page = client.get(reverse("outbox")).content.decode()
    assert "li.na@example.org" in page and "取消" in page and "Queued" in page

    # Before its time nothing is tried; after it, the server is back and it goes, once.
    assert email_outbox_dispatch() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(email.next_attempt_at + timedelta(seconds=31), tick=False):
        assert email_outbox_dispatch() == 1
        assert email_outbox_dispatch() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_the_email_a_task_never_took_is_sent_by_the_sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invitation()  # committed, but its task was lost
    assert email_outbox_dispatch() == 0  # it may still be on its way
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert email_outbox_dispatch() == 1
    assert len(mail.outbox) == 1


def test_an_invitation_queued_by_the_earlier_version_still_goes_out(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_invitation_send.delay(
            to="li.na@example.org", subject="取消", body="正文", ics=ICS, method="CANCEL"
        )
    assert Email.objects.get().status == "sent"
    assert mail.outbox[0].alternatives[0].mimetype == "text/calendar; method=CANCEL"
