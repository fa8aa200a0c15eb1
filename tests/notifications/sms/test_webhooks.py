"""Twilio's callbacks: signed or refused, repeated harmlessly, never moving a status back."""

from __future__ import annotations

import pytest

from notifications import services
from notifications.models import InboundMessage, Message, OptOut, WebhookToken
from tests.world import reachable_volunteer

pytestmark = pytest.mark.django_db
STATUS = "/webhooks/twilio/status/"
INBOUND = "/webhooks/twilio/inbound/"


@pytest.fixture
def sent(twilio, commit):
    anna = reachable_volunteer()
    with commit():
        message = services.sms_queue(to=anna.phone, body="Hello", kind="reminder", language="en")
    message.refresh_from_db()
    return message


def _post(client, callback, *, path=STATUS):
    headers = {
        "HTTP_X_TWILIO_SIGNATURE": callback.headers["X-Twilio-Signature"],
        "HTTP_I_TWILIO_IDEMPOTENCY_TOKEN": callback.headers["I-Twilio-Idempotency-Token"],
    }
    return client.post(path, callback.params, **headers)


def test_a_signed_delivery_callback_marks_the_text_delivered(twilio, sent, client):
    response = _post(client, twilio.status_callback(sent.provider_sid, "delivered"))
    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED and sent.delivered_at is not None


def test_a_bad_signature_is_refused_and_changes_nothing(twilio, sent, client):
    callback = twilio.status_callback(sent.provider_sid, "delivered")
    callback.headers["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl"
    assert _post(client, callback).status_code == 403
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT
    assert not WebhookToken.objects.exists()


def test_a_missing_signature_is_refused(twilio, sent, client):
    callback = twilio.status_callback(sent.provider_sid, "delivered")
    response = client.post(STATUS, callback.params)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT


def test_a_signature_for_another_url_is_refused(twilio, sent, client):
    callback = twilio.status_callback(sent.provider_sid, "delivered")
    forged = twilio.signed("https://elsewhere.example.org" + STATUS, callback.params)
    assert _post(client, forged).status_code == 403


def test_an_inbound_reply_with_a_bad_signature_is_refused(twilio, client):
    anna = reachable_volunteer()
    callback = twilio.inbound(
        "https://volunteers.example.org" + INBOUND, from_=anna.phone, body="STOP"
    )
    callback.headers["X-Twilio-Signature"] = "AAAA"
    assert _post(client, callback, path=INBOUND).status_code == 403
    assert not OptOut.objects.exists() and not InboundMessage.objects.exists()


def test_a_repeated_callback_is_harmless(twilio, sent, client):
    callback = twilio.status_callback(sent.provider_sid, "undelivered", error_code=30003)
    assert _post(client, callback).status_code == 204
    Message.objects.filter(pk=sent.pk).update(error_code=None)
    assert _post(client, callback).status_code == 204
    sent.refresh_from_db()
    assert sent.status == Message.Status.UNDELIVERED
    assert sent.error_code is None  # the repeat was recognised and not applied again
    assert WebhookToken.objects.count() == 1


def test_status_never_moves_backwards(twilio, sent, client):
    _post(client, twilio.status_callback(sent.provider_sid, "delivered"))
    _post(client, twilio.status_callback(sent.provider_sid, "sent"))
    _post(client, twilio.status_callback(sent.provider_sid, "queued"))
    sent.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED


def test_an_undelivered_callback_keeps_the_error_code(twilio, sent, client):
    _post(client, twilio.status_callback(sent.provider_sid, "undelivered", error_code=30005))
    sent.refresh_from_db()
    assert sent.status == Message.Status.UNDELIVERED and sent.error_code == 30005


def test_an_inbound_reply_is_recorded_once(twilio, client, commit):
    anna = reachable_volunteer()
    callback = twilio.inbound(
        "https://volunteers.example.org" + INBOUND, from_=anna.phone, body="HELP"
    )
    with commit():
        response = _post(client, callback, path=INBOUND)
    assert response.status_code == 200 and b"<Response>" in response.content
    callback.headers["I-Twilio-Idempotency-Token"] = "another-delivery"
    with commit():
        _post(client, callback, path=INBOUND)
    assert InboundMessage.objects.count() == 1
    assert Message.objects.filter(to=anna.phone, kind="reply_help").count() == 1
