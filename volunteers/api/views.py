"""API of volunteers: her own profile, weekly availability and time away; skills; teams and
their members (coordinators); verifying skills and importing volunteers (coordinators)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import UserLanguageMixin
from core.errors import NotAllowed, NotFound
from core.uploads import upload_size_check
from venues.selectors import is_coordinator

from .. import selectors, services
from ..csv_import import volunteers_import_csv
from ..models import Absence, Availability, TeamMembership, VolunteerProfile, VolunteerSkill
from .serializers import (
    AbsenceSerializer,
    AvailabilitySerializer,
    ImportErrorSerializer,
    ImportSerializer,
    MemberWriteSerializer,
    PendingSkillSerializer,
    SkillSerializer,
    TeamSerializer,
    VolunteerSerializer,
    VolunteerWriteSerializer,
)


def own_profile(request) -> VolunteerProfile:
    profile = selectors.volunteer_profile_full(user=request.user)
    if profile is None:
        raise NotFound(_("You are not a volunteer yet."))
    return profile


class MyVolunteerView(UserLanguageMixin, APIView):
    """Her volunteer profile. POST makes a signed-in person a volunteer."""

    @extend_schema(responses=VolunteerSerializer)
    def get(self, request):
        return Response(VolunteerSerializer(own_profile(request)).data)

    @extend_schema(request=VolunteerWriteSerializer, responses=VolunteerSerializer)
    def patch(self, request):
        profile = own_profile(request)
        body = VolunteerWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        services.volunteer_update(volunteer=profile, **data)
        return Response(VolunteerSerializer(own_profile(request)).data)

    @extend_schema(request=VolunteerWriteSerializer, responses={201: VolunteerSerializer})
    def post(self, request):
        body = VolunteerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        services.volunteer_create(user=request.user, **data)
        return Response(
            VolunteerSerializer(own_profile(request)).data, status=status.HTTP_201_CREATED
        )


class _OwnRowsViewSet(
    UserLanguageMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.model.objects.filter(volunteer=own_profile(self.request))

    def create(self, request, *args, **kwargs):
        own_profile(request)  # 404 for someone without a profile, before reading her input
        return super().create(request, *args, **kwargs)


class AvailabilityViewSet(_OwnRowsViewSet):
    """Her weekly windows (weekday Mon=0, start and end "HH:MM", the venue's local time)."""

    model = Availability
    serializer_class = AvailabilitySerializer

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.availability_add(
            volunteer=own_profile(self.request),
            weekday=d["weekday"],
            start=d["start"],
            end=d["end"],
        )

    def perform_destroy(self, instance):
        services.availability_delete(volunteer=instance.volunteer, availability_id=instance.pk)


class AbsenceViewSet(_OwnRowsViewSet):
    """Dates away: no shifts are offered on them."""

    model = Absence
    serializer_class = AbsenceSerializer

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.absence_add(
            volunteer=own_profile(self.request),
            start_date=d["start_date"],
            end_date=d["end_date"],
            note=d.get("note", ""),
        )

    def perform_destroy(self, instance):
        services.absence_delete(volunteer=instance.volunteer, absence_id=instance.pk)


class SkillViewSet(UserLanguageMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SkillSerializer
    pagination_class = None
    queryset = selectors.skills_all()


class TeamViewSet(
    UserLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Teams: coordinators see and manage those of their area; members see their own."""

    serializer_class = TeamSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.Team.objects.none()
        return selectors.teams_visible(user=self.request.user).prefetch_related(
            Prefetch(
                "memberships", queryset=TeamMembership.objects.select_related("volunteer__user")
            )
        )

    def create(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise NotAllowed(_("Only coordinators create teams."), code="not_coordinator")
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        team = services.team_create(
            by=request.user,
            area=d["area"],
            name=d["name"],
            name_en=d.get("name_en", ""),
            kind=d.get("kind", ""),
            description=d.get("description", ""),
        )
        return Response(self.get_serializer(team).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberWriteSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        team = self.get_object()
        if selectors.team_role_of(user=request.user, team=team) != "coordinator":
            raise NotAllowed(
                _("Only coordinators of the team's area manage its members."), code="not_your_area"
            )
        body = MemberWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        volunteer = get_object_or_404(
            selectors.volunteers_in_scope(user=request.user), pk=body.validated_data["volunteer"]
        )
        services.team_member_add(
            team=team, volunteer=volunteer, by=request.user, role=body.validated_data["role"]
        )
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<volunteer_id>\d+)")
    def member_remove(self, request, pk=None, volunteer_id=None):
        team = self.get_object()
        volunteer = get_object_or_404(VolunteerProfile, pk=volunteer_id, memberships__team=team)
        services.team_member_remove(team=team, volunteer=volunteer, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SkillVerificationViewSet(UserLanguageMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Skills that need trust, waiting for a coordinator of the volunteer's area."""

    serializer_class = PendingSkillSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VolunteerSkill.objects.none()
        if not is_coordinator(self.request.user):
            raise NotAllowed(_("Only coordinators verify skills."), code="not_coordinator")
        return selectors.skill_links_pending(user=self.request.user)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        services.skill_verify(link=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        services.skill_verify(link=self.get_object(), by=request.user, accept=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VolunteerImportView(UserLanguageMixin, APIView):
    """Coordinators: a CSV of volunteers; all rows are imported or none."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=ImportSerializer,
        responses={
            201: inline_serializer("ImportDone", {"created": serializers.IntegerField()}),
            400: inline_serializer("ImportRefused", {"errors": ImportErrorSerializer(many=True)}),
        },
    )
    def post(self, request):
        if not is_coordinator(request.user):
            raise NotAllowed(_("Only coordinators import volunteers."), code="not_coordinator")
        upload_size_check(request)
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = volunteers_import_csv(content=body.validated_data["file"].read(), by=request.user)
        if result.errors:
            return Response(
                {"errors": [e.as_dict() for e in result.errors]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"created": result.created}, status=status.HTTP_201_CREATED)
