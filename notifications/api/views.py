"""The SMS outbox through the API, for coordinators: the same texts the outbox page shows."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets

from core.api import UserLanguageMixin
from core.errors import NotAllowed
from volunteers.roles import Role, roles_of

from .. import selectors
from ..errors import error_reason
from ..models import Message


class MessageSerializer(serializers.ModelSerializer):
    reason = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "to",
            "user",
            "kind",
            "language",
            "body",
            "status",
            "suppressed_reason",
            "error_code",
            "error_message",
            "reason",
            "attempts",
            "created_at",
            "sent_at",
            "delivered_at",
        ]
        read_only_fields = fields

    def get_reason(self, message) -> str:
        return str(error_reason(message.error_code, message.error_message) or "")


@extend_schema(
    parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=Message.Status.values),
        OpenApiParameter("phone", OpenApiTypes.STR, description="part of the number"),
    ]
)
class OutboxViewSet(UserLanguageMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Texts to the people the coordinator looks after, newest first; sign-in codes masked."""

    serializer_class = MessageSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        roles = roles_of(self.request.user)
        if Role.COORDINATOR not in roles and Role.ADMIN not in roles:
            raise NotAllowed(_("Only coordinators can see the SMS outbox."), code="not_coordinator")
        return selectors.messages_list(
            user=self.request.user,
            status=self.request.query_params.get("status", ""),
            phone=self.request.query_params.get("phone", ""),
        )
