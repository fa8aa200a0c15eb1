"""The home page: each role lands on what it needs to do now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from activities.selectors import hosting, public, shifts
from mediation.selectors.disputes import cases_of_mediator, coordinator_figures
from volunteers.roles import Role, roles_of


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    context: dict = {"roles": roles}
    if Role.VOLUNTEER in roles:
        context["my_next"] = shifts.assignments_upcoming(volunteer=user.volunteer)[:5]
    if Role.HOST in roles or Role.COORDINATOR in roles or Role.ADMIN in roles:
        context["gaps"] = hosting.slots_with_gaps(user=user, days=7)[:10]
    mediation: dict = {}
    if Role.COORDINATOR in roles or Role.ADMIN in roles:
        mediation["figures"] = coordinator_figures(user=user)
    if Role.MEDIATOR in roles:
        mediation["mine"] = cases_of_mediator(user=user)
    context["mediation"] = mediation
    context["upcoming"] = public.slots_public_upcoming()[:8]
    context["stats"] = public.public_stats()
    return render(request, "home/home.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: browsers and feed readers ask for it whatever the page links. The
    static address is looked up per request (it names the hashed file only after collectstatic)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
