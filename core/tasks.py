"""Queue Celery tasks only once the surrounding transaction has committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` after commit, so that a worker never reads rows that are not there yet.

    Without a broker (the embedded default) the task runs in this process at that moment.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs))
