from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Registered with Celery in every process: services queue them by name.
        from . import calendar_tasks, tasks  # noqa: F401
