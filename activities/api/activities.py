"""API for hosts and coordinators: post activities, move or cancel occurrences with a scope."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import UserLanguageMixin
from venues.selectors import may_manage_venues, venues_in_scope

from ..models import Activity, Slot
from ..services.activities import activity_create
from ..services.series import slot_cancel, slot_update
from ..services.updates import activity_update
from .serializers import (
    ActivitySerializer,
    SlotChangeSerializer,
    SlotsChangedSerializer,
    SlotScopeSerializer,
)


def _managed_slot(user, pk: int) -> Slot:
    """A slot at a venue she hosts or coordinates; any other answers 404, as for a wrong id."""
    return get_object_or_404(
        Slot.objects.select_related("activity__venue").filter(
            activity__venue__in=venues_in_scope(user=user)
        ),
        pk=pk,
    )


def _require_manager(user) -> None:
    if not may_manage_venues(user):
        raise PermissionDenied(_("Only hosts and coordinators manage activities."))


@extend_schema_view(
    list=extend_schema(summary="Activities at the venues the person manages"),
    create=extend_schema(summary="Post an activity (one-off or recurring); creates its slots"),
    retrieve=extend_schema(summary="One activity"),
    partial_update=extend_schema(
        summary="Change the whole series: details, times, rule, excepted dates or roles",
        description="Roles given with their `id` are changed, without one are added, and "
        "roles left out are removed (refused while people hold seats in them).",
    ),
)
class ActivityViewSet(
    UserLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivitySerializer
    filterset_fields = ["venue", "kind", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Activity.objects.none()
        _require_manager(self.request.user)
        return (
            Activity.objects.filter(venue__in=venues_in_scope(user=self.request.user))
            .prefetch_related("roles__skill")
            .annotate(
                slots_upcoming=Count(
                    "slots",
                    filter=Q(slots__status="scheduled", slots__starts_at__gte=timezone.now()),
                )
            )
            .order_by("starts_at", "id")
        )

    def create(self, request, *args, **kwargs):
        _require_manager(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity = activity_create(by=request.user, **data)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        _require_manager(request.user)
        # Only an activity at her venues can be named (404 otherwise, as for a wrong id).
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        activity = activity_update(activity=activity, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(activity).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class SlotRescheduleView(UserLanguageMixin, APIView):
    @extend_schema(
        summary="Move an occurrence: this one, this and the following, or all",
        request=SlotChangeSerializer,
        responses=SlotsChangedSerializer,
    )
    def post(self, request, pk: int):
        slot = _managed_slot(request.user, pk)
        serializer = SlotChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = slot_update(slot=slot, by=request.user, **serializer.validated_data)
        return Response(SlotsChangedSerializer({"slots": changed}).data)


class SlotCancelView(UserLanguageMixin, APIView):
    @extend_schema(
        summary="Cancel an occurrence: this one, this and the following, or all",
        request=SlotScopeSerializer,
        responses=SlotsChangedSerializer,
    )
    def post(self, request, pk: int):
        slot = _managed_slot(request.user, pk)
        serializer = SlotScopeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cancelled = slot_cancel(slot=slot, by=request.user, **serializer.validated_data)
        return Response(SlotsChangedSerializer({"slots": cancelled}).data)
