"""API for shifts: listing slots (with why-not reasons for a volunteer), signing up, and the
assignments a person may see — her own, or those at venues she hosts or coordinates."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_filters.rest_framework import FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import CountedRowsPagination, UserLanguageMixin
from core.errors import NotAllowed

from .. import eligibility
from ..models import Assignment, Slot
from ..selectors import shifts as shift_selectors
from ..selectors.seats import slots_open
from ..services import signup as signup_services
from .serializers import (
    AssignmentSerializer,
    MarkSerializer,
    SignUpResultSerializer,
    SignUpSerializer,
    SlotSerializer,
)


def _bool(value) -> bool:
    return str(value or "").lower() in {"1", "true", "yes", "on"}


def _dt(params, name):
    raw = params.get(name)
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValidationError({name: [_("Enter a date and time in ISO 8601 form.")]})
    return value


def _int(params, name):
    raw = params.get(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None


SLOT_PARAMS = [
    OpenApiParameter("venue", OpenApiTypes.INT),
    OpenApiParameter("activity", OpenApiTypes.INT),
    OpenApiParameter("team", OpenApiTypes.INT),
    OpenApiParameter("kind", OpenApiTypes.STR),
    OpenApiParameter(
        "start_after", OpenApiTypes.DATETIME, description="Default: now (coming slots only)."
    ),
    OpenApiParameter("start_before", OpenApiTypes.DATETIME),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="Scheduled, coming, seats left."),
    OpenApiParameter("fits_me", OpenApiTypes.BOOL, description="Only slots you may take."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=["soonest", "nearest"]),
]


class SlotViewSet(UserLanguageMixin, viewsets.GenericViewSet):
    serializer_class = SlotSerializer
    queryset = Slot.objects.none()
    # The list is read as plain rows: a page and the count in one query.
    pagination_class = CountedRowsPagination

    def _filters(self) -> shift_selectors.Filters:
        p = self.request.query_params
        return shift_selectors.Filters(
            venue=_int(p, "venue"),
            activity=_int(p, "activity"),
            team=_int(p, "team"),
            kind=p.get("kind", ""),
            start_after=_dt(p, "start_after"),
            start_before=_dt(p, "start_before"),
        )

    @extend_schema(parameters=SLOT_PARAMS, responses=SlotSerializer(many=True))
    def list(self, request):
        p = request.query_params
        filters = self._filters()
        volunteer = getattr(request.user, "volunteer", None)
        open_only = _bool(p.get("open"))
        if _bool(p.get("fits_me")):
            if volunteer is None:
                raise NotAllowed(_("Only volunteers have shifts that fit them."))
            slots = shift_selectors.shifts_for_me(
                volunteer=volunteer,
                filters=filters,
                sort=p.get("sort", "soonest"),
                open_only=open_only,
            )
            page = self.paginate_queryset(slots)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        if filters.start_after is None:
            filters.start_after = timezone.now()
        qs = shift_selectors.slots_candidate_qs(filters, open_only=open_only)
        if open_only:
            qs = slots_open(qs)
        rows = self.paginate_queryset(
            shift_selectors.slots_plain_values(qs).order_by("starts_at", "pk")
        )
        page = shift_selectors.slots_plain(rows)
        facts = None
        if volunteer is not None and page:
            facts = eligibility.facts_load(
                volunteer=volunteer, around=(page[0].starts_at, page[-1].ends_at)
            )
        shift_selectors.slots_annotate(page, facts=facts)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=SignUpSerializer,
        responses={201: SignUpResultSerializer},
        description="Confirmed while a seat is free, waitlisted otherwise. 409 on an overlap or "
        "an existing sign-up; 400 with the rule when not eligible.",
    )
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        volunteer = getattr(request.user, "volunteer", None)
        if volunteer is None:
            raise NotAllowed(_("Only volunteers can sign up for shifts."), code="not_volunteer")
        body = SignUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The service reads the slot under its lock: 404 when it does not exist or she may not
        # see it (a confidential one she is not on).
        assignment = signup_services.slot_sign_up(
            volunteer=volunteer,
            slot=Slot(pk=int(pk)),
            role=body.validated_data.get("role"),
            seen_by=request.user,
        )
        position = shift_selectors.waitlist_positions([assignment]).get(assignment.pk)
        data = {
            "id": assignment.pk,
            "status": assignment.status,
            "role": assignment.role_id,
            "waitlist_position": position,
        }
        return Response(data, status=status.HTTP_201_CREATED)


class AssignmentFilter(FilterSet):
    """What ``filterset_fields`` would build, declared once: django-filter builds that class
    again on every request, and the detail actions (a cancellation) pass through it too."""

    class Meta:
        model = Assignment
        fields = ["slot", "status"]


class AssignmentViewSet(
    UserLanguageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Her own sign-ups; hosts and coordinators also see those at venues in their scope. An
    assignment outside that is answered 404."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return shift_selectors.assignments_visible(user=self.request.user)

    def _filtered(self) -> bool:
        params = self.request.query_params
        return any(name in params for name in AssignmentFilter.base_filters)

    def filter_queryset(self, queryset):
        """The filters, when the request names one of them: without, the filter set would
        change nothing (every filter is left empty), and a cancellation or a plain list does
        not build it."""
        if not self._filtered():
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        assignment = None
        volunteer = getattr(request.user, "volunteer", None)
        if volunteer is not None and pk.isascii() and pk.isdigit() and not self._filtered():
            # Her own sign-up is one she may see whatever else she is: it is looked for among
            # hers in the statement that locks its slot, not read first as anyone's.
            assignment = signup_services.assignment_cancel_own(pk=int(pk), volunteer=volunteer)
        if assignment is None:
            assignment = signup_services.assignment_cancel(
                assignment=self.get_object(), by=request.user
            )
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        assignment = signup_services.assignment_check_in(
            assignment=self.get_object(), by=request.user
        )
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=MarkSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        body = MarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = signup_services.assignment_mark(
            assignment=self.get_object(), status=body.validated_data["status"], by=request.user
        )
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def reconfirm(self, request, pk=None):
        assignment = signup_services.assignment_reconfirm(
            assignment=self.get_object(), by=request.user
        )
        return Response(self.get_serializer(assignment).data)
