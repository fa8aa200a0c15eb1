"""The API of mediator matching runs over many disputes, and of partner agencies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import UserLanguageMixin
from venues.selectors import areas_in_scope

from ..models import MediationProposal, MediationRun, PartnerContact
from ..services import people, runs
from . import serializers as s


class MediationRunViewSet(UserLanguageMixin, viewsets.ViewSet):
    """Coordinators only; a run of another area does not exist (404)."""

    lookup_value_regex = r"\d+"
    queryset = MediationRun.objects.none()

    @extend_schema(
        summary="Start a run over an area's unassigned disputes",
        request=s.RunInSerializer,
        responses={202: s.MediationRunSerializer},
    )
    def create(self, request):
        data = s.RunInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = runs.run_create(by=request.user, area=data.validated_data["area"])
        run.refresh_from_db()
        return Response(s.MediationRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="A run: progress, figures, proposed teams, disputes left without one",
        responses=s.MediationRunDetailSerializer,
    )
    def retrieve(self, request, pk=None):
        run = runs.run_get(by=request.user, run_id=pk)
        return Response(s.MediationRunDetailSerializer(run).data)

    @extend_schema(
        summary="Assign the proposed teams; each mediator gets one text",
        request=None,
        responses=s.MediationRunSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = runs.run_publish(by=request.user, run=runs.run_get(by=request.user, run_id=pk))
        return Response(s.MediationRunSerializer(run).data)

    @extend_schema(
        summary="Run again around the locked teams, leaving removed people out",
        request=None,
        responses={202: s.MediationRunSerializer},
    )
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        run = runs.run_rerun(by=request.user, run=runs.run_get(by=request.user, run_id=pk))
        return Response(s.MediationRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class MediationProposalViewSet(UserLanguageMixin, viewsets.ViewSet):
    lookup_value_regex = r"\d+"
    queryset = MediationProposal.objects.none()

    def _act(self, request, pk, verb):
        proposal = runs.proposal_get(by=request.user, proposal_id=pk)
        if verb == "remove":
            proposal = runs.proposal_remove(by=request.user, proposal=proposal)
        else:
            proposal = runs.proposal_lock(by=request.user, proposal=proposal, locked=verb == "lock")
        return Response(s.MediationProposalSerializer(proposal).data)

    @extend_schema(
        summary="Lock the team of this proposal",
        request=None,
        responses=s.MediationProposalSerializer,
    )
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        return self._act(request, pk, "lock")

    @extend_schema(
        summary="Unlock the team of this proposal",
        request=None,
        responses=s.MediationProposalSerializer,
    )
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        return self._act(request, pk, "unlock")

    @extend_schema(
        summary="Remove this person from this dispute's proposal",
        request=None,
        responses=s.MediationProposalSerializer,
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        return self._act(request, pk, "remove")


class PartnerViewSet(UserLanguageMixin, viewsets.ViewSet):
    """The "X+N" partner agencies of a coordinator's areas."""

    @extend_schema(
        summary="Partner agencies of her areas", responses=s.PartnerSerializer(many=True)
    )
    def list(self, request):
        runs.run_access_check(by=request.user)
        partners = PartnerContact.objects.filter(area__in=areas_in_scope(user=request.user))
        return Response(s.PartnerSerializer(partners, many=True).data)

    @extend_schema(
        summary="Add a partner agency to one of her areas",
        request=s.PartnerSerializer,
        responses={201: s.PartnerSerializer},
    )
    def create(self, request):
        runs.run_access_check(by=request.user)
        data = s.PartnerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partner = people.partner_create(by=request.user, **data.validated_data)
        return Response(s.PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)
