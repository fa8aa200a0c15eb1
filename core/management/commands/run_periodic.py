"""Run the periodic tasks of the Celery beat schedule in this process.

Scaled out, Celery beat does this. The embedded default has no broker and no beat, so
`make run` calls this command every minute beside the development server: reminders go out,
texts held back by quiet hours are released, backfill rounds move on, slots are generated.
"""

from __future__ import annotations

import time
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the beat schedule's tasks in-process, once or every --every seconds."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every N seconds (0: run once and stop)."
        )

    def handle(self, *args, every: int = 0, **options) -> None:
        # Task modules are found lazily; load them now so every scheduled name resolves.
        current_app.loader.import_default_modules()
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                schedule = entry["schedule"]
                period = schedule.total_seconds() if isinstance(schedule, timedelta) else 0
                if name in last_run and now - last_run[name] < period:
                    continue
                last_run[name] = now
                result = current_app.tasks[entry["task"]].apply()
                if result.failed():
                    self.stderr.write(f"{name}: {result.result!r}")
                elif options["verbosity"] > 1:
                    self.stdout.write(f"{name}: {result.result!r}")
            if not every:
                return
            time.sleep(every)
