"""Matcher runs: start one, let the engine propose, adjust the proposal (``publishing`` then
confirms it).

Every page, API view and task calls these. Seats already held (confirmed sign-ups, earlier
published assignments) are never moved: the instance only offers what is still open, and
publishing confirms each proposal through the sign-up service, which re-checks every rule.
"""

from __future__ import annotations

import logging
import time as clock
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotAllowed, ValidationFailed
from core.tasks import enqueue_each, enqueue_on_commit
from venues.models import Area
from venues.selectors import areas_in_scope

from .. import engine_adapter
from ..models import MatchGap, MatchProposal, MatchRun
from ..selectors import key_id, run_pairs, week_inputs, weeks_of
from .access import run_access_check, run_get

logger = logging.getLogger(__name__)

MAX_RUN_DAYS = 62


def run_validate(*, by, area: Area | None, start: date | None, end: date | None) -> None:
    errors: dict[str, list[str]] = {}
    if area is None:
        errors["area"] = [_("Choose the area to staff.")]
    if start is None:
        errors["start"] = [_("Give the first day.")]
    if end is None:
        errors["end"] = [_("Give the last day.")]
    if start and end:
        today = timezone.localdate()
        if end < start:
            errors["end"] = [_("The last day cannot come before the first.")]
        elif end < today:
            errors["end"] = [_("These days have passed.")]
        elif (end - start).days + 1 > MAX_RUN_DAYS:
            errors["end"] = [_("A run covers at most %(days)d days.") % {"days": MAX_RUN_DAYS}]
    if errors:
        raise ValidationFailed(errors)
    if not areas_in_scope(user=by).filter(pk=area.pk).exists():
        raise NotAllowed(
            _("You can run the matcher only for the areas you coordinate."), code="not_your_area"
        )


def run_create(
    *, by, area: Area | None, start: date | None, end: date | None, slot_ids=(), seed: int = 0
) -> MatchRun:
    """Queue a run over the area (and below) from ``start`` to ``end`` (local dates).

    Raises NotAllowed for people who are not coordinators of the area, ValidationFailed for
    bad dates. The task runs after commit; in the embedded default it runs at once.
    """
    run_access_check(by=by)
    run_validate(by=by, area=area, start=start, end=end)
    with transaction.atomic():
        run = MatchRun.objects.create(
            area=area,
            start=max(start, timezone.localdate()),
            end=end,
            slot_ids=sorted({int(pk) for pk in slot_ids}),
            seed=seed,
            created_by=by,
        )
        _enqueue(run)
    return run


RUN_EXECUTE = "matching.run_execute"
# A queued run is left this long to its task before the sweep hands it over again.
REQUEUE_AFTER = timedelta(minutes=2)


def _enqueue(run: MatchRun) -> None:
    enqueue_on_commit(RUN_EXECUTE, run.pk)


def runs_requeue(*, now: datetime | None = None) -> int:
    """Every minute (beat): hand over again the runs still queued a while after they were
    created, whose task was never queued (the broker was down) or was lost. A run already taken
    by a worker is not queued any more, and ``run_execute`` takes a queued run only once."""
    now = now or timezone.now()
    stale = MatchRun.objects.filter(
        status=MatchRun.Status.QUEUED, created_at__lte=now - REQUEUE_AFTER
    ).values_list("pk", flat=True)
    return enqueue_each(RUN_EXECUTE, stale, what="matcher run")


def _progress(run_id: int, value: int) -> None:
    # Written outside any transaction so the progress bar sees it while the run goes on.
    MatchRun.objects.filter(pk=run_id).update(progress=max(0, min(100, value)))


def run_execute(*, run_id: int) -> MatchRun | None:
    """Build each week's instance, solve it and store proposals and empty-seat reasons.

    Only a queued run is executed (a duplicate delivery of the task does nothing). A failure is
    recorded on the run rather than raised: the coordinator sees it on the run's page.
    """
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=1, error=""
    )
    if not claimed:
        return None
    run = MatchRun.objects.select_related("area").get(pk=run_id)
    try:
        stats = _execute(run)
    except Exception as exc:  # the run records any failure; the worker stays up
        logger.exception("matcher run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    MatchRun.objects.filter(pk=run_id).update(
        status=MatchRun.Status.DONE, progress=100, stats=stats, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def _execute(run: MatchRun) -> dict:
    began = clock.monotonic()
    locked, removed = run_pairs(run=run)
    # Proposals confirmed by an interrupted publication are seats held now: the engine gets
    # them as fixed pairs, and they stay on the run as its record.
    confirmed = set(
        run.proposals.filter(outcome=MatchProposal.Outcome.CONFIRMED).values_list(
            "slot_role_id", "volunteer_id"
        )
    )
    locked = [pair for pair in locked if pair not in confirmed]
    # A re-run keeps the coordinator's decisions (locks, removals) and replaces the rest.
    run.proposals.filter(locked=False, removed=False).exclude(
        outcome=MatchProposal.Outcome.CONFIRMED
    ).delete()
    run.proposals.exclude(outcome=MatchProposal.Outcome.CONFIRMED).update(
        outcome=MatchProposal.Outcome.PENDING, outcome_note="", assignment=None
    )
    run.gaps.all().delete()
    kept = {(r, v) for r, v in locked} | confirmed
    n_weeks = max(1, len(weeks_of(run.start, run.end)))
    totals = {"filled": 0, "seats": 0, "held": 0, "bound": 0, "cost": 0.0, "slots": 0, "pairs": 0}
    largest = 0
    volunteers_seen = 0
    bound_kinds: set[str] = set()
    time_limit = settings.MATCHER_TIME_LIMIT_SECONDS / n_weeks
    weeks = week_inputs(
        area=run.area,
        start=run.start,
        end=run.end,
        slot_ids=run.slot_ids,
        locked=locked,
        excluded=removed,
    )
    for index, week in enumerate(weeks):
        # Reading the week's data is about a quarter of its time, the engine most of the rest.
        _progress(run.pk, 5 + int(90 * (index + 0.25) / n_weeks))
        seats = week.open_seats
        totals["seats"] += seats
        totals["slots"] += len(week.instance["slots"])
        totals["held"] += sum(week.seated.values())
        volunteers_seen = max(volunteers_seen, len(week.instance["volunteers"]))
        # The engine's problem replaces the instance's dictionaries, freed before the solve.
        problem = engine_adapter.load(week.instance)
        week.instance = {}
        result = engine_adapter.solve(
            problem,
            time_limit=time_limit,
            seed=run.seed,
            fixed=week.fixed,
            locked=week.locked,
            excluded=week.excluded,
        )
        _progress(run.pk, 5 + int(90 * (index + 0.9) / n_weeks))
        new = []
        for slot_key, vol_key, cost in result.assignments:
            pair = (key_id(slot_key), key_id(vol_key))
            if pair not in kept:
                kept.add(pair)
                new.append(
                    MatchProposal(
                        run=run,
                        slot_role_id=pair[0],
                        volunteer_id=pair[1],
                        cost=round(cost, 3),
                        hours=week.hours.get(slot_key, 0),
                    )
                )
        MatchProposal.objects.bulk_create(new, batch_size=2000)
        totals["filled"] += len(result.assignments)
        totals["pairs"] += result.engine_stats.get("pairs", 0)
        largest = max(largest, result.engine_stats.get("largest_component_pairs", 0))
        totals["cost"] += result.cost
        totals["bound"] += result.bound if result.bound is not None else seats
        if result.bound_kind:
            bound_kinds.add(result.bound_kind)
        MatchGap.objects.bulk_create(
            (
                MatchGap(
                    run=run,
                    slot_role_id=key_id(gap["slot"]),
                    empty=gap["empty"],
                    reason=gap["reason"],
                    counts=gap.get("counts") or {},
                )
                for gap in result.gaps
            ),
            batch_size=2000,
        )
        del week, result, problem
    seats = totals["seats"]
    filled = totals["filled"]
    return {
        "filled": filled,
        "seats": seats,
        "share": round(filled / seats, 4) if seats else 1.0,
        "bound": totals["bound"],
        "bound_kind": "+".join(sorted(bound_kinds)),
        "ratio": round(filled / totals["bound"], 4) if totals["bound"] else 1.0,
        "cost": round(totals["cost"], 2),
        "cost_per_seat": round(totals["cost"] / filled, 3) if filled else 0.0,
        "already_held": totals["held"],
        "slots": totals["slots"],
        "volunteers": volunteers_seen,
        # Possible pairs over the weeks, and in the largest component the engine solved.
        "pairs": totals["pairs"],
        "largest_component_pairs": largest,
        "seconds": round(clock.monotonic() - began, 2),
    }


def _editable(*, by, proposal: MatchProposal) -> MatchRun:
    run = run_get(by=by, run_id=proposal.run_id)
    if run.status != MatchRun.Status.DONE:
        raise Conflict(
            _("This proposal can no longer be changed: the run is %(status)s.")
            % {"status": run.get_status_display()},
            code="run_not_editable",
        )
    if proposal.outcome == MatchProposal.Outcome.CONFIRMED:
        raise Conflict(
            _("This person is already confirmed for the shift."), code="proposal_confirmed"
        )
    return run


def proposal_lock(*, by, proposal: MatchProposal, locked: bool = True) -> MatchProposal:
    """A locked person stays where she is when the run is repeated."""
    _editable(by=by, proposal=proposal)
    if proposal.removed:
        raise Conflict(_("This person was removed from the proposal."), code="removed")
    proposal.locked = locked
    proposal.save(update_fields=["locked"])
    return proposal


def proposal_remove(*, by, proposal: MatchProposal) -> MatchProposal:
    """Take the person off this seat; a re-run will not propose her for it again."""
    _editable(by=by, proposal=proposal)
    proposal.removed = True
    proposal.locked = False
    proposal.save(update_fields=["removed", "locked"])
    return proposal


def run_rerun(*, by, run: MatchRun) -> MatchRun:
    """Run again around the locks: locked people stay, removed pairs stay out."""
    run = run_get(by=by, run_id=run.pk)
    with transaction.atomic():
        updated = MatchRun.objects.filter(
            pk=run.pk, status__in=[MatchRun.Status.DONE, MatchRun.Status.FAILED]
        ).update(status=MatchRun.Status.QUEUED, progress=0, error="", finished_at=None)
        if not updated:
            raise Conflict(
                _("This run is %(status)s: it cannot be run again.")
                % {"status": run.get_status_display()},
                code="run_not_rerunnable",
            )
        run.start = max(run.start, timezone.localdate())
        if run.end < run.start:
            raise Conflict(_("These days have passed."), code="run_past")
        MatchRun.objects.filter(pk=run.pk).update(start=run.start)
        _enqueue(run)
    run.refresh_from_db()
    return run
