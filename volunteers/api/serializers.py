"""Shapes of the volunteers API. Validation of rules lives in volunteers.services."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from venues.models import Area

from ..models import LANGUAGE_CHOICES, Absence, Availability, Skill, Team, TeamMembership


class SkillSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Skill
        fields = ["code", "name", "needs_verification"]


class VolunteerSkillSerializer(serializers.Serializer):
    code = serializers.CharField(source="skill.code")
    name = serializers.CharField(source="skill.display_name")
    verified = serializers.SerializerMethodField()
    pending = serializers.SerializerMethodField()

    def get_verified(self, link) -> bool:
        return link.verified_at is not None

    def get_pending(self, link) -> bool:
        return link.skill.needs_verification and link.verified_at is None


class VolunteerSerializer(serializers.Serializer):
    """Read shape of her profile; writes go through VolunteerWriteSerializer."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    phone = serializers.CharField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    skills = serializers.SerializerMethodField()
    skill_details = VolunteerSkillSerializer(source="skill_links", many=True, read_only=True)
    max_hours_per_week = serializers.IntegerField()
    sms_enabled = serializers.BooleanField()
    preferred_language = serializers.CharField(source="user.preferred_language")
    teams = serializers.SerializerMethodField()
    home_area = serializers.IntegerField(source="home_area_id", allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)

    def get_skills(self, volunteer) -> list[str]:
        return [link.skill.code for link in volunteer.skill_links.all()]

    def get_teams(self, volunteer) -> list[int]:
        return [m.team_id for m in volunteer.memberships.all()]


class VolunteerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=150)
    phone = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=[c for c, _l in LANGUAGE_CHOICES]), required=False
    )
    skills = serializers.ListField(child=serializers.CharField(), required=False)
    max_hours_per_week = serializers.IntegerField(required=False)
    sms_enabled = serializers.BooleanField(required=False)
    preferred_language = serializers.ChoiceField(
        choices=[c for c, _n in settings.LANGUAGES], required=False
    )
    home_area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(), required=False, allow_null=True
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )


class AvailabilitySerializer(serializers.ModelSerializer):
    start = serializers.TimeField(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    end = serializers.TimeField(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    weekday = serializers.IntegerField(min_value=0, max_value=6)

    class Meta:
        model = Availability
        fields = ["id", "weekday", "start", "end"]


class AbsenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "start_date", "end_date", "note"]


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="volunteer.user.get_full_name", read_only=True)

    class Meta:
        model = TeamMembership
        fields = ["volunteer", "name", "role", "joined_at"]
        read_only_fields = ["joined_at"]


class TeamSerializer(serializers.ModelSerializer):
    members = TeamMemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "name_en", "kind", "area", "description", "members"]


class MemberWriteSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=TeamMembership.Role.choices, default=TeamMembership.Role.MEMBER
    )


class PendingSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    volunteer = serializers.IntegerField(source="volunteer_id")
    name = serializers.CharField(source="volunteer.user.get_full_name")
    skill = serializers.CharField(source="skill.code")


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()
