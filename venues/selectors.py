"""Who may see and edit which areas and venues: the one place where scope is decided."""

from __future__ import annotations

from django.db.models import Case, Q, QuerySet, Value, When

from .models import Area, Venue


def area_subtree_q(area_ids, prefix: str = "") -> Q:
    """Areas that are one of ``area_ids`` or lie under one of them (the tree is 3 levels)."""
    ids = list(area_ids)
    return (
        Q(**{f"{prefix}pk__in": ids})
        | Q(**{f"{prefix}parent__in": ids})
        | Q(**{f"{prefix}parent__parent__in": ids})
    )


def coordinator_area_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_coordinator_area_ids", None)
    if cached is None:
        cached = list(user.coordinatorships.values_list("area_id", flat=True))
        user._coordinator_area_ids = cached
    return cached


def coordinator_area_ids_keep(user, area_ids: list[int]) -> None:
    """Keep her coordinator areas, read by a query of the caller's own (her roles), for the
    request: :func:`coordinator_area_ids` then answers from them."""
    if getattr(user, "_coordinator_area_ids", None) is None:
        user._coordinator_area_ids = list(area_ids)


def is_coordinator(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or coordinator_area_ids(user)))


def may_manage_venues(user) -> bool:
    """Hosts, coordinators and admins manage venues and what happens at them; the others do
    not reach those lists at all (which venue she may change is ``venue_can_edit``)."""
    if not user.is_authenticated:
        return False
    return is_coordinator(user) or user.hosted_venues.exists()


def is_district_coordinator(user) -> bool:
    """She coordinates a whole district (or is an admin): people not yet placed in an area are
    hers to look after, no one else's."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    ids = coordinator_area_ids(user)
    return bool(ids) and Area.objects.filter(pk__in=ids, level=Area.Level.DISTRICT).exists()


def areas_in_scope(*, user) -> QuerySet[Area]:
    """Areas a coordinator looks after: her own and everything under them (admins: all)."""
    if user.is_superuser:
        return Area.objects.all()
    ids = coordinator_area_ids(user)
    if not ids:
        return Area.objects.none()
    return Area.objects.filter(area_subtree_q(ids))


def areas_in_scope_q(*, user, prefix: str) -> Q:
    """The rows whose area, reached by ``prefix`` (e.g. ``"activity__venue__area__"``), is one
    of ``areas_in_scope(user=user)``: the same rule, written on the rows' own joins rather than
    as a subquery of areas, for a list read on every view of a page."""
    if user.is_superuser:
        return Q()
    ids = coordinator_area_ids(user)
    if not ids:
        return Q(**{f"{prefix}pk__in": []})
    return area_subtree_q(ids, prefix=prefix)


def venues_in_scope(*, user) -> QuerySet[Venue]:
    """Venues a person manages: a coordinator's whole area, a host's own venues."""
    if user.is_superuser:
        return Venue.objects.all()
    if not user.is_authenticated:
        return Venue.objects.none()
    q = Q(hosts=user)
    ids = coordinator_area_ids(user)
    if ids:
        q |= Q(area__in=Area.objects.filter(area_subtree_q(ids)))
    return Venue.objects.filter(q).distinct()


def venue_can_edit(*, user, venue: Venue) -> bool:
    return venues_in_scope(user=user).filter(pk=venue.pk).exists()


def area_list() -> QuerySet[Area]:
    return Area.objects.select_related("parent")


# District first, then its streets, then their communities.
LEVEL_ORDER = Case(
    When(level=Area.Level.DISTRICT, then=Value(0)),
    When(level=Area.Level.STREET, then=Value(1)),
    default=Value(2),
)


def venues_public() -> QuerySet[Venue]:
    """Venues anyone may see (active), with their area."""
    return Venue.objects.filter(is_active=True).select_related("area__parent")


def areas_with_venues() -> QuerySet[Area]:
    """Areas that hold (or whose children hold) an active venue, for the public area filter."""
    return (
        Area.objects.filter(
            Q(venues__is_active=True)
            | Q(children__venues__is_active=True)
            | Q(children__children__venues__is_active=True)
        )
        .distinct()
        .order_by(LEVEL_ORDER, "name")
    )
