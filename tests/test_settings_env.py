"""Settings read from the environment, in a fresh interpreter per case: a good value is used,
a bad one stops start-up with a message naming the variable, and production passes
``check --deploy`` without a warning."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VARIABLES = [
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "PUBLIC_BASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "REDIS_URL",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SMS_BACKEND",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM_NUMBER",
    "TWILIO_MESSAGING_SERVICE_SID",
    "SQLITE_PATH",
    # Set by the browser tests while their event loop runs; never part of a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]
READ = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
    "port": db.get("PORT"), "user": db.get("USER"), "debug": s.DEBUG,
    "health_checks": db.get("CONN_HEALTH_CHECKS"), "max_age": db.get("CONN_MAX_AGE"),
    "eager": s.CELERY_TASK_ALWAYS_EAGER, "broker": s.CELERY_BROKER_URL,
    "cache": s.CACHES["default"]["BACKEND"],
}))
"""


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    # A development machine unless a case says otherwise (DEBUG off asks for more, below).
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="yes")
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def _settings(**env: str) -> dict:
    result = _run(["-c", READ], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _refused(**env: str) -> str:
    result = _run(["-c", READ], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_embedded_default_is_sqlite_with_tasks_in_process():
    values = _settings(DEBUG="yes")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == ""
    assert values["debug"] is True


def test_with_debug_off_a_missing_secret_key_stops_start_up_by_name():
    message = _refused(SMS_BACKEND="locmem", DEBUG="no")
    assert message.startswith("django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set")
    assert _refused(SMS_BACKEND="locmem", DEBUG="no", SECRET_KEY="")


def test_with_debug_off_the_console_sms_backend_stops_start_up_by_name():
    message = _refused(SECRET_KEY=secrets.token_urlsafe(64), DEBUG="no")
    assert "SMS_BACKEND is console" in message and "sign-in codes" in message
    key = secrets.token_urlsafe(64)
    assert _settings(SECRET_KEY=key, SMS_BACKEND="locmem", DEBUG="no")["debug"] is False


def test_database_url_for_postgres_is_parsed():
    values = _settings(DATABASE_URL="postgres://fed:s3cret@db.internal:6543/volunteers")
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"], values["port"], values["user"]) == (
        "volunteers",
        "db.internal",
        6543,
        "fed",
    )
    # Connections are kept, and checked before reuse: after a database restart the next
    # request reconnects instead of failing on a dead connection (bench/drills.py db-restart).
    assert (values["max_age"], values["health_checks"]) == (60, True)


def test_malformed_database_url_names_the_variable():
    for url in ["://nowhere", "postgres://u:p@host:notaport/db", "postgres://"]:
        assert "DATABASE_URL" in _refused(DATABASE_URL=url), url


def test_unsupported_database_is_refused_by_name():
    message = _refused(DATABASE_URL="mysql://u@h/db")
    assert "DATABASE_URL must point to PostgreSQL" in message


def test_debug_must_be_a_boolean():
    message = _refused(DEBUG="maybe")
    assert "DEBUG='maybe' is not a boolean" in message
    assert _settings(DEBUG="yes")["debug"] is True


def test_broker_makes_tasks_go_to_workers():
    values = _settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/3")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_the_cache_is_redis_whenever_there_is_redis_and_local_memory_otherwise():
    """Rate limits and sign-in codes live in the cache: with Redis every process shares them."""
    redis = "django.core.cache.backends.redis.RedisCache"
    assert _settings(REDIS_URL="redis://127.0.0.1:6379/5")["cache"] == redis
    assert _settings(CELERY_BROKER_URL="amqp://guest@127.0.0.1//")["cache"].endswith("LocMemCache")
    assert _settings()["cache"].endswith("LocMemCache")


SHARE = """
import sys, django
django.setup()
from django.core.cache import cache
if sys.argv[1] == "set":
    cache.set("tests:shared-by-processes", sys.argv[2], 60)
else:
    print(cache.get("tests:shared-by-processes"))
"""


def test_two_processes_share_one_cache_through_redis():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (make integration)")
    token = secrets.token_hex(8)
    assert _run(["-c", SHARE, "set", token], REDIS_URL=url).returncode == 0
    assert _run(["-c", SHARE, "get"], REDIS_URL=url).stdout.strip() == token


def test_bad_sms_backend_is_refused():
    assert "SMS_BACKEND" in _refused(SMS_BACKEND="carrier-pigeon")


def test_production_settings_pass_check_deploy_without_warnings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="no",
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="t" * 32,
        TWILIO_FROM_NUMBER="+15005550006",
        PUBLIC_BASE_URL="https://volunteers.example.org",
        ALLOWED_HOSTS="volunteers.example.org",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_SSL_REDIRECT="yes",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_the_development_defaults():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode != 0
    assert "security.W009" in result.stderr or "security.W009" in result.stdout  # SECRET_KEY
