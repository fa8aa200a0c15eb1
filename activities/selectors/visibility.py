"""Which slots a person may see at all: the one place that decides it for pages, the API and
feeds. A slot of a confidential kind (``CONFIDENTIAL_KINDS``) exists only for the people on it
and those who manage it; for anyone else it answers 404, like a slot that does not exist."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from venues.selectors import venues_in_scope

from ..models import CONFIDENTIAL_KINDS, Assignment, Slot


def slots_visible(*, user, queryset: QuerySet[Slot] | None = None) -> QuerySet[Slot]:
    """``queryset`` (default: every slot) without the confidential slots ``user`` is neither on
    (a live sign-up of hers) nor manages (host of the venue, coordinator of its area, admin)."""
    queryset = Slot.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.is_superuser:
        return queryset
    shown = ~Q(activity__kind__in=CONFIDENTIAL_KINDS)
    if user.is_authenticated:
        hers = Assignment.objects.filter(slot=OuterRef("pk"), volunteer__user=user).exclude(
            status=Assignment.Status.CANCELLED
        )
        shown |= Exists(hers) | Q(activity__venue__in=venues_in_scope(user=user).values("pk"))
    return queryset.filter(shown)


def slot_visible_to(*, user, slot: Slot) -> bool:
    """Whether ``user`` may see ``slot`` (loaded with its activity): the rule of
    ``slots_visible`` for one slot, read without a query unless its kind is confidential."""
    if not slot.activity.is_confidential:
        return True
    return slots_visible(user=user).filter(pk=slot.pk).exists()
