"""The invitation task: found by the workers, and sending what it was handed."""

from __future__ import annotations

import socket

from django.core import mail

from config.celery import app
from notifications.calendar_tasks import calendar_invitation_send


def test_workers_find_the_task():
    app.loader.import_default_modules()
    assert "notifications.calendar_invitation_send" in app.tasks


def test_the_task_sends_the_invitation_it_was_handed():
    ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    calendar_invitation_send.delay(
        to="li.na@example.org", subject="取消", body="正文", ics=ics, method="CANCEL"
    )
    [message] = mail.outbox
    assert message.to == ["li.na@example.org"]
    assert message.alternatives[0].mimetype == "text/calendar; method=CANCEL"
    assert message.attachments[0].filename == "cancel.ics"


def test_a_mail_server_that_is_down_does_not_break_the_change_that_sent_it(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_TIMEOUT = 2
    calendar_invitation_send.delay(
        to="li.na@example.org", subject="s", body="b", ics="BEGIN:VCALENDAR\r\n", method="REQUEST"
    )
    assert "calendar invitation to li.na@example.org not sent" in caplog.text
