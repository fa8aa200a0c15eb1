import pytest
from django.core.cache import cache

from notifications.sms import locmem
from tests.fakes.twilio_server import FakeTwilioServer

PUBLIC = "https://volunteers.example.org"


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """The in-memory SMS outbox, empty at the start of each test; quiet hours off unless a test
    sets them, so that sending does not depend on the hour the suite runs."""
    settings.SMS_BACKEND = "locmem"
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"
    locmem.outbox.clear()
    # allauth's rate limits count in the cache: each test starts from nothing.
    cache.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def twilio(settings):
    """The real twilio client against our fake Twilio on loopback."""
    with FakeTwilioServer(timeout_delay=2.0) as server:
        settings.SMS_BACKEND = "twilio"
        settings.TWILIO_ACCOUNT_SID = server.fake.account_sid
        settings.TWILIO_AUTH_TOKEN = server.fake.auth_token
        settings.TWILIO_FROM_NUMBER = "+15005550006"
        settings.TWILIO_MESSAGING_SERVICE_SID = ""
        settings.TWILIO_API_BASE_URL = server.base_url
        settings.TWILIO_TIMEOUT_SECONDS = 1
        settings.SMS_RETRY_BASE_SECONDS = 1
        yield server.fake


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): …`` runs what the block queued for after commit, as a real commit would
    (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
