"""The Celery app. Without CELERY_BROKER_URL tasks run eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("volunteers_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Calendar invitations are sent by notifications.calendar_tasks, next to the SMS tasks.
app.autodiscover_tasks(related_name="calendar_tasks")
