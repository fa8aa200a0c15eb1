"""Backing up and restoring the database, for the embedded default and for PostgreSQL.

SQLite goes through SQLite's online backup API (``sqlite3.Connection.backup``): it copies a
consistent snapshot page by page while the site keeps running, which a file copy of a database
in WAL mode does not (the last commits may still sit in ``db.sqlite3-wal``). PostgreSQL goes
through ``pg_dump --format=custom`` and ``pg_restore``, which must be on the PATH and no older
than the server.

Restoring replaces the data of the database it is pointed at: stop the site (and the periodic
jobs) first. The field-encryption key is never part of a backup; keep it apart (see README).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """The database a backup is taken from or restored into, read from a settings dict."""

    vendor: str  # "sqlite" or "postgresql"
    settings: dict

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


def database_for(*, using: str = "default", into: str | None = None) -> Database:
    """The configured database ``using``, or another one of the same kind: ``into`` is a file
    path for SQLite and a database name on the same server for PostgreSQL."""
    settings = dict(connections[using].settings_dict)
    vendor = connections[using].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    if into:
        settings["NAME"] = into
    return Database(vendor=vendor, settings=settings)


def backup_file_name(*, vendor: str, stamp: str) -> str:
    return f"volunteers-{stamp}.{'sqlite3' if vendor == 'sqlite' else 'dump'}"


def backup_create(*, database: Database, path: Path, using: str = "default") -> Path:
    """Write a backup of ``database`` to ``path`` (which must not exist yet) and return it."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose another file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # Volunteers' names and numbers: readable by the owner only, from the first byte.
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        if database.vendor == "sqlite":
            _sqlite_backup(database=database, path=partial, using=using)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], database)
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def backup_restore(*, database: Database, path: Path, using: str = "default") -> None:
    """Replace the data of ``database`` with the backup at ``path``. For PostgreSQL the database
    must exist (``createdb`` makes an empty one); the restore is one transaction, so a failure
    leaves the database as it was."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if database.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite backup; the database is SQLite.")
        _sqlite_restore(database=database, path=path, using=using)
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{path} is not a pg_dump backup; the database is PostgreSQL.")
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={database.name}",
                str(path),
            ],
            database,
            with_dbname=False,
        )


def table_row_counts(*, database: Database, using: str = "default") -> dict[str, int]:
    """Rows per table: what a restore is checked against."""
    if database.vendor == "sqlite":
        with _sqlite_connect(database, using=using) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    import psycopg

    with psycopg.connect(**_pg_params(database)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


# --- SQLite -------------------------------------------------------------------------------------


@contextmanager
def _sqlite_connect(database: Database, *, using: str = "default") -> Iterator[sqlite3.Connection]:
    """The configured database through Django's own connection (so an in-memory database, or
    one this process holds open, is the same one); another file through a connection of its
    own."""
    wrapper = connections[using]
    if wrapper.settings_dict["NAME"] == database.settings["NAME"]:
        wrapper.ensure_connection()
        yield wrapper.connection
        return
    own = sqlite3.connect(database.name, timeout=20)
    try:
        yield own
    finally:
        own.close()


def _sqlite_backup(*, database: Database, path: Path, using: str) -> None:
    if not _sqlite_is_memory(database.name) and not Path(database.name).is_file():
        raise BackupError(f"{database.name}: no such database file.")
    target = sqlite3.connect(path)
    try:
        with _sqlite_connect(database, using=using) as source:
            # Copies in steps; pages a writer changes meanwhile are copied again, so the file
            # is one consistent snapshot.
            source.backup(target, pages=1024)
        # A backup is a single file that needs nothing beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        ok = target.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        target.close()
    if ok != "ok":
        raise BackupError(f"The backup failed its integrity check: {ok}")


def _sqlite_restore(*, database: Database, path: Path, using: str) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = source.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"{path} is damaged ({ok}): choose another backup.")
        with _sqlite_connect(database, using=using) as target:
            if target.in_transaction:
                raise BackupError("The database is in a transaction: restore from outside it.")
            source.backup(target)
    finally:
        source.close()


def _sqlite_is_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_params(database: Database) -> dict:
    s = database.settings
    params = {"dbname": s["NAME"], "user": s.get("USER") or None}
    params.update(
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        password=s.get("PASSWORD") or None,
    )
    params.update(s.get("OPTIONS") or {})
    return {k: v for k, v in params.items() if v is not None}


def _run(command: list[str], database: Database, *, with_dbname: bool = True) -> None:
    s = database.settings
    env = dict(os.environ)
    # Through the environment, so the password appears in no process list.
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    if with_dbname:
        command = [*command, str(s["NAME"])]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} was not found: install the PostgreSQL client tools "
            "(the version of the server or newer)."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
