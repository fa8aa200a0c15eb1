"""On the embedded default (a SQLite file), concurrent sign-ups are serialised by
``BEGIN IMMEDIATE``: seats are never over-filled and one person gets at most one of several
overlapping slots. Runs in a separate process, since the test database lives in memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the SQLite default only"
)
def test_concurrent_signups_on_a_sqlite_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(
        SQLITE_PATH=str(tmp_path / "race.sqlite3"),
        DJANGO_SETTINGS_MODULE="config.settings",
        SMS_BACKEND="locmem",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
    )
    done = subprocess.run(
        [sys.executable, str(HERE / "sqlite_race.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["mode"] == "IMMEDIATE"
    assert result["confirmed"] == 5
    assert result["waitlisted"] == 24 - 5
    assert result["one_confirmed"] == 1
    assert result["codes"] == ["overlap"] * 5
