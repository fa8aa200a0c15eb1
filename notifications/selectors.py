"""What the outbox page shows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from venues.selectors import is_district_coordinator
from volunteers.selectors import volunteers_in_scope

from .models import Email, Message, OptOut


def messages_in_scope(*, user) -> QuerySet[Message]:
    """The texts a coordinator may read: those to volunteers she looks after; texts to nobody
    on file (or to someone without a volunteer profile) only for the district's coordinators."""
    if user.is_superuser:
        return Message.objects.all()
    q = Q(user__volunteer__in=volunteers_in_scope(user=user))
    if is_district_coordinator(user):
        q |= Q(user__isnull=True) | Q(user__volunteer__isnull=True)
    return Message.objects.filter(q)


def emails_in_scope(*, user) -> QuerySet[Email]:
    """The emails a coordinator may read, by the same rule as the texts."""
    if user.is_superuser:
        return Email.objects.all()
    q = Q(user__volunteer__in=volunteers_in_scope(user=user))
    if is_district_coordinator(user):
        q |= Q(user__isnull=True) | Q(user__volunteer__isnull=True)
    return Email.objects.filter(q)


def emails_list(*, user) -> QuerySet[Email]:
    return emails_in_scope(user=user).select_related("user").order_by("-created_at", "-pk")


def opt_outs_in_scope(*, user) -> QuerySet[OptOut]:
    """Numbers that answered STOP, of volunteers she looks after (all for the district's)."""
    if is_district_coordinator(user):
        return OptOut.objects.all()
    phones = volunteers_in_scope(user=user).exclude(phone=None).values("phone")
    return OptOut.objects.filter(phone__in=phones)


def messages_list(*, user, status: str = "", kind: str = "", phone: str = "") -> QuerySet[Message]:
    messages = messages_in_scope(user=user).select_related("user").order_by("-created_at", "-pk")
    if status in Message.Status.values:
        messages = messages.filter(status=status)
    if kind:
        messages = messages.filter(kind=kind)
    if phone:
        messages = messages.filter(to__contains=phone.strip())
    return messages


def counts_per_day(*, user, days: int = 14) -> list[dict]:
    """One row per day (newest first) with a count per status, in the site's time zone."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        messages_in_scope(user=user)
        .filter(created_at__gte=since)
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


def status_totals(*, user) -> dict[str, int]:
    totals = dict.fromkeys(Message.Status.values, 0)
    for row in messages_in_scope(user=user).values("status").annotate(n=Count("pk")):
        totals[row["status"]] = row["n"]
    return totals


def opt_outs_list(*, user) -> QuerySet[OptOut]:
    return opt_outs_in_scope(user=user).order_by("-created_at")
