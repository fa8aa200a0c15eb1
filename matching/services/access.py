"""Who may use the matcher, and the runs and proposals she may see (others' do not exist)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import NotAllowed, NotFound
from venues.selectors import areas_in_scope
from volunteers.roles import Role, roles_of

from ..models import MatchProposal, MatchRun


def run_access_check(*, by) -> None:
    """Only coordinators (and admins) use the matcher; everyone else is refused (403). Asked
    of her roles, which the menu reads anyway and which bring her coordinator areas (for the
    scope of the page) in the same query."""
    roles = roles_of(by)
    if Role.COORDINATOR not in roles and Role.ADMIN not in roles:
        raise NotAllowed(_("Only coordinators can run the matcher."), code="coordinators_only")


def run_get(*, by, run_id: int) -> MatchRun:
    """A run the person may see; others' runs do not exist for her (404)."""
    run_access_check(by=by)
    run = MatchRun.objects.filter(pk=run_id, area__in=areas_in_scope(user=by)).first()
    if run is None:
        raise NotFound(_("No such matcher run in your area."), code="run_not_found")
    return run


def proposal_get(*, by, proposal_id: int) -> MatchProposal:
    run_access_check(by=by)
    proposal = (
        MatchProposal.objects.filter(pk=proposal_id, run__area__in=areas_in_scope(user=by))
        .select_related("run", "volunteer__user", "slot_role__slot__activity__venue")
        .first()
    )
    if proposal is None:
        raise NotFound(_("No such proposal in your area."), code="proposal_not_found")
    return proposal
