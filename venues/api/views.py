"""API of areas and venues: validate, call one service, serialize the result."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import UserLanguageMixin

from .. import services
from ..models import Area, Venue
from ..selectors import areas_in_scope, is_coordinator, may_manage_venues, venues_in_scope
from .serializers import AreaSerializer, VenueSerializer


@extend_schema_view(
    list=extend_schema(summary="Areas in the coordinator's scope"),
    create=extend_schema(summary="Add a street or community within the coordinator's area"),
)
class AreaViewSet(
    UserLanguageMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = AreaSerializer
    filterset_fields = ["level", "parent"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Area.objects.none()
        self._require_coordinator()
        return areas_in_scope(user=self.request.user).order_by("level", "name")

    def _require_coordinator(self) -> None:
        if not is_coordinator(self.request.user):
            raise PermissionDenied(_("Only coordinators manage areas."))

    def create(self, request, *args, **kwargs):
        self._require_coordinator()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        area = services.area_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(area).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Venues the person manages (hosts: their own)"),
    create=extend_schema(summary="Open a venue (coordinators, within their area)"),
    partial_update=extend_schema(summary="Change a venue (its hosts or a coordinator)"),
)
class VenueViewSet(
    UserLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = VenueSerializer
    filterset_fields = ["kind", "area"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Venue.objects.none()
        user = self.request.user
        if not may_manage_venues(user):
            raise PermissionDenied(_("Only hosts and coordinators manage venues."))
        return (
            venues_in_scope(user=user)
            .select_related("area")
            .prefetch_related("hosts", "rooms")
            .order_by("name", "id")
        )

    def create(self, request, *args, **kwargs):
        # Who may open a venue is decided before her input is read (403, not a field error).
        if not is_coordinator(request.user):
            raise PermissionDenied(_("Only coordinators open new venues."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        venue = services.venue_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(venue).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        # Only a venue she manages can be named (404 otherwise); the service still refuses (403)
        # the fields that only the area's coordinators change.
        venue = self.get_object()
        serializer = self.get_serializer(venue, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        venue = services.venue_update(venue=venue, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(Venue.objects.get(pk=venue.pk)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)
