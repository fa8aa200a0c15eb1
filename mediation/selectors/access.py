"""Who may see a dispute and what she may do with it: the one place this is decided.

A dispute exists for the coordinators of its area and of the areas above it, and for the
mediators assigned to it now; for everyone else it does not exist (404). Among those who see it,
``PERMISSIONS`` says which actions each kind of person may take (others get 403).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from venues.models import Area
from venues.selectors import area_subtree_q, areas_in_scope, coordinator_area_ids
from volunteers.roles import Role, role_flag, role_flag_register, roles_of

from ..models import Dispute, HotlineOperator, MediatorAssignment

COORDINATOR = "coordinator"
LEAD = "lead"
ASSISTANT = "assistant"

# action → who may take it (among the people who see the dispute at all).
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({COORDINATOR, LEAD, ASSISTANT}),
    "candidates": frozenset({COORDINATOR}),
    "assign": frozenset({COORDINATOR}),
    "edit": frozenset({COORDINATOR}),
    "assess": frozenset({COORDINATOR}),
    "close": frozenset({COORDINATOR}),
    "conflict_record": frozenset({COORDINATOR}),
    "audit": frozenset({COORDINATOR}),
    "visit": frozenset({COORDINATOR, LEAD, ASSISTANT}),
    "progress": frozenset({COORDINATOR, LEAD}),
    "escalate": frozenset({COORDINATOR, LEAD}),
    "session": frozenset({COORDINATOR, LEAD}),
    "conflict_declare": frozenset({LEAD, ASSISTANT}),
}
ACTIONS = tuple(PERMISSIONS)


def _active(user) -> Q:
    return Q(mediator=user, ended_at__isnull=True)


def disputes_visible(*, user) -> QuerySet[Dispute]:
    """Every dispute the person may see: her areas' and the ones she works on now."""
    if not user.is_authenticated:
        return Dispute.objects.none()
    mine = Exists(MediatorAssignment.objects.filter(_active(user), dispute=OuterRef("pk")))
    if user.is_superuser:
        return Dispute.objects.all()
    area_ids = coordinator_area_ids(user)
    if area_ids:
        return Dispute.objects.filter(Q(area__in=areas_in_scope(user=user)) | Q(mine))
    return Dispute.objects.filter(mine)


def dispute_role(*, user, dispute: Dispute) -> str | None:
    """``coordinator``, ``lead``, ``assistant`` or None (she does not see it)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser or areas_in_scope(user=user).filter(pk=dispute.area_id).exists():
        return COORDINATOR
    assignment = (
        MediatorAssignment.objects.filter(_active(user), dispute=dispute).only("role").first()
    )
    return assignment.role if assignment else None


def dispute_actions(*, user, dispute: Dispute) -> set[str]:
    role = dispute_role(user=user, dispute=dispute)
    if role is None:
        return set()
    return {action for action, roles in PERMISSIONS.items() if role in roles}


def is_coordinator_of(*, user, area: Area) -> bool:
    return user.is_authenticated and (
        user.is_superuser or areas_in_scope(user=user).filter(pk=area.pk).exists()
    )


def _tie_mediating() -> Exists:
    return Exists(MediatorAssignment.objects.filter(_active(OuterRef("pk"))))


def _tie_operator() -> Exists:
    return Exists(HotlineOperator.objects.filter(user=OuterRef("pk")))


TIE_MEDIATING, TIE_OPERATOR = "mediation_mediating", "mediation_operator"


def mediation_ties_register() -> None:
    """Her ties are read with her roles (``volunteers.roles``), in the same query: called by
    the app's ``ready``."""
    role_flag_register(TIE_MEDIATING, _tie_mediating)
    role_flag_register(TIE_OPERATOR, _tie_operator)


def _mediation_ties(user) -> tuple[bool, bool]:
    """Whether she works on a dispute now and whether she answers the hotline: read with her
    roles when those were read in this request (the second-factor rule reads them first), else
    in one query; cached on the user object for the request (the menu and the second-factor
    rule ask on every page)."""
    cached = getattr(user, "_mediation_ties", None)
    if cached is None:
        mediating, operator = role_flag(user, TIE_MEDIATING), role_flag(user, TIE_OPERATOR)
        if mediating is not None and operator is not None:
            cached = user._mediation_ties = (mediating, operator)
            return cached
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                tie_mediating=_tie_mediating(),
                tie_operator=_tie_operator(),
            )
            .values_list("tie_mediating", "tie_operator")
            .first()
        )
        cached = (bool(row[0]), bool(row[1])) if row else (False, False)
        user._mediation_ties = cached
    return cached


def is_hotline_operator(user) -> bool:
    """Cached on the user object for the request (the menu asks on every page)."""
    if not user.is_authenticated:
        return False
    return _mediation_ties(user)[1]


def intake_areas(*, user) -> QuerySet[Area]:
    """Areas she may take disputes in for: coordinators' areas, operators' areas (and below)."""
    if not user.is_authenticated:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    own = areas_in_scope(user=user)
    operator_ids = list(HotlineOperator.objects.filter(user=user).values_list("area_id", flat=True))
    if not operator_ids:
        return own
    return Area.objects.filter(Q(pk__in=own.values("pk")) | area_subtree_q(operator_ids))


def is_district_admin(user) -> bool:
    """Reads the whole audit log: administrators and coordinators of the whole district."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    ids = coordinator_area_ids(user)
    return bool(ids) and Area.objects.filter(pk__in=ids, level=Area.Level.DISTRICT).exists()


def user_can_open_disputes(user) -> bool:
    """Whether this person can open (read) disputes or take them in: coordinators,
    administrators, mediators and hotline operators. These people need a second factor once
    DEBUG is off."""
    if not user.is_authenticated:
        return False
    # Her roles (coordinator areas among them) come in one query, cached for the request.
    roles = roles_of(user)
    if user.is_superuser or Role.COORDINATOR in roles or Role.MEDIATOR in roles:
        return True
    mediating, operator = _mediation_ties(user)
    return mediating or operator
