"""Pages to open and edit venues (the public venue page lives with the activities)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ValidationFailed
from core.forms import form_errors_add

from . import services
from .forms import VenueForm, rooms_text
from .selectors import areas_in_scope, is_coordinator, venues_in_scope

FIELDS = [
    "name",
    "name_en",
    "kind",
    "address",
    "address_en",
    "latitude",
    "longitude",
    "timezone",
    "capacity",
    "opening_hours",
    "facilities",
    "phone",
    "description",
    "description_en",
]


def _save(request, form, save) -> HttpResponse | None:
    try:
        venue = save()
    except ValidationFailed as exc:
        form_errors_add(form, exc.errors)
        return None
    messages.success(request, _("The venue is saved."))
    return redirect("venue_public", pk=venue.pk)


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # A venue she neither hosts nor coordinates is not hers to edit: 404, as for a wrong id.
    venue = get_object_or_404(venues_in_scope(user=request.user), pk=pk)
    if request.method == "POST":
        form = VenueForm(request.POST)
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in FIELDS}
            values["rooms"] = form.cleaned_data["rooms"]
            response = _save(
                request,
                form,
                lambda: services.venue_update(venue=venue, by=request.user, **values),
            )
            if response is not None:
                return response
    else:
        initial = {f: getattr(venue, f) for f in FIELDS}
        initial["rooms"] = rooms_text(venue)
        form = VenueForm(initial=initial)
    return render(request, "venues/venue_form.html", {"form": form, "venue": venue})


@login_required
@require_http_methods(["GET", "POST"])
def venue_new(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied(_("Only coordinators open new venues."))
    areas = areas_in_scope(user=request.user).order_by("level", "name")
    if request.method == "POST":
        form = VenueForm(request.POST, areas=areas)
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in FIELDS}
            values.update(rooms=form.cleaned_data["rooms"], area=form.cleaned_data["area"])
            response = _save(
                request, form, lambda: services.venue_create(by=request.user, **values)
            )
            if response is not None:
                return response
    else:
        form = VenueForm(areas=areas)
    return render(request, "venues/venue_form.html", {"form": form, "venue": None})
