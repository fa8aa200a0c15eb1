from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """The Django side of the matcher. The engine (``matching.engine``) imports no Django."""

    name = "matching"
    label = "matching"
    verbose_name = _("Matcher")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered with Celery in every process: services queue them by name.
        from . import tasks  # noqa: F401
