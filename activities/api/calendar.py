"""API for a person's calendar: her secret feed's addresses, a new address, invitations on/off.

The same services as the calendar page (accounts.services), so the rules live in one place.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import calendar_invites_set, calendar_token_reset
from core.api import UserLanguageMixin

from ..calendar import feed_urls
from .serializers import CalendarSettingsSerializer


def _settings_of(user) -> dict:
    urls = feed_urls(user=user)
    return {
        "feed_url": urls["https"],
        "webcal_url": urls["webcal"],
        "invites": user.calendar_invites,
    }


class CalendarSettingsView(UserLanguageMixin, APIView):
    serializer_class = CalendarSettingsSerializer

    @extend_schema(summary="Her calendar feed's addresses and whether invitations are on")
    def get(self, request: Request) -> Response:
        return Response(CalendarSettingsSerializer(_settings_of(request.user)).data)

    @extend_schema(summary="Turn invitations by email on or off")
    def patch(self, request: Request) -> Response:
        serializer = CalendarSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "invites" in serializer.validated_data:
            calendar_invites_set(user=request.user, enabled=serializer.validated_data["invites"])
        return Response(CalendarSettingsSerializer(_settings_of(request.user)).data)


class CalendarResetView(UserLanguageMixin, APIView):
    serializer_class = CalendarSettingsSerializer

    @extend_schema(
        request=None,
        summary="A new secret feed address; the old one answers 404 from now on",
    )
    def post(self, request: Request) -> Response:
        calendar_token_reset(user=request.user)
        return Response(CalendarSettingsSerializer(_settings_of(request.user)).data)
