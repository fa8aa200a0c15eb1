"""Pages that act on one case: mediators and assignment, status, visits, escalation,
sessions, conflicts, the case's audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ValidationFailed

from ..calendar import session_ics
from ..forms.work import ConflictForm, EscalateForm, SessionForm, VisitForm
from ..models import MediatorAssignment, Session
from ..selectors.audit import audit_entries, entries_labelled
from ..selectors.candidates import candidates_rank
from ..services import assignment, sessions, work
from ..services.common import dispute_for
from ..services.intake import dispute_assess
from ..services.reading import dispute_open
from .common import mediation_page, refuse

BACK = "mediation_dispute"


@mediation_page(back=BACK)
@require_http_methods(["GET", "POST"])
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        try:
            made = assignment.dispute_assign(
                by=request.user,
                dispute_id=pk,
                lead_id=request.POST.get("lead"),
                assistant_id=request.POST.get("assistant") or None,
            )
        except ValidationFailed as exc:
            refuse(request, exc)
        else:
            if made:
                messages.success(
                    request, _("Assigned. The mediators got a text with a sign-in link.")
                )
            else:
                messages.info(request, _("Nothing changed: they are on the case already."))
            return redirect(BACK, pk=pk)
    dispute = dispute_open(by=request.user, dispute_id=pk, via="candidates", action="candidates")
    ranking = candidates_rank(dispute=dispute)
    lead, helper = ranking.first_pair
    return render(
        request,
        "mediation/candidates.html",
        {"dispute": dispute, "ranking": ranking, "first_lead": lead, "first_assistant": helper},
    )


@mediation_page(back=BACK)
@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = work.dispute_status_set(
        by=request.user,
        dispute_id=pk,
        status=request.POST.get("status", ""),
        referred_to=request.POST.get("referred_to", ""),
    )
    messages.success(request, _("The case is now %(s)s.") % {"s": dispute.get_status_display()})
    return redirect(BACK, pk=pk)


@mediation_page(back=BACK)
@require_POST
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    dispute_assess(by=request.user, dispute_id=pk)
    messages.success(request, _("Marked as assessed."))
    return redirect(BACK, pk=pk)


@mediation_page(back=BACK)
@require_POST
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = dispute_for(by=request.user, dispute_id=pk, action="visit")
    team = MediatorAssignment.objects.filter(dispute=dispute, ended_at__isnull=True)
    form = VisitForm(request.POST, team=team.select_related("mediator"))
    if not form.is_valid():
        raise ValidationFailed({k: list(v) for k, v in form.errors.items()})
    data = form.cleaned_data
    work.visit_log(
        by=request.user,
        dispute_id=pk,
        step=data["step"],
        visited_on=data["visited_on"],
        what_happened=data["what_happened"],
        next_step=data["next_step"],
        next_visit_on=data["next_visit_on"],
        mediator_ids=data["mediators"],
        others=data["others"],
    )
    messages.success(request, _("Visit logged."))
    return redirect(BACK, pk=pk)


@mediation_page(back=BACK)
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = dispute_for(by=request.user, dispute_id=pk, action="escalate")
    form = EscalateForm(request.POST, partners=work.partner_contacts_for(area=dispute.area))
    if not form.is_valid():
        raise ValidationFailed({k: list(v) for k, v in form.errors.items()})
    escalation = work.dispute_escalate(
        by=request.user,
        dispute_id=pk,
        contact_ids=form.cleaned_data["contacts"],
        reason=form.cleaned_data["reason"],
    )
    told = escalation.contacts.count()
    messages.success(
        request,
        ngettext(
            "Joint intervention: %(n)d partner was told.",
            "Joint intervention: %(n)d partners were told.",
            told,
        )
        % {"n": told},
    )
    return redirect(BACK, pk=pk)


@mediation_page(back=BACK)
@require_POST
def session_book(request: HttpRequest, pk: int) -> HttpResponse:
    dispute_for(by=request.user, dispute_id=pk, action="session")
    form = SessionForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed({k: list(v) for k, v in form.errors.items()})
    starts_at, ends_at = form.times()
    sessions.session_book(
        by=request.user,
        dispute_id=pk,
        venue=form.cleaned_data["venue"],
        room=form.cleaned_data["room"],
        starts_at=starts_at,
        ends_at=ends_at,
        text_parties=form.cleaned_data["text_parties"],
    )
    messages.success(request, _("Session booked; the mediators have it in their calendars."))
    return redirect(BACK, pk=pk)


@mediation_page
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = sessions.session_cancel(by=request.user, session_id=pk)
    messages.success(request, _("Session cancelled."))
    return redirect(BACK, pk=session.dispute_id)


@mediation_page
@require_GET
def session_download(request: HttpRequest, pk: int) -> HttpResponse:
    session = Session.objects.filter(pk=pk).select_related("venue", "room").first()
    if session is None:
        raise Http404
    dispute_for(by=request.user, dispute_id=session.dispute_id, action="view")
    response = HttpResponse(
        session_ics(session=session, user=request.user), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@mediation_page(back=BACK)
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    dispute_for(by=request.user, dispute_id=pk, action="view")
    form = ConflictForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed({k: list(v) for k, v in form.errors.items()})
    mediator = form.cleaned_data["mediator"]
    reason = form.cleaned_data["reason"]
    if mediator and mediator != request.user.pk:
        assignment.conflict_record(
            by=request.user, dispute_id=pk, mediator_id=mediator, reason=reason
        )
        messages.success(request, _("Conflict recorded: she will not be proposed for this case."))
        return redirect("mediation_candidates", pk=pk)
    assignment.conflict_declare(by=request.user, dispute_id=pk, reason=reason)
    messages.success(request, _("Conflict declared: you are no longer on this case."))
    return redirect("mediation_my_cases")


@mediation_page
@require_GET
def dispute_audit(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = dispute_open(by=request.user, dispute_id=pk, via="audit trail", action="audit")
    page = Paginator(audit_entries(dispute=dispute), 50).get_page(request.GET.get("page"))
    entries_labelled(page.object_list)
    return render(request, "mediation/audit.html", {"dispute": dispute, "page": page})
