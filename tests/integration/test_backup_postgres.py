"""On PostgreSQL: `make backup` (pg_dump) restored by `make restore --into` a fresh database
gives back every row of every table."""

from __future__ import annotations

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from core.backup import database_for, table_row_counts
from tests.concurrency import ON_POSTGRES
from tests.factories import AssignmentFactory

pytestmark = ON_POSTGRES


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    params = {
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
    }
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_pg_dump_backup_restores_into_a_fresh_database(frozen, tmp_path, fresh_database):
    AssignmentFactory.create_batch(3)
    before = table_row_counts(database=database_for())
    assert before["activities_assignment"] == 3
    backup = tmp_path / "volunteers.dump"

    call_command("backup", output=str(backup), verbosity=0)
    assert backup.read_bytes().startswith(b"PGDMP")
    assert backup.stat().st_mode & 0o777 == 0o600
    call_command("restore", str(backup), into=fresh_database, interactive=False, verbosity=0)

    assert table_row_counts(database=database_for(into=fresh_database)) == before


def test_restoring_over_the_live_database_replaces_what_came_after_the_backup(frozen, tmp_path):
    AssignmentFactory.create_batch(2)
    before = table_row_counts(database=database_for())
    backup = tmp_path / "volunteers.dump"
    call_command("backup", output=str(backup), verbosity=0)
    AssignmentFactory.create_batch(2)
    assert table_row_counts(database=database_for())["activities_assignment"] == 4

    call_command("restore", str(backup), interactive=False, verbosity=0)

    assert table_row_counts(database=database_for()) == before
