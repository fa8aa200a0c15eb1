"""Volunteer pages: becoming a volunteer, her profile (availability, time away, skills), and
for coordinators verifying skills, the list of teams and importing volunteers from a spreadsheet
(a team's own page, with its coming shifts, is activities')."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError, ValidationFailed
from core.forms import form_errors_add
from core.uploads import upload_size_check
from venues.selectors import is_coordinator

from . import selectors, services
from .csv_import import COLUMNS, accepted_values, template_csv, volunteers_import_csv
from .forms import AbsenceForm, AvailabilityForm, ImportForm, ProfileForm
from .models import VolunteerProfile


def _profile_initial(profile: VolunteerProfile) -> dict:
    return {
        "name": profile.user.name,
        "languages": profile.languages,
        "skills": [link.skill for link in profile.skill_links.all()],
        "max_hours_per_week": profile.max_hours_per_week,
        "sms_enabled": profile.sms_enabled,
        "preferred_language": profile.user.preferred_language,
        "home_area": profile.home_area,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
    }


@login_required
def volunteer_become(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "volunteer", None) is not None:
        return redirect("volunteer_profile")
    form = ProfileForm(
        request.POST or None,
        initial={
            "name": request.user.name,
            "languages": ["zh"],
            "max_hours_per_week": 6,
            "sms_enabled": False,
            "preferred_language": request.user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.volunteer_create(user=request.user, **data)
        except ValidationFailed as exc:
            form_errors_add(form, exc.errors)
        else:
            messages.success(request, _("Welcome! Add the times you are usually free."))
            return redirect("volunteer_profile")
    return render(request, "volunteers/become.html", {"form": form})


@login_required
def volunteer_profile(request: HttpRequest) -> HttpResponse:
    profile = selectors.volunteer_profile_full(user=request.user)
    if profile is None:
        return redirect("volunteer_become")
    form = ProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.volunteer_update(volunteer=profile, **data)
        except ValidationFailed as exc:
            form_errors_add(form, exc.errors)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("volunteer_profile")
    return _profile_page(request, profile, form=form)


def _profile_page(
    request: HttpRequest,
    profile: VolunteerProfile,
    *,
    form: ProfileForm | None = None,
    availability_form: AvailabilityForm | None = None,
    absence_form: AbsenceForm | None = None,
) -> HttpResponse:
    """The profile page; a form that failed comes back bound, with what she typed and why."""
    failed = availability_form is not None or absence_form is not None
    return render(
        request,
        "volunteers/profile.html",
        {
            "form": form or ProfileForm(initial=_profile_initial(profile)),
            "profile": profile,
            "availability_form": availability_form or AvailabilityForm(),
            "absence_form": absence_form or AbsenceForm(),
        },
        status=400 if failed else 200,
    )


def _own_profile(request: HttpRequest) -> VolunteerProfile:
    profile = getattr(request.user, "volunteer", None)
    if profile is None:
        raise Http404
    return profile


@require_POST
@login_required
def availability_add(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.availability_add(volunteer=profile, **form.cleaned_data)
        except ValidationFailed as exc:
            form_errors_add(form, exc.errors)
        else:
            messages.success(request, _("Time added."))
            return redirect("volunteer_profile")
    full = selectors.volunteer_profile_full(user=request.user)
    return _profile_page(request, full, availability_form=form)


@require_POST
@login_required
def availability_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.availability_delete(volunteer=_own_profile(request), availability_id=pk)
    except DomainError:
        raise Http404 from None
    return redirect("volunteer_profile")


@require_POST
@login_required
def absence_add(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.absence_add(volunteer=profile, **form.cleaned_data)
        except ValidationFailed as exc:
            form_errors_add(form, exc.errors)
        else:
            messages.success(request, _("Time away added."))
            return redirect("volunteer_profile")
    full = selectors.volunteer_profile_full(user=request.user)
    return _profile_page(request, full, absence_form=form)


@require_POST
@login_required
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.absence_delete(volunteer=_own_profile(request), absence_id=pk)
    except DomainError:
        raise Http404 from None
    return redirect("volunteer_profile")


# --- Coordinators -----------------------------------------------------------------------------


def _coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


@login_required
def skill_verifications(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    if request.method == "POST":
        link = get_object_or_404(
            selectors.skill_links_pending(user=request.user), pk=request.POST.get("link")
        )
        accept = request.POST.get("decision") != "reject"
        services.skill_verify(link=link, by=request.user, accept=accept)
        messages.success(request, _("Skill verified.") if accept else _("Skill removed."))
        return redirect("skill_verifications")
    pending = selectors.skill_links_pending(user=request.user)[:200]
    return render(request, "volunteers/skill_verifications.html", {"pending": pending})


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_visible(user=request.user)
    return render(request, "volunteers/team_list.html", {"teams": teams})


@login_required
def volunteer_import(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    if request.GET.get("template"):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="volunteers.csv"'
        return response
    result = None
    too_large = None
    if request.method == "POST":
        try:
            upload_size_check(request)  # before request.FILES parses the body
        except ValidationFailed as exc:
            too_large = exc
    if too_large is not None:
        form = ImportForm(data={}, files={})
        form.errors["file"] = form.error_class(too_large.errors["file"])
    else:
        form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and too_large is None and form.is_valid():
        result = volunteers_import_csv(content=form.cleaned_data["file"].read(), by=request.user)
        if not result.errors:
            messages.success(
                request,
                ngettext("%(n)d volunteer imported.", "%(n)d volunteers imported.", result.created)
                % {"n": result.created},
            )
            return redirect("volunteer_import")
    return render(
        request,
        "volunteers/import.html",
        {"form": form, "result": result, "columns": COLUMNS, "accepted": accepted_values()},
    )
