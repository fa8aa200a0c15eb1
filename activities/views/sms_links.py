"""The short link in shift texts: ``/s/<slot id>/`` leads to the slot's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from ..calendar import slot_page_url
from ..selectors.visibility import slots_visible


def slot_short(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(slots_visible(user=request.user), pk=pk)
    return redirect(slot_page_url(slot))
