"""Publishing a proposal: every proposed person confirmed through the sign-up service.

The confirmation runs in a Celery task (a district's week is hundreds of seats, each confirmed
under the sign-up rules' locks and told by SMS and calendar), one proposal per transaction, so
that volunteers signing up at the same time are never locked out or deadlocked. Each proposal
records its outcome with its confirmation: publishing again after a failure continues where it
stopped and never confirms anyone twice.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Assignment
from activities.services.signup import assignment_create_confirmed
from core.errors import Conflict, DomainError
from core.tasks import enqueue_on_commit

from ..models import MatchProposal, MatchRun
from .access import run_get

logger = logging.getLogger(__name__)


def _claim(*, by, run: MatchRun) -> MatchRun:
    run = run_get(by=by, run_id=run.pk)
    claimed = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.DONE).update(
        status=MatchRun.Status.PUBLISHING, published_by=by, error=""
    )
    if not claimed:
        raise Conflict(
            _("Only a finished proposal can be published; this run is %(status)s.")
            % {"status": run.get_status_display()},
            code="run_not_publishable",
        )
    return run


def run_publish_start(*, by, run: MatchRun) -> MatchRun:
    """Queue the publication; pressing twice publishes once (409 the second time)."""
    with transaction.atomic():
        run = _claim(by=by, run=run)
        enqueue_on_commit("matching.run_publish", run.pk)
    run.refresh_from_db()
    return run


def run_publish(*, by, run: MatchRun) -> MatchRun:
    """Publish at once, in this process (scripts and the command line)."""
    run = _claim(by=by, run=run)
    run_publish_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def run_publish_execute(*, run_id: int) -> MatchRun | None:
    """Confirm every proposed person; a proposal that no longer fits (someone signed up
    meanwhile, she took another shift) is skipped and reported, never forced.

    Each proposal is confirmed in its own short transaction, taking the locks in the same order
    as a sign-up (the proposal row, then the slot's roles, then her profile) and marking the
    proposal in it: publishing never holds more than one slot's locks, so a volunteer signing
    up at the same moment waits a moment instead of deadlocking with it. What was confirmed
    stays confirmed; after a failure (recorded on the run, which is ready to publish again) or
    a second delivery of the task, only the proposals still pending are confirmed."""
    run = MatchRun.objects.filter(pk=run_id).select_related("published_by").first()
    if run is None or run.status != MatchRun.Status.PUBLISHING:
        return None
    try:
        pending = list(
            run.proposals.filter(removed=False, outcome=MatchProposal.Outcome.PENDING)
            .order_by("slot_role__slot__starts_at", "id")
            .values_list("pk", flat=True)
        )
        for proposal_id in pending:
            _confirm_one(proposal_id=proposal_id, by=run.published_by)
    except Exception as exc:  # recorded on the run: the coordinator sees it and can retry
        logger.exception("publishing matcher run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.PUBLISHING).update(
            status=MatchRun.Status.DONE, error=str(exc)[:2000]
        )
    else:
        _finish(run)
    return MatchRun.objects.filter(pk=run_id).first()


def _confirm_one(*, proposal_id: int, by) -> None:
    with transaction.atomic():
        # Only the proposal row is locked here (not the profile it joins): the profile is
        # locked by the confirmation, after the slot's roles, as in every sign-up.
        proposal = (
            MatchProposal.objects.select_for_update(of=("self",))
            .select_related("volunteer__user", "slot_role__slot")
            .filter(pk=proposal_id, removed=False, outcome=MatchProposal.Outcome.PENDING)
            .first()
        )
        if proposal is None:  # done by another delivery of the task, or removed meanwhile
            return
        try:
            with transaction.atomic():
                assignment = assignment_create_confirmed(
                    volunteer=proposal.volunteer,
                    role=proposal.slot_role,
                    source=Assignment.Source.MATCHER,
                    by=by,
                )
        except DomainError as exc:
            proposal.outcome = MatchProposal.Outcome.SKIPPED
            proposal.outcome_note = str(exc.message)[:300]
        else:
            proposal.outcome = MatchProposal.Outcome.CONFIRMED
            proposal.outcome_note = ""
            proposal.assignment = assignment
        proposal.save(update_fields=["outcome", "outcome_note", "assignment"])


def _finish(run: MatchRun) -> None:
    counts = dict(
        run.proposals.filter(removed=False)
        .exclude(outcome=MatchProposal.Outcome.PENDING)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.PUBLISHING).update(
        status=MatchRun.Status.PUBLISHED,
        published_at=timezone.now(),
        error="",
        stats={
            **run.stats,
            "published": counts.get(MatchProposal.Outcome.CONFIRMED, 0),
            "skipped": counts.get(MatchProposal.Outcome.SKIPPED, 0),
        },
    )
