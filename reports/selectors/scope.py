"""Which areas a person may read reports for: coordinators, their areas and everything under
them; administrators, every area. For anyone else a report does not exist (404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from venues.models import Area
from venues.selectors import LEVEL_ORDER, areas_in_scope, coordinator_area_ids


def report_areas(*, user) -> QuerySet[Area]:
    """Areas she may read reports for: her own and everything under them, district first."""
    return areas_in_scope(user=user).select_related("parent").order_by(LEVEL_ORDER, "name")


def report_area_default(*, user) -> Area:
    areas = report_areas(user=user)
    own = coordinator_area_ids(user)
    area = areas.filter(pk__in=own).first() if own else areas.first()
    if area is None:
        raise NotFound(_("Not found."))
    return area


def report_area_get(*, user, area_id) -> Area:
    """Her area by id; any other area, or a person who coordinates nothing, is not found."""
    try:
        pk = int(area_id)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
    area = report_areas(user=user).filter(pk=pk).first()
    if area is None:
        raise NotFound(_("Not found."))
    return area
