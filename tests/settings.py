"""Test settings: the main settings with a few values made fast and strict."""

import os

os.environ.setdefault("SMS_BACKEND", "locmem")
# Production settings (DEBUG off) refuse to start without a key; subprocesses inherit this one.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-anywhere-else-0123456789")
# A fixed key, so that no test writes a key file (tests of the local key use their own paths).
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "mT3kQ0b8b1mJ3Gf6mD0y8uM7xY1r2Q9zN4sV5wX6pA8=")

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS}  # noqa: F405
# Most tests act as a coordinator without a second factor; its own tests turn it on.
SECOND_FACTOR_REQUIRED = False
