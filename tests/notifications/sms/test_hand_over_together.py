"""With a broker, a sign-up's text and invitation are handed over together after commit: one
message, which a worker fans out into a send task each. What rolled back is not handed over;
a batch the broker refuses leaves every row saying so, for the sweeps."""

from __future__ import annotations

import pytest
from django.db import transaction

from activities.models import Assignment
from config.celery import app as celery_app
from core import tasks as core_tasks
from core.tasks import FAN_OUT_EACH, enqueue_on_commit, fan_out_each, hand_overs_together
from notifications.models import Email, Message
from tests.world import make_slot, reachable_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """Tasks go to a broker (recorded here, one list entry per message) instead of running."""
    sent: list[tuple[str, list, dict]] = []

    class Recorder:
        def __init__(self, name: str):
            self.name = name

        def apply_async(self, args=None, kwargs=None, eta=None):
            sent.append((self.name, list(args or []), dict(kwargs or {})))

    monkeypatch.setattr(core_tasks, "task_get", Recorder)
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield sent
    finally:
        celery_app.conf.task_always_eager = saved


def test_a_sign_up_hands_its_text_and_invitation_over_in_one_message(
    broker, api_for, django_capture_on_commit_callbacks
):
    slot, _role = make_slot(needed=1)
    her = reachable_volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(her.user).post(f"/api/v1/slots/{slot.pk}/signup/", {}, format="json")
    assert response.status_code == 201
    text = Message.objects.get(user=her.user, kind="confirmed")
    invitation = Email.objects.get(user=her.user, kind="calendar_invitation")
    assert broker == [
        (
            FAN_OUT_EACH,
            [
                [
                    ["notifications.sms_send", [text.pk], {}, None],
                    ["notifications.email_send", [invitation.pk], {}, None],
                ]
            ],
            {},
        )
    ]

    # The worker queues each as its own task, with its own retries.
    (_name, args, _kwargs) = broker.pop()
    assert fan_out_each(*args) == 2
    assert broker == [
        ("notifications.sms_send", [text.pk], {}),
        ("notifications.email_send", [invitation.pk], {}),
    ]


def test_what_rolled_back_is_not_handed_over(broker, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        hand_overs_together(),
    ):
        enqueue_on_commit("notifications.sms_send", 1)
        try:
            with transaction.atomic():
                enqueue_on_commit("notifications.sms_send", 2)
                raise RuntimeError("the change is refused")
        except RuntimeError:
            pass
        enqueue_on_commit("notifications.sms_send", 3)
    assert broker == [
        (
            FAN_OUT_EACH,
            [
                [
                    ["notifications.sms_send", [1], {}, None],
                    ["notifications.sms_send", [3], {}, None],
                ]
            ],
            {},
        )
    ]


def test_a_lone_task_goes_as_itself(broker, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        hand_overs_together(),
    ):
        enqueue_on_commit("notifications.sms_send", 1)
    assert broker == [("notifications.sms_send", [1], {})]


def test_a_batch_the_broker_refuses_leaves_each_row_saying_so(
    broker, api_for, django_capture_on_commit_callbacks, monkeypatch
):
    slot, _role = make_slot(needed=1)
    her = reachable_volunteer()
    # From now on the broker refuses everything.
    monkeypatch.setattr(core_tasks, "task_get", Refusing)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(her.user).post(f"/api/v1/slots/{slot.pk}/signup/", {}, format="json")
    assert response.status_code == 201
    assert Assignment.objects.get(volunteer=her).status == Assignment.Status.CONFIRMED
    text = Message.objects.get(user=her.user, kind="confirmed")
    invitation = Email.objects.get(user=her.user, kind="calendar_invitation")
    assert (text.status, invitation.status) == ("queued", "queued")
    assert text.error_message == "hand-over: ConnectionError: the broker is down"
    assert invitation.error_message == "hand-over: ConnectionError: the broker is down"


class Refusing:
    def __init__(self, name: str):
        self.name = name

    def apply_async(self, *args, **kwargs):
        raise ConnectionError("the broker is down")
