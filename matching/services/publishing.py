"""Publishing a proposal: every proposed person confirmed through the sign-up service.

The confirmation runs in a Celery task (a district's week is hundreds of seats, each confirmed
under the sign-up rules' locks and told by SMS and calendar), a day's slots per short
transaction taking the locks in the sign-up's order, so that volunteers signing up at the same
time are never locked out for long nor deadlocked. Each proposal records its outcome with its
confirmation: publishing again after a failure continues where it stopped and never confirms
anyone twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Assignment
from activities.services.signup import slots_seats_give
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


# At most this many proposals are confirmed in one transaction (a day's slots are split
# between slots beyond it), so that a sign-up never waits long for publishing's locks.
BATCH_PROPOSALS = 60


def run_publish_execute(*, run_id: int) -> MatchRun | None:
    """Confirm every proposed person; a proposal that no longer fits (someone signed up
    meanwhile, she took another shift) is skipped and reported, never forced.

    The slots of one day (at most ``BATCH_PROPOSALS`` proposals, a slot never split) are
    confirmed in one short transaction, taking the locks in the same order as a sign-up (the
    proposal rows, then the slots' roles, then the profiles, each in one statement by id) and
    marking the proposals in it. The people of a day are judged, seated and told together
    (``slots_seats_give``), so the number of queries follows the number of days, not of slots
    or people. What was confirmed stays confirmed; after a failure (recorded on the run, which
    is ready to publish again) or a second delivery of the task, only the proposals still
    pending are confirmed."""
    run = MatchRun.objects.filter(pk=run_id).select_related("published_by").first()
    if run is None or run.status != MatchRun.Status.PUBLISHING:
        return None
    try:
        for slot_ids in _batches(run):
            _confirm_slots(run_id=run.pk, slot_ids=slot_ids)
    except Exception as exc:  # recorded on the run: the coordinator sees it and can retry
        logger.exception("publishing matcher run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.PUBLISHING).update(
            status=MatchRun.Status.DONE, error=str(exc)[:2000]
        )
    else:
        _finish(run)
    return MatchRun.objects.filter(pk=run_id).first()


def _batches(run: MatchRun) -> list[list[int]]:
    """The slots with pending proposals, in order of time, cut into days of at most
    ``BATCH_PROPOSALS`` proposals (a slot with more is a batch of its own)."""
    counts: dict[int, int] = {}
    day_of: dict[int, object] = {}
    for slot_id, starts_at in (
        run.proposals.filter(removed=False, outcome=MatchProposal.Outcome.PENDING)
        .order_by("slot_role__slot__starts_at", "slot_role__slot_id")
        .values_list("slot_role__slot_id", "slot_role__slot__starts_at")
    ):
        counts[slot_id] = counts.get(slot_id, 0) + 1
        day_of[slot_id] = timezone.localdate(starts_at)
    batches: list[list[int]] = []
    size, day = 0, None
    for slot_id, count in counts.items():
        if not batches or day_of[slot_id] != day or size + count > BATCH_PROPOSALS:
            batches.append([])
            size, day = 0, day_of[slot_id]
        batches[-1].append(slot_id)
        size += count
    return batches


def _confirm_slots(*, run_id: int, slot_ids: list[int]) -> None:
    with transaction.atomic():
        # Only the proposal rows are locked here (not the profiles they join): the profiles are
        # locked by the confirmation, after the slots' roles, as in every sign-up.
        proposals = list(
            MatchProposal.objects.select_for_update(of=("self",))
            .select_related("volunteer__user")
            .annotate(slot_start=F("slot_role__slot__starts_at"), slot_pk=F("slot_role__slot_id"))
            .filter(
                run_id=run_id,
                slot_role__slot_id__in=slot_ids,
                removed=False,
                outcome=MatchProposal.Outcome.PENDING,
            )
            .order_by("pk")
        )
        if not proposals:  # done by another delivery of the task, or removed meanwhile
            return
        # Judged in order of time, as the slots come, each slot's people in the run's order.
        proposals.sort(key=lambda p: (p.slot_start, p.slot_pk, p.pk))
        outcomes = slots_seats_give(
            seats=[(p.volunteer, p.slot_role_id) for p in proposals],
            source=Assignment.Source.MATCHER,
        )
        confirmed: list[int] = []
        skipped: dict[str, list[int]] = defaultdict(list)
        for proposal, outcome in zip(proposals, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                skipped[str(outcome.message)[:300]].append(proposal.pk)
            else:
                confirmed.append(proposal.pk)
        if confirmed:
            # Her seat is her one live assignment on the slot (a constraint), confirmed in the
            # proposed role: found by the database, without a clause per proposal.
            MatchProposal.objects.filter(pk__in=confirmed).update(
                outcome=MatchProposal.Outcome.CONFIRMED,
                outcome_note="",
                assignment_id=Subquery(
                    Assignment.objects.filter(
                        role_id=OuterRef("slot_role_id"),
                        volunteer_id=OuterRef("volunteer_id"),
                        status=Assignment.Status.CONFIRMED,
                    ).values("pk")[:1]
                ),
            )
        for note, pks in skipped.items():  # as many as there are reasons, mostly one
            MatchProposal.objects.filter(pk__in=pks).update(
                outcome=MatchProposal.Outcome.SKIPPED, outcome_note=note
            )


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
