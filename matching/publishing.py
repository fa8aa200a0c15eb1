"""Publishing a proposal: every proposed person confirmed through the sign-up service.

The confirmation runs in a Celery task (a district's week is hundreds of seats, each confirmed
under the sign-up rules' locks and told by SMS and calendar), in one transaction: all of it
lands, or none of it and the run is ready to publish again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Assignment
from core.errors import Conflict, DomainError
from core.tasks import enqueue_on_commit

from .models import MatchProposal, MatchRun

logger = logging.getLogger(__name__)


def _claim(*, by, run: MatchRun) -> MatchRun:
    from .services import run_get

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
    from .tasks import match_run_publish

    with transaction.atomic():
        run = _claim(by=by, run=run)
        enqueue_on_commit(match_run_publish, run.pk)
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
    meanwhile, she took another shift) is skipped and reported, never forced. A failure rolls
    everything back and the run is ready to publish again, with the error shown."""
    try:
        with transaction.atomic():
            run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.status != MatchRun.Status.PUBLISHING:
                return None
            _confirm_all(run)
    except Exception as exc:  # recorded on the run: the coordinator sees it and can retry
        logger.exception("publishing matcher run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.PUBLISHING).update(
            status=MatchRun.Status.DONE, error=str(exc)[:2000]
        )
    return MatchRun.objects.filter(pk=run_id).first()


def _confirm_all(run: MatchRun) -> None:
    from activities.services.signup import assignment_create_confirmed

    by = run.published_by
    confirmed = skipped = 0
    proposals = run.proposals.filter(removed=False).select_related(
        "volunteer__user", "slot_role__slot"
    )
    for proposal in proposals.order_by("slot_role__slot__starts_at", "id"):
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
            skipped += 1
        else:
            proposal.outcome = MatchProposal.Outcome.CONFIRMED
            proposal.assignment = assignment
            confirmed += 1
        proposal.save(update_fields=["outcome", "outcome_note", "assignment"])
    run.status = MatchRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.stats = {**run.stats, "published": confirmed, "skipped": skipped}
    run.save(update_fields=["status", "published_at", "stats"])
