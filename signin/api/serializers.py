"""Shapes of the account API. Rules live in accounts.services."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers


class TokenObtainSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254, allow_blank=True)
    password = serializers.CharField(max_length=128, allow_blank=True, trim_whitespace=False)
    code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="With two-step sign-in: the code of the authenticator app, or a recovery code.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class VolunteerSummarySerializer(serializers.Serializer):
    """Enough to tell what she can do; /api/v1/me/volunteer/ has the whole profile."""

    id = serializers.IntegerField()
    phone = serializers.CharField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    skills = serializers.SerializerMethodField()
    max_hours_per_week = serializers.IntegerField()
    sms_enabled = serializers.BooleanField()

    def get_skills(self, volunteer) -> list[str]:
        return sorted(link.skill.code for link in volunteer.skill_links.all())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    preferred_language = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    volunteer = VolunteerSummarySerializer(allow_null=True)
    calendar_feed_url = serializers.URLField()


class MeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=150, allow_blank=True)
    preferred_language = serializers.ChoiceField(
        required=False, choices=[code for code, _name in settings.LANGUAGES]
    )


class PhoneChangeSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32)


class PhonePendingSerializer(serializers.Serializer):
    phone_pending = serializers.CharField()


class PhoneConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)


class PhoneConfirmedSerializer(serializers.Serializer):
    phone = serializers.CharField()
    phone_verified = serializers.BooleanField()
