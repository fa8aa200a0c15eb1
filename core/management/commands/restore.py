"""Restore a backup written by ``backup``: ``make restore FILE=…``.

It replaces the data of the configured database (or of ``--into``: another SQLite file, or
another database on the same PostgreSQL server, which must exist). Stop the site first.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore, database_for


class Command(BaseCommand):
    help = "Replace the database's data with a backup written by `manage.py backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The backup file.")
        parser.add_argument(
            "--into",
            help="Restore into this SQLite file or PostgreSQL database instead of the "
            "configured one (to look at a backup without touching the live data).",
        )
        parser.add_argument("--database", default="default", help="Django database alias.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file: str, into: str | None = None, database: str = "default", **opts):
        db = database_for(using=database, into=into)
        if opts["interactive"]:
            answer = input(
                f"This replaces every row of the {db.vendor} database {db.name} with {file}.\n"
                "Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup_restore(database=db, path=Path(file), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {file} into {db.name}.")
