"""The embedded default: texts are printed, and the outbox keeps the record."""

from __future__ import annotations

import pytest

from notifications import services
from notifications.models import Message
from tests.world import reachable_volunteer

pytestmark = pytest.mark.django_db


def test_the_console_backend_prints_and_records(settings, commit, capsys):
    settings.SMS_BACKEND = "console"
    anna = reachable_volunteer()
    with commit():
        message = services.sms_queue(
            to=anna.phone, body="Reminder: Sewing class", kind="reminder", language="en"
        )
    out = capsys.readouterr().out
    assert f"SMS to {anna.phone}" in out and "Reminder: Sewing class" in out
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.provider_sid.startswith("CO")


SEND_THREE = """
import io
from notifications.sms.console import ConsoleBackend
from notifications.sms.locmem import LocmemBackend
from notifications.sms.base import OutgoingSms
for backend in (ConsoleBackend(stream=io.StringIO()), LocmemBackend()):
    for n in range(3):
        print(backend.send(OutgoingSms(to="+8613800000000", body="Hi", validity_seconds=60)).sid)
"""


def _sids_of_a_fresh_process() -> list[str]:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", SEND_THREE], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_two_processes_never_give_the_same_message_id(settings, commit):
    """Each gunicorn worker sends texts: an id a second process also hands out would be
    refused by the outbox (its provider ids are unique) after the sign-up had committed."""
    settings.SMS_BACKEND = "console"
    here = []
    for _ in range(3):
        anna = reachable_volunteer()
        with commit():
            message = services.sms_queue(to=anna.phone, body="Hi", kind="reminder", language="en")
        message.refresh_from_db()
        assert message.status == Message.Status.SENT
        here.append(message.provider_sid)
    there = _sids_of_a_fresh_process()
    assert len(there) == 6 and len(set(here + there)) == 9
    # The other process's texts are recorded beside ours.
    for sid in there:
        Message.objects.create(
            to="+8613800000000",
            body="Hi",
            kind="reminder",
            language="en",
            status=Message.Status.SENT,
            provider_sid=sid,
        )
    assert Message.objects.filter(status=Message.Status.SENT).count() == 9
