"""Shapes of the activities API: activities and series edits, slots, sign-ups and assignments,
the calendar settings. Rules live in activities.services."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import capfirst
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from venues.models import Venue
from volunteers.models import LANGUAGE_CHOICES, Skill, Team

from ..models import Activity, ActivityRole, Assignment, Slot, SlotRole


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


class SlotRoleSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="code", read_only=True)
    filled = serializers.IntegerField(read_only=True)

    class Meta:
        model = SlotRole
        fields = ["id", "skill", "label", "needed", "filled", "language"]


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


# A slot's times as its ``starts_at`` and ``ends_at`` fields write them (ISO 8601 in the active
# time zone): a field of its own, so that a list does not build every field of the serializer
# only to read this one.
_MOMENT = serializers.DateTimeField(read_only=True)


class _SlotListSerializer(serializers.ListSerializer):
    """A list of slots writes every time in the time zone active when the list is written:
    looked up once for the list rather than twice a slot (``_MOMENT``)."""

    def to_representation(self, data):
        self.child.moment = serializers.DateTimeField(
            read_only=True, default_timezone=timezone.get_current_timezone()
        ).to_representation
        try:
            return super().to_representation(data)
        finally:
            del self.child.moment


class SlotSerializer(serializers.ModelSerializer):
    venue = serializers.IntegerField(source="activity.venue_id", read_only=True)
    title = serializers.CharField(source="activity.display_title", read_only=True)
    kind = serializers.CharField(source="activity.kind", read_only=True)
    team = serializers.IntegerField(source="activity.team_id", read_only=True, allow_null=True)
    roles = SlotRoleSerializer(many=True, read_only=True)
    seats_left = serializers.IntegerField(read_only=True)
    reasons = serializers.SerializerMethodField()
    would_waitlist = serializers.SerializerMethodField()
    distance_km = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Slot
        list_serializer_class = _SlotListSerializer
        fields = [
            "id",
            "activity",
            "title",
            "kind",
            "venue",
            "team",
            "starts_at",
            "ends_at",
            "status",
            "roles",
            "seats_left",
            "reasons",
            "would_waitlist",
            "distance_km",
        ]

    def to_representation(self, slot):
        """The declared fields above give the schema; a list of slots reads each one often, so
        the row is built here directly, with the same values the fields would give."""
        activity = slot.activity
        verdict = getattr(slot, "verdict", None)
        moment = getattr(self, "moment", None) or _MOMENT.to_representation
        distance = getattr(slot, "distance_km", None)
        return {
            "id": slot.pk,
            "activity": slot.activity_id,
            "title": str(activity.display_title),
            "kind": str(activity.kind),
            "venue": activity.venue_id,
            "team": activity.team_id,
            "starts_at": moment(slot.starts_at),
            "ends_at": moment(slot.ends_at),
            "status": slot.status,
            "roles": [
                {
                    "id": role.pk,
                    "skill": role.skill.code if role.skill_id is not None else None,
                    "label": role.label,
                    "needed": role.needed,
                    "filled": role.filled,
                    "language": role.language,
                }
                for role in slot.roles.all()
            ],
            "seats_left": slot.seats_left,
            "reasons": [r.as_dict() for r in verdict.refusals] if verdict is not None else None,
            "would_waitlist": verdict.full if verdict is not None and verdict.ok else None,
            "distance_km": float(distance) if distance is not None else None,
        }

    @extend_schema_field(ReasonSerializer(many=True, allow_null=True))
    def get_reasons(self, slot) -> list[dict[str, str]] | None:
        verdict = getattr(slot, "verdict", None)
        return [r.as_dict() for r in verdict.refusals] if verdict is not None else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_would_waitlist(self, slot) -> bool | None:
        verdict = getattr(slot, "verdict", None)
        return verdict.full if verdict is not None and verdict.ok else None


def _label(name: str):
    """The label a model serializer gives the field: its verbose name."""
    return capfirst(Assignment._meta.get_field(name).verbose_name)


# Read only, its fields declared rather than derived from the model: a model serializer works
# them out again for every response (a cancellation's, a check-in's). The same shape and schema.
class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slot = serializers.IntegerField(source="slot_id", read_only=True)
    role = serializers.IntegerField(source="role_id", read_only=True)
    volunteer = serializers.IntegerField(source="volunteer_id", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.user.get_full_name", read_only=True)
    volunteer_phone = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=Assignment.Status.choices, read_only=True, label=_label("status")
    )
    source = serializers.ChoiceField(
        choices=Assignment.Source.choices, read_only=True, label=_label("source")
    )
    starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="slot.ends_at", read_only=True)
    cancelled_late = serializers.BooleanField(read_only=True, label=_label("cancelled_late"))
    checked_in_at = serializers.DateTimeField(
        read_only=True, allow_null=True, label=_label("checked_in_at")
    )
    reconfirmed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, label=_label("reconfirmed_at")
    )
    created_at = serializers.DateTimeField(read_only=True)

    def get_volunteer_phone(self, assignment: Assignment) -> str | None:
        """Her own number to her; to the slot's hosts and coordinators only while she holds a
        seat (the list holds nobody else's sign-ups)."""
        request = self.context.get("request")
        if request is not None and assignment.volunteer.user_id == request.user.pk:
            return assignment.volunteer.phone
        return assignment.roster_phone or None


class SignUpSerializer(serializers.Serializer):
    role = serializers.IntegerField(required=False, allow_null=True)


class SignUpResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    role = serializers.IntegerField()
    waitlist_position = serializers.IntegerField(allow_null=True)


class MarkSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Assignment.Status.ATTENDED, Assignment.Status.NO_SHOW]
    )


class CalendarSettingsSerializer(serializers.Serializer):
    feed_url = serializers.URLField(read_only=True, help_text="The secret feed (https or http).")
    webcal_url = serializers.CharField(
        read_only=True, help_text="The same feed for calendar apps (webcal://)."
    )
    invites = serializers.BooleanField(
        help_text="Whether invitations for her shifts are sent to her by email."
    )
