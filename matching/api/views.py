"""The matcher API: coordinators start runs, read proposals, adjust and publish them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import UserLanguageMixin

from .. import selectors
from ..models import MatchProposal, MatchRun
from ..services import access, publishing, runs
from .serializers import (
    ProposalSerializer,
    RunCreateSerializer,
    RunDetailSerializer,
    RunSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Matcher runs over the coordinator's areas"),
    retrieve=extend_schema(summary="A run: progress, figures, proposals and empty-seat reasons"),
)
class RunViewSet(
    UserLanguageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RunSerializer
    filterset_fields = ["status", "area"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MatchRun.objects.none()
        access.run_access_check(by=self.request.user)
        return selectors.runs_visible(user=self.request.user)

    def get_object(self) -> MatchRun:
        run = access.run_get(by=self.request.user, run_id=int(self.kwargs["pk"]))
        if self.action == "retrieve":
            run = selectors.run_with_results(run=run)
        return run

    def get_serializer_class(self):
        return RunDetailSerializer if self.action == "retrieve" else RunSerializer

    @extend_schema(
        summary="Start a run over an area and a date range (coordinators, in their area)",
        request=RunCreateSerializer,
        responses={202: RunSerializer},
    )
    def create(self, request, *args, **kwargs):
        access.run_access_check(by=request.user)  # the role before her input (403, not 400)
        serializer = RunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run = runs.run_create(
            by=request.user,
            area=data["area"],
            start=data["start"],
            end=data["end"],
            slot_ids=data["slots"],
        )
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Confirm the proposal: assignments are made and people are told",
        description="Queued; the run reads `published` (with `stats.published` and "
        "`stats.skipped`) once every proposal has been confirmed or skipped.",
        request=None,
        responses={202: RunSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = publishing.run_publish_start(by=request.user, run=self.get_object())
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Run again around the locked people, leaving removed pairs out",
        request=None,
        responses={202: RunSerializer},
    )
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        run = runs.run_rerun(by=request.user, run=self.get_object())
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ProposalViewSet(UserLanguageMixin, viewsets.GenericViewSet):
    serializer_class = ProposalSerializer
    queryset = MatchProposal.objects.none()

    def _proposal(self) -> MatchProposal:
        return access.proposal_get(by=self.request.user, proposal_id=int(self.kwargs["pk"]))

    @extend_schema(summary="Keep this person on this seat when the run is repeated", request=None)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        proposal = runs.proposal_lock(by=request.user, proposal=self._proposal())
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(summary="Release a lock", request=None)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        proposal = runs.proposal_lock(by=request.user, proposal=self._proposal(), locked=False)
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(
        summary="Take this person off the seat; a re-run won't propose her again", request=None
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        proposal = runs.proposal_remove(by=request.user, proposal=self._proposal())
        return Response(ProposalSerializer(proposal).data)
