"""The Twilio backend: the real twilio client against our fake Twilio server on loopback."""

from __future__ import annotations

import pytest

from notifications import services
from notifications.models import Message, OptOut
from tests.world import reachable_volunteer

pytestmark = pytest.mark.django_db


def _queue(profile, commit, *, body="Reminder: Sewing class", **kwargs) -> Message:
    with commit():
        message = services.sms_queue(
            to=profile.phone, body=body, kind="reminder", language="en", **kwargs
        )
    message.refresh_from_db()
    return message


def test_a_text_goes_through_twilio_with_validity_and_callback(twilio, commit):
    anna = reachable_volunteer()
    message = _queue(anna, commit)
    assert message.status == Message.Status.SENT
    sent = twilio.last(anna.phone)
    assert message.provider_sid == sent["sid"]
    assert sent["body"] == "Reminder: Sewing class"
    assert sent["from"] == "+15005550006"
    assert 1 <= sent["validity_period"] <= 36000
    assert sent["status_callback"] == "https://volunteers.example.org/webhooks/twilio/status/"


def test_messaging_service_sid_is_used_when_set(twilio, commit, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    anna = reachable_volunteer()
    _queue(anna, commit)
    sent = twilio.last(anna.phone)
    assert sent["messaging_service_sid"] == "MG" + "1" * 32 and sent["from"] is None


def test_a_task_run_twice_sends_once(twilio, commit):
    anna = reachable_volunteer()
    message = _queue(anna, commit)
    services.message_send(message_id=message.pk)
    from notifications.tasks import sms_send

    sms_send.delay(message.pk)
    assert twilio.sent_to(anna.phone) == 1
    assert twilio.create_requests[anna.phone] == 1


@pytest.mark.parametrize("mode", ["429", "500"])
def test_temporary_errors_are_retried_then_succeed(twilio, commit, mode):
    anna = reachable_volunteer()
    twilio.fail(anna.phone, mode, times=2)
    message = _queue(anna, commit)
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert twilio.create_requests[anna.phone] == 3
    assert twilio.sent_to(anna.phone) == 1


def test_a_timeout_after_twilio_accepted_is_looked_up_not_sent_again(twilio, commit):
    anna = reachable_volunteer()
    twilio.fail(anna.phone, "timeout")
    message = _queue(anna, commit)
    # The first attempt timed out although Twilio had taken the text; the retry found it.
    assert message.status == Message.Status.SENT
    assert twilio.create_requests[anna.phone] == 1
    assert twilio.sent_to(anna.phone) == 1
    assert message.provider_sid == twilio.last(anna.phone)["sid"]


def test_a_500_that_did_not_send_is_sent_after_the_lookup_finds_nothing(twilio, commit):
    anna = reachable_volunteer()
    twilio.fail(anna.phone, "500")
    message = _queue(anna, commit)
    assert message.status == Message.Status.SENT and message.attempts == 2
    assert twilio.sent_to(anna.phone) == 1


def test_retries_stop_at_the_limit(twilio, commit, settings):
    settings.SMS_MAX_ATTEMPTS = 3
    anna = reachable_volunteer()
    twilio.fail(anna.phone, "429", times=5)
    message = _queue(anna, commit)
    assert message.status == Message.Status.FAILED
    assert message.attempts == 3 and message.error_code == 20429
    assert twilio.sent_to(anna.phone) == 0


def test_an_invalid_number_fails_at_once(twilio, commit, client):
    anna = reachable_volunteer()
    twilio.fail(anna.phone, "21211")
    message = _queue(anna, commit)
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1 and message.error_code == 21211
    assert twilio.create_requests[anna.phone] == 1


def test_an_opted_out_recipient_fails_at_once_and_is_recorded(twilio, commit):
    anna = reachable_volunteer()
    twilio.fail(anna.phone, "21610")
    message = _queue(anna, commit)
    assert message.status == Message.Status.FAILED and message.error_code == 21610
    assert OptOut.objects.filter(phone=anna.phone, source=OptOut.Source.PROVIDER).exists()
    # Nothing more goes to her.
    later = _queue(anna, commit, body="Another")
    assert later.status == Message.Status.SUPPRESSED
    assert twilio.create_requests[anna.phone] == 1


def test_a_worker_killed_mid_call_is_resumed_by_lookup(twilio, commit):
    """The row says ``sending`` with an expired lease: the provider had the text already."""
    from datetime import timedelta

    from django.utils import timezone

    anna = reachable_volunteer()
    message = _queue(anna, commit)
    sid = message.provider_sid
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING,
        provider_sid=None,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert services.outbox_dispatch() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.provider_sid == sid
    assert twilio.sent_to(anna.phone) == 1


def test_backoff_grows_with_jitter(settings):
    settings.SMS_RETRY_BASE_SECONDS = 10
    settings.SMS_RETRY_MAX_SECONDS = 60
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        delays = {services.backoff_seconds(attempt) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1
    assert services.backoff_seconds(1, retry_after=90) == 90


def test_the_lookup_does_not_take_another_text_with_the_same_words(twilio, commit):
    anna = reachable_volunteer()
    first = _queue(anna, commit, body="Same words")
    twilio.fail(anna.phone, "500")
    second = _queue(anna, commit, body="Same words")
    assert second.status == Message.Status.SENT
    assert second.provider_sid != first.provider_sid
    assert twilio.sent_to(anna.phone) == 2
