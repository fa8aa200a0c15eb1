"""`make backup` and `make restore`: a backup restored into an emptied or a fresh database gives
back every row of every table. SQLite through its online backup API here; PostgreSQL through
pg_dump and pg_restore in tests/integration/test_backup_postgres.py."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import Database, backup_create, database_for, table_row_counts
from tests.factories import AssignmentFactory


def _some_rows():
    # Users, profiles, areas, venues, activities, slots, roles and sign-ups.
    AssignmentFactory.create_batch(3)


@pytest.fixture
def on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite default")


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restored_over_an_emptied_database_gives_back_every_row(
    on_sqlite, frozen, tmp_path
):
    _some_rows()
    before = table_row_counts(database=database_for())
    assert before["accounts_user"] >= 3 and before["activities_assignment"] == 3
    backup = tmp_path / "volunteers.sqlite3"

    call_command("backup", output=str(backup), verbosity=0)
    assert backup.stat().st_mode & 0o777 == 0o600  # personal data: the owner's only
    call_command("flush", interactive=False, verbosity=0)
    emptied = table_row_counts(database=database_for())
    assert emptied["accounts_user"] == emptied["activities_assignment"] == 0
    call_command("restore", str(backup), interactive=False, verbosity=0)

    assert table_row_counts(database=database_for()) == before


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_fresh_file(on_sqlite, frozen, tmp_path):
    _some_rows()
    before = table_row_counts(database=database_for())
    backup = tmp_path / "volunteers.sqlite3"
    fresh = tmp_path / "fresh.sqlite3"

    call_command("backup", output=str(backup), verbosity=0)
    call_command("restore", str(backup), into=str(fresh), interactive=False, verbosity=0)

    assert table_row_counts(database=Database("sqlite", {"NAME": str(fresh)})) == before
    assert before["activities_assignment"] == 3


def test_the_backup_holds_commits_still_in_the_write_ahead_log_and_nothing_uncommitted(tmp_path):
    """A file copy of a live WAL database misses the commits not yet checkpointed into the main
    file; the online backup has them, and not what another connection has not committed."""
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE signups (id INTEGER PRIMARY KEY)")
    writer.executemany("INSERT INTO signups (id) VALUES (?)", [(i,) for i in range(50)])
    writer.execute("BEGIN")
    writer.execute("INSERT INTO signups (id) VALUES (999)")  # not committed
    try:
        assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0
        copied = tmp_path / "copy.sqlite3"
        copied.write_bytes(live.read_bytes())
        copy_tables = sqlite3.connect(copied).execute("SELECT name FROM sqlite_master").fetchall()
        assert copy_tables == []  # what a plain file copy would have kept

        backup = backup_create(
            database=Database("sqlite", {"NAME": str(live)}), path=tmp_path / "b.sqlite3"
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    restored = sqlite3.connect(backup)
    assert restored.execute("SELECT count(*), max(id) FROM signups").fetchone() == (50, 49)
    assert not (tmp_path / "b.sqlite3-wal").exists()


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_overwrite_a_file(on_sqlite, tmp_path):
    existing = tmp_path / "volunteers.sqlite3"
    existing.write_text("keep me")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(existing), verbosity=0)
    assert existing.read_text() == "keep me"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_no_backup_and_leaves_the_data(on_sqlite, frozen, tmp_path):
    _some_rows()
    before = table_row_counts(database=database_for())
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")

    with pytest.raises(CommandError, match="not a SQLite backup"):
        call_command("restore", str(not_a_backup), interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing"), interactive=False, verbosity=0)
    assert table_row_counts(database=database_for()) == before


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_stops_on_anything_but_yes(on_sqlite, frozen, tmp_path, monkeypatch):
    _some_rows()
    backup = tmp_path / "volunteers.sqlite3"
    call_command("backup", output=str(backup), verbosity=0)
    AssignmentFactory()
    after = table_row_counts(database=database_for())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup), verbosity=0)
    assert table_row_counts(database=database_for()) == after
