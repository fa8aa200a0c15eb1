"""Pages of mediators' settings, partner agencies and the whole audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import NotAllowed, ValidationFailed
from venues.selectors import areas_in_scope, is_coordinator
from volunteers.services import may_coordinate_volunteer

from ..forms.work import MediatorForm, PartnerForm
from ..models import Dispute, PartnerContact
from ..selectors.access import is_district_admin
from ..selectors.audit import audit_entries, entries_labelled
from ..selectors.mediators import mediator_settings, mediators_for_management
from ..services import people
from .common import form_errors, mediation_page


def _coordinators_only(user) -> None:
    if not is_coordinator(user):
        raise NotAllowed(_("Only coordinators manage mediators and partners."))


@mediation_page
@require_GET
def mediators(request: HttpRequest) -> HttpResponse:
    _coordinators_only(request.user)
    rows = [
        v
        for v in mediators_for_management()
        if may_coordinate_volunteer(user=request.user, volunteer=v)
    ]
    kinds = dict(Dispute.Kind.choices)
    for v in rows:
        v.settings = mediator_settings(volunteer=v)
        v.kinds = [str(kinds.get(k, k)) for k in v.settings.specialties]
    return render(request, "mediation/mediators.html", {"rows": rows})


@mediation_page
@require_http_methods(["GET", "POST"])
def mediator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinators_only(request.user)
    volunteer = people.mediator_get(by=request.user, volunteer_id=pk)
    current = mediator_settings(volunteer=volunteer)
    form = MediatorForm(
        request.POST or None,
        initial={
            "caseload_cap": current.caseload_cap,
            "can_lead": current.can_lead,
            "specialties": current.specialties,
            "gender": current.gender,
            "compound": current.compound,
            "active": current.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.mediator_settings_update(by=request.user, volunteer_id=pk, **form.cleaned_data)
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediation_mediators")
    return render(request, "mediation/mediator_form.html", {"volunteer": volunteer, "form": form})


@mediation_page
@require_http_methods(["GET", "POST"])
def partners(request: HttpRequest) -> HttpResponse:
    _coordinators_only(request.user)
    areas = areas_in_scope(user=request.user)
    form = PartnerForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            people.partner_create(by=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Partner added."))
            return redirect("mediation_partners")
    rows = PartnerContact.objects.filter(area__in=areas, active=True).select_related("area")
    return render(request, "mediation/partners.html", {"form": form, "rows": rows})


@mediation_page
@require_POST
def partner_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _coordinators_only(request.user)
    people.partner_deactivate(by=request.user, partner_id=pk)
    messages.success(request, _("Partner removed from the list."))
    return redirect("mediation_partners")


@mediation_page
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole audit log of mediation, for district administrators."""
    if not is_district_admin(request.user):
        raise NotAllowed(_("Only district administrators read the whole audit log."))
    page = Paginator(audit_entries(), 100).get_page(request.GET.get("page"))
    entries_labelled(page.object_list)
    return render(request, "mediation/audit.html", {"dispute": None, "page": page})
