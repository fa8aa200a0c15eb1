"""The disputes API (``/api/v1/disputes/``). Each view validates, calls one service, answers.

Outside her scope a dispute does not exist (404); a role that sees it but may not take the
action gets 403. Every read is audited by the services it calls.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import Pagination, UserLanguageMixin

from ..models import Dispute
from ..selectors.access import dispute_role
from ..selectors.audit import audit_entries
from ..selectors.candidates import candidates_rank
from ..selectors.disputes import DisputeFilters, disputes_list
from ..services import assignment, intake, sessions, work
from ..services.common import dispute_for
from ..services.reading import dispute_open, disputes_read
from . import serializers as s


def _person_rows(ranking) -> dict:
    def row(c):
        return {
            "mediator": {"id": c.mediator.user_id, "name": c.mediator.name},
            "role": c.role,
            "distance_km": round(c.distance_km, 2),
            "free_roles": c.free_roles,
            "in_current_plan": c.in_current_plan,
            "free_hours": c.free_hours,
            "reasons": c.reasons,
        }

    return {
        "leads": [row(c) for c in ranking.leads],
        "assistants": [row(c) for c in ranking.assistants],
        "excluded": [
            {
                "mediator": {"id": e.mediator.user_id, "name": e.mediator.name},
                "code": e.code,
                "text": e.text,
            }
            for e in ranking.excluded
        ],
        "others": ranking.others,
    }


class DisputeViewSet(UserLanguageMixin, viewsets.ViewSet):
    """Disputes: coordinators of the area (and above) and the mediators on the case."""

    lookup_value_regex = r"\d+"
    # For the schema's path types only; every read goes through the services' scope.
    queryset = Dispute.objects.none()

    def _detail(self, dispute_id, via="api"):
        dispute = dispute_open(by=self.request.user, dispute_id=dispute_id, via=via)
        return s.DisputeDetailSerializer(dispute).data

    @extend_schema(
        summary="Disputes she sees (coordinators: their areas; mediators: their cases)",
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("q", str, description="reference or compound"),
        ],
        responses=s.DisputeSerializer(many=True),
    )
    def list(self, request):
        filters = DisputeFilters(
            status=request.query_params.get("status", ""),
            kind=request.query_params.get("kind", ""),
            q=request.query_params.get("q", ""),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(
            disputes_list(user=request.user, filters=filters), request
        )
        disputes_read(by=request.user, disputes=page, via="api list")
        return paginator.get_paginated_response(s.DisputeSerializer(page, many=True).data)

    @extend_schema(
        summary="Take in a dispute (coordinators, hotline operators for their area)",
        request=s.DisputeInSerializer,
        responses={201: s.DisputeDetailSerializer},
    )
    def create(self, request):
        data = s.DisputeInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parties = [intake.PartyInput(**p) for p in values.pop("parties")]
        dispute = intake.dispute_create(by=request.user, parties=parties, **values)
        return Response(
            s.DisputeDetailSerializer(dispute).data
            if dispute.pk and _sees(request.user, dispute)
            else {"id": dispute.pk, "reference": dispute.reference},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="One dispute, whole (the read is audited)", responses=s.DisputeDetailSerializer
    )
    def retrieve(self, request, pk=None):
        return Response(self._detail(pk))

    @extend_schema(
        summary="Mediators for this dispute, ranked, with reasons and exclusions",
        responses=s.CandidatesSerializer,
    )
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        dispute = dispute_open(
            by=request.user, dispute_id=pk, via="candidates", action="candidates"
        )
        return Response(_person_rows(candidates_rank(dispute=dispute)))

    @extend_schema(
        summary="Who read and changed this dispute, when, from where",
        responses=s.AuditEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def audit(self, request, pk=None):
        dispute = dispute_open(by=request.user, dispute_id=pk, via="audit trail", action="audit")
        paginator = Pagination()
        page = paginator.paginate_queryset(audit_entries(dispute=dispute), request)
        return paginator.get_paginated_response(s.AuditEntrySerializer(page, many=True).data)

    @extend_schema(
        summary="Assign the lead (and assistant); they get a sign-in link by SMS",
        request=s.AssignInSerializer,
        responses=s.DisputeDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        dispute_for(by=request.user, dispute_id=pk, action="assign")
        data = s.AssignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment.dispute_assign(
            by=request.user,
            dispute_id=pk,
            lead_id=data.validated_data["lead"],
            assistant_id=data.validated_data["assistant"],
        )
        return Response(self._detail(pk, via="api after change"))

    @extend_schema(
        summary="Visits of the case (GET) or log one (POST)",
        request=s.VisitInSerializer,
        responses={200: s.VisitSerializer(many=True), 201: s.VisitSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def visits(self, request, pk=None):
        if request.method == "GET":
            dispute = dispute_open(by=request.user, dispute_id=pk, via="visits")
            return Response(s.VisitSerializer(dispute.visits.all(), many=True).data)
        dispute_for(by=request.user, dispute_id=pk, action="visit")
        data = s.VisitInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        visit = work.visit_log(
            by=request.user,
            dispute_id=pk,
            step=v["step"],
            visited_on=v["visited_on"],
            what_happened=v["what_happened"],
            next_step=v["next_step"],
            next_visit_on=v["next_visit_on"],
            mediator_ids=v.get("mediators"),
            others=v["others"],
        )
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Joint intervention: tell the chosen partner agencies",
        request=s.EscalateInSerializer,
        responses={201: s.EscalationSerializer},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        dispute_for(by=request.user, dispute_id=pk, action="escalate")
        data = s.EscalateInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        escalation = work.dispute_escalate(
            by=request.user,
            dispute_id=pk,
            contact_ids=data.validated_data["contacts"],
            reason=data.validated_data["reason"],
        )
        return Response(s.EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move the case along (in progress, resolved, referred, closed)",
        request=s.StatusInSerializer,
        responses=s.DisputeSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        dispute_for(by=request.user, dispute_id=pk, action="view")
        data = s.StatusInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = work.dispute_status_set(by=request.user, dispute_id=pk, **data.validated_data)
        return Response(s.DisputeSerializer(dispute).data)

    @extend_schema(
        summary="Sessions of the case (GET) or book one (POST)",
        request=s.SessionInSerializer,
        responses={200: s.SessionSerializer(many=True), 201: s.SessionSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def sessions(self, request, pk=None):
        if request.method == "GET":
            dispute = dispute_open(by=request.user, dispute_id=pk, via="sessions")
            return Response(s.SessionSerializer(dispute.sessions.all(), many=True).data)
        dispute_for(by=request.user, dispute_id=pk, action="session")
        data = s.SessionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = sessions.session_book(by=request.user, dispute_id=pk, **data.validated_data)
        return Response(s.SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a conflict of interest",
        description="Coordinators name the mediator; a mediator on the case declares her own "
        "(and leaves the case).",
        request=s.ConflictInSerializer,
        responses={201: s.ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def conflicts(self, request, pk=None):
        dispute_for(by=request.user, dispute_id=pk, action="view")
        data = s.ConflictInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mediator = data.validated_data["mediator"]
        reason = data.validated_data["reason"]
        if mediator is None or mediator == request.user.pk:
            conflict = assignment.conflict_declare(by=request.user, dispute_id=pk, reason=reason)
        else:
            conflict = assignment.conflict_record(
                by=request.user, dispute_id=pk, mediator_id=mediator, reason=reason
            )
        return Response(s.ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)


def _sees(user, dispute) -> bool:
    return dispute_role(user=user, dispute=dispute) is not None
