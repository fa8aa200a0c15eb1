"""Reads of matcher runs for pages and the API: visible runs, results, the proposal report."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from activities.models import SlotRole
from venues.models import Area
from venues.selectors import areas_in_scope

from ..models import MatchGap, MatchProposal, MatchRun
from ..reasons import gap_text


def areas_broadest_first(queryset: QuerySet[Area]) -> QuerySet[Area]:
    """District, then streets, then communities (the level's name does not sort that way)."""
    rank = Case(
        When(level=Area.Level.DISTRICT, then=Value(0)),
        When(level=Area.Level.STREET, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.annotate(level_rank=rank).order_by("level_rank", "name", "pk")


def runs_visible(*, user) -> QuerySet[MatchRun]:
    """Runs over areas the person coordinates (her area and everything under it)."""
    return MatchRun.objects.filter(area__in=areas_in_scope(user=user)).select_related(
        "area", "created_by"
    )


def run_proposals(*, run: MatchRun) -> QuerySet[MatchProposal]:
    return run.proposals.select_related(
        "volunteer__user", "slot_role__skill", "slot_role__slot__activity__venue"
    ).order_by("slot_role__slot__starts_at", "slot_role_id", "id")


def run_gaps(*, run: MatchRun) -> QuerySet[MatchGap]:
    return run.gaps.select_related("slot_role__skill", "slot_role__slot__activity__venue").order_by(
        "slot_role__slot__starts_at", "slot_role_id"
    )


def run_with_results(*, run: MatchRun) -> MatchRun:
    """The run with its proposals and gaps loaded, in slot order."""
    return MatchRun.objects.prefetch_related(
        Prefetch(
            "proposals",
            queryset=MatchProposal.objects.select_related(
                "volunteer__user", "slot_role__slot"
            ).order_by("slot_role__slot__starts_at", "slot_role_id", "id"),
        ),
        Prefetch(
            "gaps",
            queryset=MatchGap.objects.select_related(
                "slot_role__skill", "slot_role__slot"
            ).order_by("slot_role__slot__starts_at", "slot_role_id"),
        ),
    ).get(pk=run.pk)


def run_pairs(*, run: MatchRun) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(locked, removed) (slot role id, volunteer id) pairs the coordinator decided on."""
    locked, removed = [], []
    for role_id, vid, is_locked, is_removed in run.proposals.values_list(
        "slot_role_id", "volunteer_id", "locked", "removed"
    ):
        if is_removed:
            removed.append((role_id, vid))
        elif is_locked:
            locked.append((role_id, vid))
    return locked, removed


REPORT_SLOT_LIMIT = 300
REPORT_LOAD_LIMIT = 200


def run_report(*, run: MatchRun) -> dict:
    """What the proposal page shows: figures, each slot with who would go and why seats stay
    empty, and each volunteer's load."""
    proposals = list(run.proposals.select_related("volunteer__user").order_by("slot_role_id", "id"))
    gaps = list(run.gaps.all())
    role_ids = {p.slot_role_id for p in proposals} | {g.slot_role_id for g in gaps}
    roles = {
        role.pk: role
        for role in SlotRole.objects.filter(pk__in=role_ids).select_related(
            "skill", "slot__activity__venue"
        )
    }
    by_role: dict[int, list[MatchProposal]] = defaultdict(list)
    load: dict[int, dict] = {}
    for p in proposals:
        p.slot_role = roles[p.slot_role_id]
        by_role[p.slot_role_id].append(p)
        if p.removed:
            continue
        entry = load.setdefault(
            p.volunteer_id, {"volunteer": p.volunteer, "shifts": 0, "hours": 0.0}
        )
        entry["shifts"] += 1
        entry["hours"] += p.hours
    gap_by_role: dict[int, MatchGap] = {}
    for gap in gaps:
        gap.slot_role = roles[gap.slot_role_id]
        gap.text = gap_text(
            gap,
            removed=[str(p.volunteer) for p in by_role.get(gap.slot_role_id, []) if p.removed],
        )
        gap_by_role[gap.slot_role_id] = gap
    slots: dict[int, dict] = {}
    for role in sorted(roles.values(), key=lambda r: (r.slot.starts_at, r.slot_id, r.pk)):
        entry = slots.setdefault(role.slot_id, {"slot": role.slot, "roles": []})
        entry["roles"].append(
            {"role": role, "proposals": by_role.get(role.pk, []), "gap": gap_by_role.get(role.pk)}
        )
    active = sum(1 for p in proposals if not p.removed)
    seats = run.stats.get("seats", 0)
    slot_list = list(slots.values())
    return {
        "figures": {
            "proposed": active,
            "seats": seats,
            "empty": max(0, seats - active),
            "share": (active / seats) if seats else 1.0,
            "locked": sum(1 for p in proposals if p.locked and not p.removed),
            "removed": sum(1 for p in proposals if p.removed),
            # The people publishing would confirm and text: what its confirmation states.
            "notified": len(
                {
                    p.volunteer_id
                    for p in proposals
                    if not p.removed and p.outcome == MatchProposal.Outcome.PENDING
                }
            ),
        },
        "slots": slot_list[:REPORT_SLOT_LIMIT],
        "slots_hidden": max(0, len(slot_list) - REPORT_SLOT_LIMIT),
        # The busiest first: that is where a coordinator looks for overload.
        "loads": sorted(load.values(), key=lambda e: (-e["hours"], e["volunteer"].pk))[
            :REPORT_LOAD_LIMIT
        ],
        "loads_total": len(load),
        "gaps": sorted(gaps, key=lambda g: (g.slot_role.slot.starts_at, g.slot_role_id)),
    }
