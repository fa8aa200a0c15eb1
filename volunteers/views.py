"""Volunteer pages: becoming a volunteer, her profile (availability, time away, skills), and
for coordinators verifying skills, teams and importing volunteers from a spreadsheet."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError, ValidationFailed
from core.uploads import upload_size_check
from venues.selectors import is_coordinator

from . import selectors, services
from .csv_import import COLUMNS, template_csv, volunteers_import_csv
from .forms import AbsenceForm, AvailabilityForm, ImportForm, MemberAddForm, ProfileForm
from .models import VolunteerProfile


def _form_errors(form, exc: ValidationFailed) -> None:
    for field, errors in exc.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


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


def _save_name(user, data: dict) -> None:
    name = data.pop("name", None)
    if name is not None and name != user.name:
        user.name = name
        user.save(update_fields=["name"])


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
            "sms_enabled": True,
            "preferred_language": request.user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.volunteer_create(user=request.user, **data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            _save_name(request.user, data)
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
            _save_name(request.user, data)
            services.volunteer_update(volunteer=profile, **data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("volunteer_profile")
    return render(
        request,
        "volunteers/profile.html",
        {
            "form": form,
            "profile": profile,
            "availability_form": AvailabilityForm(),
            "absence_form": AbsenceForm(),
        },
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
            messages.success(request, _("Time added."))
        except ValidationFailed as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give a day, a start and an end time."))
    return redirect("volunteer_profile")


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
            messages.success(request, _("Time away added."))
        except ValidationFailed as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the first and the last day away."))
    return redirect("volunteer_profile")


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
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(selectors.teams_visible(user=request.user), pk=pk)
    role = selectors.team_role_of(user=request.user, team=team)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if role != "coordinator":
            raise PermissionDenied
        if request.POST.get("remove"):
            volunteer = get_object_or_404(
                VolunteerProfile, pk=request.POST["remove"], memberships__team=team
            )
            try:
                services.team_member_remove(team=team, volunteer=volunteer, by=request.user)
                messages.success(request, _("Removed from the team."))
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect("team_detail", pk=team.pk)
        if form.is_valid():
            who = form.cleaned_data["who"].strip()
            phone = ""
            with contextlib.suppress(ValidationFailed):
                phone = services.phone_normalise(who)
            match = Q(user__email__iexact=who)
            if phone:
                match |= Q(phone=phone)
            # Only volunteers she looks after can be found: others do not exist for her.
            volunteer = selectors.volunteers_in_scope(user=request.user).filter(match).first()
            if volunteer is None:
                form.add_error("who", _("No volunteer with this email or mobile number."))
            else:
                services.team_member_add(
                    team=team, volunteer=volunteer, by=request.user, role=form.cleaned_data["role"]
                )
                messages.success(request, _("Added to the team."))
                return redirect("team_detail", pk=team.pk)
    context = {
        "team": team,
        "role": role,
        "members": selectors.team_members(team=team),
        "form": form,
    }
    if role in ("coordinator", "leader"):
        context["schedule"] = selectors.team_schedule(team=team)
    return render(request, "volunteers/team_detail.html", context)


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
        {"form": form, "result": result, "columns": COLUMNS},
    )
