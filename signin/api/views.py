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
from accounts.models import ApiToken
from core.api import UserLanguageMixin
from volunteers.roles import roles_of

from ..phone import phone_change_confirm, phone_change_start
from .serializers import (
    MeSerializer,
    MeUpdateSerializer,
    PhoneChangeSerializer,
    PhoneConfirmedSerializer,
    PhoneConfirmSerializer,
    PhonePendingSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)


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
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Field errors"),
            429: OpenApiResponse(description="Too many failed attempts"),
        },
        auth=[],
    )
    def post(self, request):
        body = TokenObtainSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token, secret = services.auth_token_obtain(
            request=request._request,
            email=body.validated_data["email"],
            password=body.validated_data["password"],
            code=body.validated_data.get("code", ""),
        )
        return Response(
            TokenSerializer({"token": secret, "expires_at": token.expiry}).data,
            status=status.HTTP_200_OK,
        )


class LogoutView(UserLanguageMixin, APIView):
    """End the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            services.api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


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


class PhoneChangeView(UserLanguageMixin, APIView):
    """Start changing her mobile number: a code is texted to it (see signin.phone)."""

    @extend_schema(
        request=PhoneChangeSerializer,
        responses={202: PhonePendingSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    def post(self, request):
        body = PhoneChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phone = phone_change_start(
            request=request, user=request.user, phone=body.validated_data["phone"]
        )
        return Response({"phone_pending": phone}, status=status.HTTP_202_ACCEPTED)


class PhoneConfirmView(UserLanguageMixin, APIView):
    """Type back the code texted to the new number: from now on it is hers."""

    @extend_schema(
        request=PhoneConfirmSerializer,
        responses={200: PhoneConfirmedSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    def post(self, request):
        body = PhoneConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        profile = phone_change_confirm(user=request.user, code=body.validated_data["code"])
        return Response({"phone": profile.phone, "phone_verified": True})
