"""With an https PUBLIC_BASE_URL, plain http is redirected and HSTS is on, without anyone having
to remember two more variables; with http (a development machine) both stay off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
READ = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE]))
"""


def _read(**env: str) -> list:
    names = ("PUBLIC_BASE_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DEBUG")
    clean = {k: v for k, v in os.environ.items() if k not in names}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", SMS_BACKEND="locmem", **env)
    result = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_turns_on_the_redirect_and_hsts():
    assert _read(PUBLIC_BASE_URL="https://volunteers.example.org") == [True, 31536000, True]


def test_http_leaves_them_off_unless_asked():
    assert _read(PUBLIC_BASE_URL="http://127.0.0.1:8000") == [False, 0, False]
    assert (
        _read(PUBLIC_BASE_URL="https://volunteers.example.org", SECURE_SSL_REDIRECT="no")[0]
        is False
    )
