"""``GET /api/v1/reports/summary/``: the figures of an area and period, as the pages show them."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import UserLanguageMixin

from ..selectors import Report, report_for


def report_json(report: Report) -> dict:
    area = report.area
    return {
        "area": {"id": area.pk, "name": area.display_name, "level": area.level},
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "starts_at": report.period.start_at.isoformat(),
        "ends_at": report.period.end_at.isoformat(),
        "suppressed_below": report.suppressed_below,
        "figures": report.figures,
        "tables": {key: table.as_dict() for key, table in report.tables.items()},
    }


class SummaryView(UserLanguageMixin, APIView):
    """Coordinators of the area (and above) read its figures; anyone else gets 404."""

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description="an area id (default: hers)"),
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description="first day (default: 1 January)"
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, description="last day (default: today)"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        report = report_for(
            user=request.user,
            area_id=request.query_params.get("area"),
            start=request.query_params.get("start"),
            end=request.query_params.get("end"),
        )
        return Response(report_json(report))
