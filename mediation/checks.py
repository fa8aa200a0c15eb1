"""Deployment checks of mediation's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register("mediation", deploy=True)
def local_field_key(app_configs, **kwargs):
    if settings.FIELD_ENCRYPTION_KEY_IS_LOCAL and not settings.DATABASES["default"][
        "ENGINE"
    ].endswith("sqlite3"):
        return [
            Warning(
                "FIELD_ENCRYPTION_KEY is not set: this machine encrypts disputes with a key "
                "of its own, which other machines sharing the database cannot read.",
                hint="Set FIELD_ENCRYPTION_KEY (the same on every machine) and keep a copy.",
                id="mediation.W001",
            )
        ]
    return []
