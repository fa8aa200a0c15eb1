"""Pages of the matcher and the coordinator board. They call the same services as the API."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, ValidationFailed
from core.forms import form_errors_add

from . import selectors
from .forms import RunForm
from .models import MatchRun
from .services import access, board, publishing
from .services import runs as run_services

PROPOSAL_ACTIONS = {"lock", "unlock", "remove"}


def coordinators_only(view):
    """Signed in and a coordinator; the services' refusals (403 for non-coordinators, 404
    outside her area) become pages through core's DomainErrorMiddleware."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        access.run_access_check(by=request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@coordinators_only
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = run_services.run_create(by=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            form_errors_add(form, exc.errors)
        else:
            return redirect("matching_run", pk=run.pk)
    recent = selectors.runs_visible(user=request.user)[:20]
    return render(request, "matching/runs.html", {"form": form, "runs": recent})


@coordinators_only
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.run_get(by=request.user, run_id=pk)
    context = {"run": run}
    if run.status in {MatchRun.Status.DONE, MatchRun.Status.PUBLISHED}:
        context.update(selectors.run_report(run=run))
    return render(request, "matching/run.html", context)


@coordinators_only
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the progress bar; once the run is over the page reloads to show the result."""
    run = access.run_get(by=request.user, run_id=pk)
    response = render(request, "matching/_progress.html", {"run": run})
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


@coordinators_only
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in PROPOSAL_ACTIONS:
        raise Http404
    proposal = access.proposal_get(by=request.user, proposal_id=pk)
    try:
        if action == "remove":
            run_services.proposal_remove(by=request.user, proposal=proposal)
        else:
            run_services.proposal_lock(by=request.user, proposal=proposal, locked=action == "lock")
    except DomainError as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=exc.status_code)
        messages.error(request, exc.message)
    if request.htmx:
        return render(request, "matching/_proposal.html", {"p": proposal, "run": proposal.run})
    return redirect("matching_run", pk=proposal.run_id)


@coordinators_only
@require_POST
def run_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.run_get(by=request.user, run_id=pk)
    try:
        run_services.run_rerun(by=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching_run", pk=pk)


@coordinators_only
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = access.run_get(by=request.user, run_id=pk)
    try:
        run = publishing.run_publish_start(by=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("matching_run", pk=pk)
    if run.status == MatchRun.Status.PUBLISHED:
        messages.success(
            request,
            _("Published: %(n)d people confirmed and told.") % {"n": run.stats.get("published", 0)},
        )
        skipped = run.stats.get("skipped", 0)
        if skipped:
            messages.warning(
                request,
                _("%(n)d proposals no longer fitted and were left out; see below.")
                % {"n": skipped},
            )
    elif run.status == MatchRun.Status.PUBLISHING:
        messages.info(request, _("Publishing: this page updates when everyone is confirmed."))
    else:
        messages.error(request, _("Publishing failed: %(error)s") % {"error": run.error})
    return redirect("matching_run", pk=pk)


@coordinators_only
@require_GET
def coordinator_board(request: HttpRequest) -> HttpResponse:
    rows = selectors.board_slots(user=request.user)
    return render(
        request,
        "matching/board.html",
        {"rows": rows},
    )


@coordinators_only
@require_POST
def board_action(request: HttpRequest) -> HttpResponse:
    slot_ids = [int(pk) for pk in request.POST.getlist("slots") if pk.isdigit()]
    try:
        if request.POST.get("action") == "backfill":
            started = board.board_backfill(by=request.user, slot_ids=slot_ids)
            if started:
                messages.success(
                    request,
                    ngettext(
                        "SMS offers are going out for %(n)d role with free seats.",
                        "SMS offers are going out for %(n)d roles with free seats.",
                        started,
                    )
                    % {"n": started},
                )
            else:
                messages.warning(
                    request,
                    _("No SMS backfill started: these slots are full or still too far ahead."),
                )
            return redirect("coordinator_board")
        run = board.board_rerun(by=request.user, slot_ids=slot_ids)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("coordinator_board")
    return redirect("matching_run", pk=run.pk)
