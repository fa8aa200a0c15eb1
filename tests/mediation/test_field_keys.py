"""The keys of the fields encrypted at rest: a local key for the embedded default, made once and
kept outside the database; rotation with a list of keys, the first encrypting."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from config.field_keys import field_keys
from mediation.models import Dispute, Party

from .conftest import NARRATIVE, PARTY_NAMES


def test_a_local_key_is_made_once_readable_by_its_owner_only(tmp_path, capsys):
    path = tmp_path / "field-encryption.key"
    keys, local = field_keys("", local=path)
    assert local and len(keys) == 1
    Fernet(keys[0])  # a valid Fernet key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "made a local key in" in capsys.readouterr().err
    again, _local = field_keys("", local=path)
    assert again == keys
    assert capsys.readouterr().err == ""


def test_keys_from_the_environment_first_one_encrypts():
    keys, local = field_keys(" new , old ", local=None)
    assert keys == ["new", "old"] and not local


def _forget_keys():
    for model in (Dispute, Party):
        for field in model._meta.fields:
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


def _raw_narrative(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM mediation_dispute WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def fresh_keys():
    _forget_keys()
    yield
    _forget_keys()


def test_rotation_reads_old_rows_and_resaving_moves_them_to_the_new_key(
    world, settings, fresh_keys
):
    old = settings.SALT_KEY
    dispute = world.dispute()
    before = _raw_narrative(dispute.pk)
    new = Fernet.generate_key().decode()
    settings.SALT_KEY = [new, *old]
    _forget_keys()
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.narrative == NARRATIVE
    dispute.save()
    after = _raw_narrative(dispute.pk)
    assert after != before and NARRATIVE not in after
    settings.SALT_KEY = [new]
    _forget_keys()
    assert Dispute.objects.get(pk=dispute.pk).narrative == NARRATIVE
    # A party row not yet re-saved is unreadable without the old key: it comes back as the
    # stored token, never as someone else's plaintext.
    assert Party.objects.filter(dispute=dispute).first().name not in PARTY_NAMES
