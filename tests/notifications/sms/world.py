"""A small world for the SMS tests: a slot, volunteers who fit it, and helpers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from notifications.models import Message
from tests.activities.shift_world import available, make_slot, make_volunteer
from tests.factories import UserFactory


def volunteer(*, language: str = "en", phone: str | None = None, sms: bool = True, **kwargs):
    user = UserFactory(preferred_language=language)
    extra = {"phone": phone} if phone else {}
    profile = make_volunteer(user=user, sms_enabled=sms, **extra, **kwargs)
    for day in range(7):
        available(profile, day, "00:00", "23:59")
    return profile


def slot_in(hours: float, *, needed: int = 1, title_en: str = "Sewing class", **kwargs):
    slot, role = make_slot(
        starts_at=timezone.now() + timedelta(hours=hours), needed=needed, **kwargs
    )
    slot.activity.title_en = title_en
    slot.activity.save(update_fields=["title_en"])
    return slot, role


def texts_to(profile) -> list[Message]:
    return list(Message.objects.filter(to=profile.phone).order_by("created_at", "pk"))
