"""Shapes of activities and of series edits in the API. Rules live in activities.services."""

from __future__ import annotations

from rest_framework import serializers

from venues.models import Venue
from volunteers.models import LANGUAGE_CHOICES, Skill, Team

from ..models import Activity, ActivityRole, Slot


class ActivityRoleSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="Give it to change an existing role.")
    skill = serializers.SlugRelatedField(
        slug_field="code", queryset=Skill.objects.all(), allow_null=True, required=False
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, allow_null=True, allow_blank=True, required=False
    )
    needed = serializers.IntegerField()
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = ActivityRole
        fields = ["id", "skill", "needed", "language", "label"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["language"] = data["language"] or None
        return data


class ActivitySerializer(serializers.ModelSerializer):
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all())
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False
    )
    rrule = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260630T155959Z. "
        "Needs UNTIL or COUNT; at most 500 occurrences; nothing finer than daily.",
    )
    exdates = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        help_text="Local dates (YYYY-MM-DD) on which the activity does not take place.",
    )
    roles = ActivityRoleSerializer(many=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    slots_upcoming = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "venue",
            "kind",
            "title",
            "title_en",
            "description",
            "description_en",
            "audience",
            "team",
            "starts_at",
            "ends_at",
            "rrule",
            "exdates",
            "status",
            "roles",
            "slots_upcoming",
        ]
        read_only_fields = ["id", "status", "slots_upcoming"]

    def get_slots_upcoming(self, activity: Activity) -> int:
        value = getattr(activity, "slots_upcoming", None)
        return value if value is not None else activity.slots.filter(status="scheduled").count()


class SlotChangeSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["this", "following", "all"], default="this")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class SlotScopeSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["this", "following", "all"], default="this")


class SlotBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Slot
        fields = ["id", "activity", "starts_at", "ends_at", "status", "sequence"]


class SlotsChangedSerializer(serializers.Serializer):
    slots = SlotBriefSerializer(many=True)
