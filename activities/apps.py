from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and shifts")

    def ready(self) -> None:
        # SMS answers (Y/N) to shift questions and backfill offers are routed here.
        from . import sms

        sms.register()
