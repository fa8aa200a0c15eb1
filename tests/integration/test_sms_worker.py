"""On PostgreSQL and Redis: a real Celery worker sends the outbox through the real twilio client
to our fake Twilio. Every text arrives once, a task delivered twice sends once, a 500 is retried
by the worker, and a message left ``sending`` by a dead worker is looked up, not sent again."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import Message
from notifications.tasks import sms_send
from tests.celery_worker import tasks_to_broker, worker_running
from tests.concurrency import WITH_WORKER
from tests.fakes.twilio_server import FakeTwilioServer

pytestmark = WITH_WORKER
ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"sms-it-{os.getpid()}"


@pytest.fixture
def fake():
    with FakeTwilioServer() as server:
        yield server


@pytest.fixture
def broker(settings, fake):
    """This process queues to Redis (tests otherwise run tasks in-process), on a queue of its
    own so that nothing else on the broker takes these tasks."""
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = fake.fake.account_sid
    settings.TWILIO_AUTH_TOKEN = fake.fake.auth_token
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_API_BASE_URL = fake.base_url
    with tasks_to_broker(settings, queue=QUEUE):
        yield


@pytest.fixture
def worker(broker, fake, tmp_path):
    env = {
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": fake.fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.fake.auth_token,
        "TWILIO_FROM_NUMBER": "+15005550006",
        "TWILIO_API_BASE_URL": fake.base_url,
        "TWILIO_TIMEOUT_SECONDS": "2",
        "SMS_RETRY_BASE_SECONDS": "1",
        "PUBLIC_BASE_URL": "https://volunteers.example.org",
    }
    with worker_running(
        queue=QUEUE,
        log_path=tmp_path / "worker.log",
        env=env,
        pool=["--pool", "threads", "--concurrency", "4"],
    ) as process:
        yield process


def _wait(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _queue(numbers: list[str]) -> list[int]:
    with transaction.atomic():
        messages = [
            services.sms_queue(
                to=number,
                body=f"Reminder for {number}",
                kind="reminder",
                language="en",
                immediate=True,
            )
            for number in numbers
        ]
    return [m.pk for m in messages]


def _all_sent(ids) -> bool:
    return Message.objects.filter(pk__in=ids, status=Message.Status.SENT).count() == len(ids)


def test_the_worker_sends_each_text_once_even_when_tasks_run_twice(worker, fake):
    numbers = [f"+86139{n:08d}" for n in range(40)]
    ids = _queue(numbers)
    assert _wait(lambda: _all_sent(ids)), "the worker did not send everything"
    for pk in ids:  # every task delivered a second time
        sms_send.delay(pk)
    time.sleep(3)
    counts = fake.fake.per_recipient()
    assert all(counts[n] == 1 for n in numbers)
    assert sum(fake.fake.create_requests.values()) == len(numbers)


def test_the_worker_retries_a_500_with_backoff(worker, fake):
    fake.fake.fail("+8613900000100", "500", times=2)
    [pk] = _queue(["+8613900000100"])
    assert _wait(lambda: _all_sent([pk]))
    message = Message.objects.get(pk=pk)
    assert message.attempts == 3
    assert fake.fake.sent_to("+8613900000100") == 1


def test_a_message_left_sending_by_a_dead_worker_is_found_not_resent(worker, fake):
    [pk] = _queue(["+8613900000200"])
    assert _wait(lambda: _all_sent([pk]))
    sid = Message.objects.get(pk=pk).provider_sid
    # As if the worker had died after Twilio took the text but before the row was updated.
    Message.objects.filter(pk=pk).update(
        status=Message.Status.SENDING,
        provider_sid=None,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert services.outbox_dispatch() == 1
    assert _wait(lambda: _all_sent([pk]))
    assert Message.objects.get(pk=pk).provider_sid == sid
    assert fake.fake.sent_to("+8613900000200") == 1
