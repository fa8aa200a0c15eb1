"""After commit, nothing can fail the request: a send task that raises in-process, or a broker
that cannot be reached, leaves the committed sign-up answered, its text in the outbox with the
reason it has not gone, and the sweep sends it once the fault is gone."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from celery import Celery
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from activities.models import Assignment
from config.celery import app as celery_app
from notifications import sms as sms_backends
from notifications.models import Message
from notifications.services import outbox_dispatch
from tests.factories import CoordinatorFactory
from tests.world import make_slot, reachable_volunteer

# Real commits: on-commit callbacks run as they do in production, not captured by the test.
pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


def sign_up(api_for, volunteer, slot):
    return api_for(volunteer.user).post(f"/api/v1/slots/{slot.pk}/signup/", {}, format="json")


@pytest.fixture
def broken_backend(settings, monkeypatch):
    monkeypatch.setitem(sms_backends.BACKENDS, "broken", "tests.fakes.broken_sms.BrokenBackend")
    settings.SMS_BACKEND = "broken"


def test_a_send_task_that_raises_leaves_the_sign_up_answered(
    broken_backend, settings, api_for, client, sms_outbox, caplog
):
    slot, _role = make_slot(needed=1)
    her = reachable_volunteer()
    response = sign_up(api_for, her, slot)
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert Assignment.objects.get(volunteer=her).status == "confirmed"
    (text,) = Message.objects.filter(to=her.phone, kind="confirmed")
    assert text.status != "sent"
    assert "RuntimeError: the SMS backend crashed" in text.error_message
    assert "the SMS backend crashed" in caplog.text

    coordinator = CoordinatorFactory().user
    client.force_login(coordinator)
    page = client.get(reverse("outbox")).content.decode()
    assert "Not handed to the sender yet" in page and "the outbox sweep sends it" in page

    # The backend is mended; once the attempt's lease has run out the sweep sends it, once.
    settings.SMS_BACKEND = "locmem"
    later = timezone.now() + timedelta(seconds=settings.SMS_LEASE_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        assert outbox_dispatch() == 1
        assert outbox_dispatch() == 0
    text.refresh_from_db()
    assert text.status == "sent"
    assert [sms.message_id for sms in sms_outbox] == [text.pk]


@contextmanager
def broker_at(url: str, monkeypatch):
    """Tasks go to a broker (and a result store) at ``url``, through an app configured like
    ours; the app of the suite is put back afterwards."""
    # Celery reads these two from the environment before its configuration (CI exports them).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    app = Celery("volunteers_platform_probe")
    app.config_from_object(django_settings, namespace="CELERY")
    app.conf.update(task_always_eager=False, broker_url=url, result_backend=url)
    app.set_current()
    try:
        yield app
    finally:
        celery_app.set_current()
        app.close()


def test_a_broker_that_is_down_costs_the_sign_up_no_error(
    settings, api_for, sms_outbox, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    slot, _role = make_slot(needed=1)
    her = reachable_volunteer()
    with broker_at(CLOSED_PORT, monkeypatch):
        response = sign_up(api_for, her, slot)
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    (text,) = Message.objects.filter(to=her.phone, kind="confirmed")
    assert text.status == "queued"
    # Why it was not handed over is on the row (the result store's or the broker's refusal,
    # whichever is asked first in this configuration).
    assert text.error_message.startswith("hand-over: ")
    assert not sms_outbox

    # The broker is back (here: tasks in-process again): the sweep sends it, once.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert outbox_dispatch() == 1
        assert outbox_dispatch() == 0
    text.refresh_from_db()
    assert text.status == "sent"
    assert len(sms_outbox) == 1
