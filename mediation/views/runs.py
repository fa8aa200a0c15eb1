"""Pages of mediator matching runs: start, watch, lock and remove, run again, publish."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, ValidationFailed
from venues.selectors import areas_in_scope

from ..forms.work import RunForm
from ..models import MediationRun
from ..selectors.runs import run_report, runs_visible
from ..services import runs
from .common import form_errors, mediation_page

PROPOSAL_ACTIONS = {"lock", "unlock", "remove"}


@mediation_page
@require_http_methods(["GET", "POST"])
def runs_page(request: HttpRequest) -> HttpResponse:
    runs.run_access_check(by=request.user)
    areas = areas_in_scope(user=request.user)
    form = RunForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.run_create(by=request.user, area=form.cleaned_data["area"])
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            return redirect("mediation_run", pk=run.pk)
    return render(
        request,
        "mediation/runs.html",
        {"form": form, "runs": runs_visible(user=request.user)[:20]},
    )


@mediation_page
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = runs.run_get(by=request.user, run_id=pk)
    context = {"run": run}
    if run.status in {MediationRun.Status.DONE, MediationRun.Status.PUBLISHED}:
        context.update(run_report(run=run))
    return render(request, "mediation/run.html", context)


@mediation_page
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = runs.run_get(by=request.user, run_id=pk)
    response = render(request, "mediation/_run_progress.html", {"run": run})
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


@mediation_page
@require_POST
def run_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    run = runs.run_get(by=request.user, run_id=pk)
    try:
        runs.run_rerun(by=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("mediation_run", pk=pk)


@mediation_page
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = runs.run_get(by=request.user, run_id=pk)
    try:
        run = runs.run_publish(by=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Published: %(n)d cases assigned, %(m)d left out (see below).")
            % {"n": run.stats.get("published", 0), "m": run.stats.get("skipped", 0)},
        )
    return redirect("mediation_run", pk=pk)


@mediation_page
@require_POST
def proposal_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    if verb not in PROPOSAL_ACTIONS:
        raise Http404
    proposal = runs.proposal_get(by=request.user, proposal_id=pk)
    try:
        if verb == "remove":
            runs.proposal_remove(by=request.user, proposal=proposal)
        else:
            runs.proposal_lock(by=request.user, proposal=proposal, locked=verb == "lock")
    except DomainError as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=exc.status_code)
        messages.error(request, exc.message)
    if request.htmx:
        team = {
            "dispute": proposal.dispute,
            "members": list(
                proposal.run.proposals.filter(dispute=proposal.dispute).select_related("mediator")
            ),
        }
        return render(request, "mediation/_team.html", {"team": team, "run": proposal.run})
    return redirect("mediation_run", pk=proposal.run_id)
