"""A team's page: its members (coordinators of its area manage them) and, for coordinators and
the team's leaders, its coming shifts with the gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from volunteers import selectors as volunteer_selectors
from volunteers import services as volunteer_services
from volunteers.forms import MemberAddForm
from volunteers.models import VolunteerProfile

from ..selectors.teams import team_schedule


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(volunteer_selectors.teams_visible(user=request.user), pk=pk)
    role = volunteer_selectors.team_role_of(user=request.user, team=team)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if role != "coordinator":
            raise PermissionDenied
        if request.POST.get("remove"):
            volunteer = get_object_or_404(
                VolunteerProfile, pk=request.POST["remove"], memberships__team=team
            )
            try:
                volunteer_services.team_member_remove(
                    team=team, volunteer=volunteer, by=request.user
                )
                messages.success(request, _("Removed from the team."))
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect("team_detail", pk=team.pk)
        if form.is_valid():
            volunteer = volunteer_selectors.volunteer_find(
                user=request.user, who=form.cleaned_data["who"]
            )
            if volunteer is None:
                form.add_error("who", _("No volunteer with this email or mobile number."))
            else:
                volunteer_services.team_member_add(
                    team=team, volunteer=volunteer, by=request.user, role=form.cleaned_data["role"]
                )
                messages.success(request, _("Added to the team."))
                return redirect("team_detail", pk=team.pk)
    context = {
        "team": team,
        "role": role,
        "members": volunteer_selectors.team_members(team=team),
        "form": form,
    }
    if role in ("coordinator", "leader"):
        context["schedule"] = team_schedule(team=team)
    return render(request, "activities/team.html", context)
