"""Our fake Twilio speaks Twilio's shapes: the real client creates, lists and fetches messages,
reads its errors, and its signed callbacks reach a live server over HTTP."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifications.models import Message
from notifications.sms.twilio import _BaseUrlHttpClient
from tests.fakes.twilio_server import FakeTwilioServer


@pytest.fixture
def server():
    with FakeTwilioServer() as running:
        yield running


def _client(server) -> Client:
    fake = server.fake
    http: TwilioHttpClient = _BaseUrlHttpClient(server.base_url, timeout=2)
    return Client(fake.account_sid, fake.auth_token, http_client=http)


def test_create_list_and_fetch_with_the_real_client(server):
    client = _client(server)
    created = client.messages.create(to="+8613800000001", from_="+15005550006", body="Hi")
    assert created.sid.startswith("SM") and created.status == "queued"
    assert created.date_created is not None
    [listed] = client.messages.list(to="+8613800000001", limit=20)
    assert listed.sid == created.sid and listed.body == "Hi"
    fetched = client.messages(created.sid).fetch()
    assert fetched.to == "+8613800000001"
    assert client.messages.list(to="+8613800000002", limit=20) == []


def test_errors_come_back_as_twilio_errors(server):
    client = _client(server)
    server.fake.fail("+8613800000003", "21211")
    with pytest.raises(TwilioRestException) as error:
        client.messages.create(to="+8613800000003", from_="+15005550006", body="Hi")
    assert error.value.status == 400 and error.value.code == 21211


def test_wrong_credentials_are_refused(server):
    client = Client(
        server.fake.account_sid, "wrong", http_client=_BaseUrlHttpClient(server.base_url)
    )
    with pytest.raises(TwilioException, match="20003"):
        client.messages.list(limit=1)


@pytest.mark.django_db(transaction=True)
def test_a_signed_callback_over_http_updates_the_outbox(server, live_server, settings):
    settings.TWILIO_AUTH_TOKEN = server.fake.auth_token
    settings.PUBLIC_BASE_URL = "https://volunteers.example.org"
    sid = (
        _client(server)
        .messages.create(
            to="+8613800000004",
            from_="+15005550006",
            body="Hi",
            status_callback="https://volunteers.example.org/webhooks/twilio/status/",
        )
        .sid
    )
    message = Message.objects.create(
        to="+8613800000004",
        body="Hi",
        kind="reminder",
        language="en",
        status="sent",
        provider_sid=sid,
    )
    callback = server.fake.status_callback(sid, "delivered")
    status = server.fake.post(callback, url=live_server.url + "/webhooks/twilio/status/")
    assert status == 204
    message.refresh_from_db()
    assert message.status == "delivered"
    forged = server.fake.status_callback(sid, "failed")
    forged.headers["X-Twilio-Signature"] = "forged"
    assert server.fake.post(forged, url=live_server.url + "/webhooks/twilio/status/") == 403
