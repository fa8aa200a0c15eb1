"""Names, numbers, narratives and notes are encrypted at rest: the raw database holds none of
them, in any table (the audit log included), while the pages still show them."""

from __future__ import annotations

import os
import sqlite3

import pytest
from django.db import connection

from .conftest import NARRATIVE, PARTY_NAMES, api_for
from .plaintext import secrets_of, sensitive_case


def _contains(raw: bytes, secret: str) -> bool:
    return secret.encode("utf-8") in raw or secret.encode("utf-16-le") in raw


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file of the default")
def test_raw_sqlite_file_holds_no_plaintext(world, tmp_path):
    dispute = sensitive_case(world)
    # The pages still read them back.
    body = api_for(world.lead).get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert body["narrative"] == NARRATIVE
    assert {p["name"] for p in body["parties"]} == set(PARTY_NAMES)
    connection.ensure_connection()
    path = tmp_path / "copy.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    raw = path.read_bytes()
    assert dispute.reference.encode() in raw  # the copy is the real database
    for secret in secrets_of():
        assert not _contains(raw, secret), secret


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL"
)
def test_postgresql_tables_hold_no_plaintext(world):
    dispute = sensitive_case(world)
    tables = [
        "mediation_dispute",
        "mediation_party",
        "mediation_visit",
        "mediation_escalation",
        "auditlog_logentry",
    ]
    with connection.cursor() as cursor:
        dumps = []
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608 - fixed names
            dumps.extend(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT narrative FROM mediation_dispute WHERE id = %s", [dispute.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAAA")  # a Fernet token
    text = "\n".join(dumps)
    assert dispute.reference in text
    for secret in secrets_of():
        assert secret not in text, secret
