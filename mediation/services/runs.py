"""Mediators for many disputes at once: the matcher's mediation solver proposes a team for
every unassigned dispute of an area, urgent ones first, with caps and exclusions kept; the
coordinator locks and removes, runs again around her decisions, and publishes."""

from __future__ import annotations

import logging
import time as clock
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed
from core.tasks import enqueue_each, enqueue_on_commit
from matching.engine.jsonio import load_instance
from matching.engine.mediation.solve import solve_mediation
from venues.models import Area
from venues.selectors import areas_in_scope, is_coordinator

from ..models import MediationGap, MediationProposal, MediationRun
from ..selectors.runs import run_instance
from .assignment import dispute_assign

logger = logging.getLogger(__name__)


def run_access_check(*, by) -> None:
    if not is_coordinator(by):
        raise NotAllowed(_("Only coordinators match mediators."), code="coordinators_only")


def run_get(*, by, run_id) -> MediationRun:
    run_access_check(by=by)
    run = (
        MediationRun.objects.filter(pk=run_id, area__in=areas_in_scope(user=by))
        .select_related("area")
        .first()
    )
    if run is None:
        raise NotFound(_("No such run in your area."), code="run_not_found")
    return run


def run_create(*, by, area: Area | None, seed: int = 0) -> MediationRun:
    run_access_check(by=by)
    if area is None:
        raise ValidationFailed({"area": [_("Choose the area.")]})
    if not areas_in_scope(user=by).filter(pk=area.pk).exists():
        raise ValidationFailed({"area": [_("You match mediators only for your own areas.")]})
    with transaction.atomic():
        run = MediationRun.objects.create(area=area, created_by=by, seed=seed)
        _enqueue(run)
    return run


RUN_EXECUTE = "mediation.tasks.mediation_run_execute"


# A queued run is left this long to its task before the sweep hands it over again.
REQUEUE_AFTER = timedelta(minutes=2)


def _enqueue(run: MediationRun) -> None:
    enqueue_on_commit(RUN_EXECUTE, run.pk)


def runs_requeue(*, now: datetime | None = None) -> int:
    """Every minute (beat): hand over again the runs still queued a while after they were
    created (their task never reached a worker); ``run_execute`` takes a queued run once."""
    now = now or timezone.now()
    stale = MediationRun.objects.filter(
        status=MediationRun.Status.QUEUED, created_at__lte=now - REQUEUE_AFTER
    ).values_list("pk", flat=True)
    return enqueue_each(RUN_EXECUTE, stale, what="mediation run")


def run_execute(*, run_id: int) -> MediationRun | None:
    """Solve and store the proposals; a duplicate delivery of the task does nothing."""
    claimed = MediationRun.objects.filter(pk=run_id, status=MediationRun.Status.QUEUED).update(
        status=MediationRun.Status.RUNNING, started_at=timezone.now(), progress=10, error=""
    )
    if not claimed:
        return None
    run = MediationRun.objects.select_related("area").get(pk=run_id)
    try:
        stats = _execute(run)
    except Exception as exc:  # recorded on the run; the worker stays up
        logger.exception("mediation run %s failed", run_id)
        MediationRun.objects.filter(pk=run_id).update(
            status=MediationRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    else:
        MediationRun.objects.filter(pk=run_id).update(
            status=MediationRun.Status.DONE, progress=100, stats=stats, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def _execute(run: MediationRun) -> dict:
    began = clock.monotonic()
    kept = list(run.proposals.filter(locked=True, removed=False))
    removed = list(run.proposals.filter(removed=True).values_list("dispute_id", "mediator_id"))
    run.proposals.filter(locked=False, removed=False).delete()
    run.gaps.all().delete()
    locked: dict[int, dict[str, int]] = {}
    for p in kept:
        locked.setdefault(p.dispute_id, {})[p.role] = p.mediator_id
    built = run_instance(area=run.area, locked=locked, removed=removed)
    MediationRun.objects.filter(pk=run.pk).update(progress=40)
    problem = load_instance(built.instance)
    result = solve_mediation(
        problem,
        time_limit=settings.MEDIATION_MATCHER_TIME_LIMIT_SECONDS,
        seed=run.seed,
        locked=built.locked,
        excluded=built.excluded,
    )
    existing = {(p.dispute_id, p.mediator_id) for p in kept}
    new = []
    for team in result.assignments:
        dispute_id = int(team.dispute)
        for role, key in (("lead", team.lead), ("assistant", team.assistant)):
            if key is None or (dispute_id, int(key)) in existing:
                continue
            new.append(
                MediationProposal(
                    run=run,
                    dispute_id=dispute_id,
                    mediator_id=int(key),
                    role=role,
                    distance_km=round(built.distance(team.dispute, key), 2),
                )
            )
    MediationProposal.objects.bulk_create(new, batch_size=1000)
    MediationGap.objects.bulk_create(
        MediationGap(run=run, dispute_id=int(u.dispute), reason=u.reason, counts=dict(u.counts))
        for u in result.unstaffed
    )
    score = result.score
    return {
        "disputes": score.disputes,
        "staffed": score.staffed,
        "urgency_weight": score.urgency_weight,
        "urgency_weight_total": score.urgency_weight_total,
        "bound": result.bound.value,
        "distance_km": round(score.distance_km, 1),
        "mediators": len(built.instance["mediators"]),
        "left_out_no_location": built.without_location,
        "seconds": round(clock.monotonic() - began, 2),
    }


def _editable(*, by, proposal: MediationProposal) -> MediationRun:
    run = run_get(by=by, run_id=proposal.run_id)
    if run.status != MediationRun.Status.DONE:
        raise Conflict(
            _("This proposal can no longer be changed: the run is %(status)s.")
            % {"status": run.get_status_display()},
            code="run_not_editable",
        )
    return run


def proposal_get(*, by, proposal_id) -> MediationProposal:
    run_access_check(by=by)
    proposal = (
        MediationProposal.objects.filter(pk=proposal_id, run__area__in=areas_in_scope(user=by))
        .select_related("run", "dispute", "mediator")
        .first()
    )
    if proposal is None:
        raise NotFound(_("No such proposal in your area."), code="proposal_not_found")
    return proposal


def proposal_lock(*, by, proposal: MediationProposal, locked: bool = True) -> MediationProposal:
    """Lock (or unlock) a team: the lead and the assistant of that dispute stay together."""
    _editable(by=by, proposal=proposal)
    if proposal.removed:
        raise Conflict(_("This person was removed from the proposal."), code="removed")
    MediationProposal.objects.filter(
        run_id=proposal.run_id, dispute_id=proposal.dispute_id, removed=False
    ).update(locked=locked)
    proposal.locked = locked
    return proposal


def proposal_remove(*, by, proposal: MediationProposal) -> MediationProposal:
    """Take this person off this dispute; a new run will not propose her for it again."""
    _editable(by=by, proposal=proposal)
    MediationProposal.objects.filter(run_id=proposal.run_id, dispute_id=proposal.dispute_id).update(
        locked=False
    )
    proposal.removed = True
    proposal.locked = False
    proposal.save(update_fields=["removed", "locked"])
    return proposal


def run_rerun(*, by, run: MediationRun) -> MediationRun:
    run = run_get(by=by, run_id=run.pk)
    with transaction.atomic():
        updated = MediationRun.objects.filter(
            pk=run.pk, status__in=[MediationRun.Status.DONE, MediationRun.Status.FAILED]
        ).update(status=MediationRun.Status.QUEUED, progress=0, error="", finished_at=None)
        if not updated:
            raise Conflict(
                _("This run is %(status)s: it cannot be run again.")
                % {"status": run.get_status_display()},
                code="run_not_rerunnable",
            )
        _enqueue(run)
    run.refresh_from_db()
    return run


def run_publish(*, by, run: MediationRun) -> MediationRun:
    """Assign every proposed team through the assignment service, which checks each again.
    A team that no longer fits is left out with the reason; each mediator gets one text."""
    run = run_get(by=by, run_id=run.pk)
    claimed = MediationRun.objects.filter(pk=run.pk, status=MediationRun.Status.DONE).update(
        status=MediationRun.Status.PUBLISHED
    )
    if not claimed:
        raise Conflict(
            _("This run is %(status)s: there is nothing to publish.")
            % {"status": run.get_status_display()},
            code="run_not_publishable",
        )
    teams: dict[int, dict[str, MediationProposal]] = {}
    for p in run.proposals.filter(removed=False, outcome=MediationProposal.Outcome.PENDING):
        teams.setdefault(p.dispute_id, {})[p.role] = p
    published = skipped = 0
    for dispute_id, team in sorted(teams.items()):
        lead, assistant = team.get("lead"), team.get("assistant")
        members = [p for p in (lead, assistant) if p is not None]
        try:
            if lead is None:
                raise Conflict(_("No lead was proposed."), code="no_lead")
            dispute_assign(
                by=by,
                dispute_id=dispute_id,
                lead_id=lead.mediator_id,
                assistant_id=assistant.mediator_id if assistant else None,
                dedupe_prefix=f"run-{run.pk}",
            )
        except DomainError as exc:
            note = getattr(exc, "errors", None)
            text = "; ".join(m for msgs in note.values() for m in msgs) if note else exc.message
            for p in members:
                p.outcome, p.outcome_note = MediationProposal.Outcome.SKIPPED, text[:300]
            skipped += 1
        else:
            for p in members:
                p.outcome = MediationProposal.Outcome.CONFIRMED
            published += 1
        MediationProposal.objects.bulk_update(members, ["outcome", "outcome_note"])
    stats = {**run.stats, "published": published, "skipped": skipped}
    MediationRun.objects.filter(pk=run.pk).update(stats=stats, finished_at=timezone.now())
    run.refresh_from_db()
    return run
