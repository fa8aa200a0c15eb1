from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Mediation")

    def ready(self) -> None:
        # Tasks registered with Celery in every process: services queue them by name.
        from . import audit_registry, checks, tasks  # noqa: F401
        from .selectors.access import mediation_ties_register

        audit_registry.register_all()
        mediation_ties_register()
