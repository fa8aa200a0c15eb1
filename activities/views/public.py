"""Pages anyone can read without signing in: a venue with its coming activities, what's on."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from venues.models import Area
from venues.selectors import areas_with_venues, venues_public

from ..models import PUBLIC_KIND_CHOICES
from ..selectors.public import venue_upcoming
from ..selectors.public import whats_on as whats_on_slots


def _with_links(slots):
    for slot in slots:
        slot.join_url = reverse("slot_detail", args=[slot.pk])
    return slots


def venue_page(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_object_or_404(venues_public().prefetch_related("rooms"), pk=pk)
    slots = _with_links(venue_upcoming(venue=venue))
    return render(
        request,
        "activities/public/venue.html",
        {"venue": venue, "slots": slots, "login_url": reverse("account_login")},
    )


def whats_on(request: HttpRequest) -> HttpResponse:
    """The district's coming activities by date and area; the filter updates in place (htmx)."""
    try:
        start = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        start = timezone.localdate()
    start = max(start, timezone.localdate())
    area = None
    if request.GET.get("area", "").isdigit():
        area = Area.objects.filter(pk=int(request.GET["area"])).first()
    kind = request.GET.get("kind", "")
    if kind not in dict(PUBLIC_KIND_CHOICES):
        kind = ""
    slots = _with_links(whats_on_slots(start=start, days=7, area=area, kind=kind))
    days: dict[date, list] = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    context = {
        "days": sorted(days.items()),
        "start": start,
        "end": start + timedelta(days=6),
        "previous": start - timedelta(days=7) if start > timezone.localdate() else None,
        "next": start + timedelta(days=7),
        "area": area,
        "kind": kind,
        "areas": areas_with_venues(),
        "kinds": PUBLIC_KIND_CHOICES,
    }
    template = (
        "activities/public/_whats_on_results.html"
        if request.htmx and not request.htmx.boosted
        else "activities/public/whats_on.html"
    )
    return render(request, template, context)
