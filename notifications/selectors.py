"""What the outbox page shows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Message, OptOut


def messages_list(*, status: str = "", kind: str = "", phone: str = "") -> QuerySet[Message]:
    messages = Message.objects.select_related("user").order_by("-created_at", "-pk")
    if status in Message.Status.values:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    if phone:
        messages = messages.filter(to__contains=phone.strip())
    return messages


def counts_per_day(*, days: int = 14) -> list[dict]:
    """One row per day (newest first) with a count per status, in the site's time zone."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        Message.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "status")
        .annotate(n=Count("pk"))
    )
    table: dict = {}
    for row in rows:
        counts = table.setdefault(row["day"], dict.fromkeys(Message.Status.values, 0))
        counts[row["status"]] = row["n"]
    return [
        {
            "day": day,
            "counts": [counts[s] for s in Message.Status.values],
            "total": sum(counts.values()),
        }
        for day, counts in sorted(table.items(), reverse=True)
    ]


def status_totals() -> dict[str, int]:
    totals = dict.fromkeys(Message.Status.values, 0)
    for row in Message.objects.values("status").annotate(n=Count("pk")):
        totals[row["status"]] = row["n"]
    return totals


def opt_outs_list() -> QuerySet[OptOut]:
    return OptOut.objects.order_by("-created_at")
