"""Write a backup of the database: ``make backup``.

SQLite (the embedded default) through SQLite's online backup API, safe while the site runs;
PostgreSQL (``DATABASE_URL``) through ``pg_dump --format=custom``. ``restore`` reads either back.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup_create, backup_file_name, database_for


class Command(BaseCommand):
    help = "Back up the database into BACKUP_DIR (or --output FILE) and print the file's path."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", help="The file to write (default: BACKUP_DIR/volunteers-<time>.<ext>)."
        )
        parser.add_argument("--database", default="default", help="Django database alias.")

    def handle(self, *args, output: str | None = None, database: str = "default", **options):
        db = database_for(using=database)
        if output:
            path = Path(output)
        else:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            path = Path(settings.BACKUP_DIR) / backup_file_name(vendor=db.vendor, stamp=stamp)
        try:
            written = backup_create(database=db, path=path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(written))
        if options["verbosity"] > 0:
            self.stderr.write(
                "The field-encryption key is not in the backup: keep FIELD_ENCRYPTION_KEY (or "
                "the key file) safe apart from it, or the encrypted fields cannot be read."
            )
