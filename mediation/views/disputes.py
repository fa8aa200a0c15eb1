"""Pages: the disputes list and its export, a mediator's cases, the intake, the case page."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import NotAllowed, ValidationFailed
from venues.selectors import area_subtree_q, is_coordinator

from ..forms.intake import DisputeEditForm, IntakeForm, PartyFormSet
from ..forms.work import ConflictForm, EscalateForm, SessionForm, VisitForm
from ..models import Compound, Dispute
from ..selectors.access import dispute_actions, intake_areas
from ..selectors.disputes import (
    DisputeFilters,
    cases_of_mediator,
    dispute_detail,
    disputes_for_export,
    disputes_list,
)
from ..services import intake
from ..services.reading import dispute_open, disputes_read
from ..services.work import TRANSITIONS, partner_contacts_for
from .common import form_errors, mediation_page

PAGE_SIZE = 30


def _filters(request: HttpRequest) -> DisputeFilters:
    g = request.GET
    return DisputeFilters(
        status=g.get("status", "open"),
        kind=g.get("kind", ""),
        level=g.get("level", ""),
        urgency=g.get("urgency", ""),
        unassigned=g.get("unassigned") == "1",
        q=g.get("q", ""),
    )


@mediation_page
@require_GET
def disputes(request: HttpRequest) -> HttpResponse:
    """Coordinators: the disputes of their areas, filtered in place (htmx)."""
    if not is_coordinator(request.user):
        raise NotAllowed(_("Only coordinators see the disputes of an area."))
    filters = _filters(request)
    page = Paginator(disputes_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    disputes_read(by=request.user, disputes=page.object_list, via="list")
    context = {
        "page": page,
        "filters": filters,
        "statuses": Dispute.Status.choices,
        "kinds": Dispute.Kind.choices,
        "levels": Dispute.Level.choices,
        "query": request.GET.copy(),
    }
    template = "mediation/_dispute_rows.html" if request.htmx else "mediation/disputes.html"
    return render(request, template, context)


@mediation_page
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """A CSV of her area's disputes: facts only, no names, numbers or narratives; audited."""
    if not is_coordinator(request.user):
        raise NotAllowed(_("Only coordinators export disputes."))
    rows = disputes_read(
        by=request.user, disputes=disputes_for_export(user=request.user), via="export"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="disputes-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Reference"),
            _("Taken in"),
            _("Source"),
            _("Kind"),
            _("Area"),
            _("Urgency"),
            _("Level"),
            _("Status"),
            _("Lead mediator"),
            _("Visits"),
            _("Resolved"),
            _("Closed"),
        ]
    )
    for d in rows:
        lead = next((a.mediator for a in d.team if a.role == "lead"), None)
        writer.writerow(
            [
                d.reference,
                timezone.localtime(d.created_at).date(),
                d.get_source_display(),
                d.get_kind_display(),
                d.area.display_name,
                d.get_urgency_display(),
                d.get_level_display(),
                d.get_status_display(),
                lead or "",
                d.visit_count,
                timezone.localtime(d.resolved_at).date() if d.resolved_at else "",
                timezone.localtime(d.closed_at).date() if d.closed_at else "",
            ]
        )
    return response


@mediation_page
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    context = cases_of_mediator(user=request.user)
    disputes_read(
        by=request.user, disputes=context["cases"] + context["past_cases"], via="my cases"
    )
    return render(request, "mediation/my_cases.html", context)


@mediation_page
@require_http_methods(["GET", "POST"])
def intake_page(request: HttpRequest) -> HttpResponse:
    areas = intake_areas(user=request.user)
    if not areas.exists():
        raise NotAllowed(_("Only coordinators and hotline operators take in disputes."))
    form = IntakeForm(request.POST or None, areas=areas)
    parties = PartyFormSet(request.POST or None, prefix="party")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = dict(form.cleaned_data)
        rows = [intake.PartyInput(**p) for p in parties.cleaned_data if p]
        try:
            dispute = intake.dispute_create(by=request.user, parties=rows, **data)
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Dispute %(ref)s is taken in. The coordinators of the area see it now.")
                % {"ref": dispute.reference},
            )
            if is_coordinator(request.user):
                return redirect("mediation_dispute", pk=dispute.pk)
            return redirect("mediation_intake")
    return render(request, "mediation/intake.html", {"form": form, "parties": parties})


@mediation_page
@require_GET
def compounds(request: HttpRequest) -> HttpResponse:
    """The compound options of an area (the intake form updates them in place)."""
    areas = intake_areas(user=request.user)
    if not areas.exists():
        raise NotAllowed(_("Only coordinators and hotline operators take in disputes."))
    area = areas.filter(pk=request.GET.get("area") or 0).first()
    options = Compound.objects.none()
    if area is not None:
        options = Compound.objects.filter(area_subtree_q([area.pk], prefix="area__"))
    return render(
        request, "mediation/_compound_options.html", {"options": options.order_by("name")}
    )


@mediation_page
@require_GET
def dispute_page(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = dispute_open(by=request.user, dispute_id=pk, via="case page")
    actions = dispute_actions(user=request.user, dispute=dispute)
    context = {"dispute": dispute, "actions": actions, **dispute_detail(dispute=dispute)}
    context["next_statuses"] = [
        (status, Dispute.Status(status).label)
        for status, action in TRANSITIONS.get(dispute.status, {}).items()
        if action in actions
    ]
    context["referred_choices"] = Dispute.ReferredTo.choices
    context["visit_form"] = VisitForm(team=context["team"])
    context["escalate_form"] = EscalateForm(partners=partner_contacts_for(area=dispute.area))
    context["session_form"] = SessionForm()
    context["conflict_form"] = ConflictForm()
    return render(request, "mediation/dispute.html", context)


@mediation_page(back="mediation_dispute")
@require_http_methods(["GET", "POST"])
def dispute_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = dispute_open(by=request.user, dispute_id=pk, via="edit", action="edit")
    initial = {
        "urgency": dispute.urgency,
        "safety_risk": dispute.safety_risk,
        "gender_preference": dispute.gender_preference,
        "level": dispute.level,
        "narrative": dispute.narrative or "",
    }
    form = DisputeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intake.dispute_update(by=request.user, dispute_id=pk, **form.cleaned_data)
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("mediation_dispute", pk=pk)
    return render(request, "mediation/dispute_edit.html", {"dispute": dispute, "form": form})
