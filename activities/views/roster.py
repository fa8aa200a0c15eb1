"""The roster of a slot for its hosts and the area's coordinators: who is coming, marking
attendance, and the QR code volunteers scan to check themselves in."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.errors import DomainError

from ..models import Assignment, Slot
from ..selectors import shifts as shift_selectors
from ..selectors.seats import slots_with_fill
from ..services import signup as signup_services


def _managed_slot(request: HttpRequest, pk: int) -> Slot:
    slot = get_object_or_404(slots_with_fill(), pk=pk)
    if not signup_services.may_manage(user=request.user, slot=slot):
        # Not hers to see: the same answer as a slot that does not exist.
        raise Http404
    return slot


def checkin_url(slot: Slot) -> str:
    return settings.PUBLIC_BASE_URL + reverse("slot_checkin", args=[slot.checkin_token])


@login_required
def slot_roster(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _managed_slot(request, pk)
    shift_selectors.slots_annotate([slot], facts=None)
    roster = shift_selectors.slot_roster(slot=slot)
    positions = shift_selectors.waitlist_positions(roster)
    for a in roster:
        a.position = positions.get(a.pk)
    url = checkin_url(slot)
    qr = segno.make(url, error="m").svg_inline(scale=4, dark="#1f2328")
    return render(
        request,
        "activities/shifts/roster.html",
        {"slot": slot, "roster": roster, "checkin_url": url, "qr_svg": mark_safe(qr)},  # noqa: S308 (segno's own SVG)
    )


@require_POST
@login_required
def assignment_mark(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.select_related("slot__activity__venue", "volunteer__user", "role"),
        pk=pk,
    )
    if not signup_services.may_manage(user=request.user, slot=assignment.slot):
        raise Http404
    error = ""
    try:
        assignment = signup_services.assignment_mark(
            assignment=assignment, status=request.POST.get("status", ""), by=request.user
        )
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        return render(
            request, "activities/shifts/_roster_row.html", {"a": assignment, "error": error}
        )
    if error:
        messages.error(request, error)
    return redirect("slot_roster", pk=assignment.slot_id)
