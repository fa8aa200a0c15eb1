"""Account API: an API token for email and password, and the signed-in person herself."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from core.api import UserLanguageMixin
from volunteers.roles import roles_of

from .serializers import MeSerializer, MeUpdateSerializer, TokenObtainSerializer, TokenSerializer


def calendar_feed_url(user) -> str:
    """The absolute address of her personal calendar feed (secret: it carries her token)."""
    return settings.PUBLIC_BASE_URL + reverse("calendar_feed", args=[user.calendar_token])


def me_data(user) -> dict:
    volunteer = getattr(user, "volunteer", None)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "preferred_language": user.preferred_language,
        "roles": [str(role) for role in roles_of(user)],
        "volunteer": volunteer,
        "calendar_feed_url": calendar_feed_url(user),
    }


class TokenView(UserLanguageMixin, APIView):
    """Exchange email and password for a token; send it as ``Authorization: Token <token>``."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenObtainSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="Field errors")},
        auth=[],
    )
    def post(self, request):
        body = TokenObtainSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token = services.auth_token_obtain(
            request=request,
            email=body.validated_data["email"],
            password=body.validated_data["password"],
        )
        return Response(TokenSerializer(token).data, status=status.HTTP_200_OK)


class MeView(UserLanguageMixin, APIView):
    """Who is signed in, her roles, her volunteer profile in short and her calendar feed."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(me_data(request.user)).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        body = MeUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **body.validated_data)
        translation.activate(user.preferred_language)
        return Response(MeSerializer(me_data(user)).data)
