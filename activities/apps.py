from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and shifts")

    def ready(self) -> None:
        # Registered with Celery in every process: services queue them by name.
        from . import replies, tasks  # noqa: F401

        # SMS answers (Y/N) to shift questions and backfill offers are routed here.
        replies.register()
