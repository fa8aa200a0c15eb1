"""A person's secret feed: the entries of every feed provider (her shifts; later, mediation)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.calendar import CalendarEvent, FeedVersion, calendar_bytes, feed_providers

from ..models import Assignment
from .entries import FEED_REFRESH, FeedState, absolute_url, etag_of, settings_key, slot_event

PERSONAL_STATUSES = (*Assignment.SEATED,)


def feed_window_start() -> datetime:
    """Shifts that ended before this are left out of the feed (the day's start, local time)."""
    today = timezone.localdate()
    start = today - timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    return timezone.make_aware(datetime.combine(start, time.min))


class ShiftFeedProvider:
    """A volunteer's seats: confirmed (and past attended) slots, cancelled ones as cancelled."""

    def _assignments(self, *, user):
        return Assignment.objects.filter(
            volunteer__user=user, slot__ends_at__gte=feed_window_start()
        )

    def version(self, *, user) -> FeedVersion:
        # Every status counts: an assignment that is cancelled leaves the feed, and its
        # updated_at is what says the feed changed.
        figures = self._assignments(user=user).aggregate(
            n=Count("id"),
            entries=Count("id", filter=Q(status__in=PERSONAL_STATUSES)),
            seq=Max("sequence"),
            a=Max("updated_at"),
            s=Max("slot__updated_at"),
            act=Max("slot__activity__updated_at"),
            v=Max("slot__activity__venue__updated_at"),
        )
        stamps = [figures[k] for k in ("a", "s", "act", "v") if figures[k] is not None]
        newest = max(stamps) if stamps else None
        key = "|".join(
            [
                str(figures["n"]),
                str(figures["seq"]),
                newest.isoformat() if newest else "-",
                feed_window_start().date().isoformat(),
            ]
        )
        # No seat of hers ends inside the window (none, or only cancelled ones): no entry.
        return FeedVersion(newest=newest, key=key, entries=figures["entries"] > 0)

    def events(self, *, user) -> list[CalendarEvent]:
        assignments = (
            self._assignments(user=user)
            .filter(status__in=PERSONAL_STATUSES)
            .select_related("slot__activity__venue", "role__skill")
            .order_by("slot__starts_at", "id")
        )
        return [slot_event(slot=a.slot, assignment=a, user=user) for a in assignments]


def personal_feed_state(*, user) -> FeedState:
    versions = [provider.version(user=user) for provider in feed_providers()]
    stamps = [v.newest for v in versions if v.newest is not None]
    return FeedState(
        etag=etag_of(
            "personal",
            str(user.pk),
            user.calendar_token,
            settings_key(),
            *(v.key for v in versions),
        ),
        last_modified=max(stamps) if stamps else None,
        versions=tuple(versions),
    )


def personal_feed_ics(*, user, state: FeedState | None = None) -> bytes:
    """Her feed. ``state``: ``personal_feed_state`` of this request, when the caller read it
    (for the ETag): a provider whose version shows it has nothing for her is not asked."""
    providers = feed_providers()
    versions = state.versions if state is not None else (None,) * len(providers)
    events: list[CalendarEvent] = []
    for provider, version in zip(providers, versions, strict=True):
        if version is None or version.entries:
            events.extend(provider.events(user=user))
    return calendar_bytes(
        events,
        name=_("My shifts · Women's Federation volunteers"),
        description=_("Shifts you have signed up for."),
        refresh=FEED_REFRESH,
    )


def qr_svg(data: str, *, title: str) -> str:
    """An inline SVG QR code (phones scan it to subscribe)."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2, title=title)


def feed_user(*, token: str):
    """The active person whose secret feed token this is, or None (wrong or reset token)."""
    if not token:
        return None
    return get_user_model().objects.filter(calendar_token=token, is_active=True).first()


def feed_urls(*, user) -> dict[str, str]:
    """The secret feed's addresses: ``https`` (or http) and ``webcal`` for calendar apps."""
    url = absolute_url(reverse("calendar_feed", args=[user.calendar_token]))
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}
