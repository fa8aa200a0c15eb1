"""The gate every service passes: the dispute, if the person sees it and may take the action."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import Conflict, NotAllowed, NotFound

from ..models import Dispute
from ..selectors.access import PERMISSIONS, dispute_role, disputes_visible


def dispute_for(*, by, dispute_id, action: str, lock: bool = False) -> Dispute:
    """The dispute ``dispute_id`` for ``by`` to take ``action`` on.

    NotFound (404) when she does not see it, NotAllowed (403) when she sees it but this action
    is not hers. ``lock`` re-reads the row under a lock (call inside a transaction).
    """
    try:
        pk = int(dispute_id)
    except (TypeError, ValueError):
        pk = None
    dispute = (
        disputes_visible(user=by).filter(pk=pk).select_related("area", "compound").first()
        if pk is not None
        else None
    )
    if dispute is None:
        raise NotFound(_("No such dispute."), code="dispute_not_found")
    role = dispute_role(user=by, dispute=dispute)
    if role not in PERMISSIONS[action]:
        raise NotAllowed(_("Your role on this case does not allow this."), code="not_your_role")
    if lock:
        dispute = (
            Dispute.objects.select_for_update()
            .select_related("area", "compound")
            .get(pk=dispute.pk)
        )
    dispute.viewer_role = role
    return dispute


def require_open(dispute: Dispute) -> None:
    if not dispute.is_open:
        raise Conflict(
            _("This case is %(status)s: reopen it first.")
            % {"status": dispute.get_status_display()},
            code="case_not_open",
        )
