"""What the benchmarks share: a database of their own (the SQLite file ``db``, or the one
``DATABASE_URL`` names), emptied, migrated and seeded in child processes, then Django set up on
it in this process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_database(
    db: str,
    *,
    keep: bool = False,
    seed: list[str] | None = None,
    analyze: bool = False,
    **defaults: str,
) -> None:
    """Point this process at the benchmark's database and set Django up on it.

    ``keep``: use the database as it is (already seeded by an earlier run). Otherwise it is
    emptied, migrated and, when ``seed`` is given, filled by ``seed_demo`` with those arguments;
    ``analyze`` then gives PostgreSQL the planner statistics a production database has.
    ``defaults``: environment variables set unless already set (``DEBUG="yes"``...)."""
    env = os.environ
    postgres = bool(env.get("DATABASE_URL"))
    if not postgres:
        env["SQLITE_PATH"] = db
        env.setdefault("FIELD_ENCRYPTION_KEY_FILE", db + ".key")
    for name, value in {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SMS_BACKEND": "locmem",
        # Settings refuse to start without a key when DEBUG is off (as the benchmarks run).
        "SECRET_KEY": "bench-only-secret-key",
        **defaults,
    }.items():
        env.setdefault(name, value)
    if not keep:
        if not postgres:
            for suffix in ("", "-wal", "-shm"):
                Path(db + suffix).unlink(missing_ok=True)
        _manage("migrate", "--noinput", "-v0")
        if postgres:
            _manage("flush", "--noinput", "-v0")
        if seed is not None:
            began = time.monotonic()
            _manage("seed_demo", *seed, "-v0")
            print(f"seeded in {time.monotonic() - began:.1f} s")
            if analyze and postgres:
                _manage("dbshell", "--", "-c", "ANALYZE")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
