"""The disputes API's shapes. Validation of meaning lives in the services; these check form."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from venues.models import Area, Room, Venue

from ..models import (
    Compound,
    Dispute,
    Escalation,
    MediationGap,
    MediationProposal,
    MediationRun,
    MediatorAssignment,
    MediatorConflict,
    PartnerContact,
    Party,
    Session,
    Visit,
)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def person(user) -> dict:
    return {"id": user.pk, "name": user.name or user.email}


class CaseTeamMemberSerializer(serializers.ModelSerializer):
    mediator = serializers.SerializerMethodField()

    class Meta:
        model = MediatorAssignment
        fields = ["mediator", "role", "assigned_at"]

    def get_mediator(self, obj) -> PersonSerializer:
        return person(obj.mediator)


class DisputeSerializer(serializers.ModelSerializer):
    """A dispute in a list: the case's facts, never names, numbers or the narrative."""

    team = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = [
            "id",
            "reference",
            "source",
            "kind",
            "area",
            "compound",
            "language",
            "urgency",
            "safety_risk",
            "status",
            "level",
            "created_at",
            "team",
        ]

    def get_team(self, obj) -> CaseTeamMemberSerializer(many=True):
        team = getattr(obj, "team", None)
        if team is None:
            team = obj.assignments.filter(ended_at__isnull=True).select_related("mediator")
        return CaseTeamMemberSerializer(team, many=True).data


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "phone", "relation", "compound", "unsafe_sms"]


class VisitSerializer(serializers.ModelSerializer):
    mediators = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "step",
            "visited_on",
            "mediators",
            "others",
            "what_happened",
            "next_step",
            "next_visit_on",
            "created_at",
        ]

    def get_mediators(self, obj) -> PersonSerializer(many=True):
        return [person(u) for u in obj.mediators.all()]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "venue", "room", "starts_at", "ends_at", "status"]


class EscalationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Escalation
        fields = ["id", "reason", "contacts", "created_at"]


class DisputeDetailSerializer(DisputeSerializer):
    parties = PartySerializer(many=True, read_only=True)
    visits = VisitSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)

    class Meta(DisputeSerializer.Meta):
        fields = [
            *DisputeSerializer.Meta.fields,
            "narrative",
            "gender_preference",
            "lawful_basis",
            "consent_recorded_at",
            "referred_to",
            "resolved_at",
            "closed_at",
            "parties",
            "visits",
            "sessions",
            "escalations",
        ]


class PartyInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    relation = serializers.ChoiceField(Party.Relation.choices, default=Party.Relation.OTHER)
    compound = serializers.PrimaryKeyRelatedField(
        queryset=Compound.objects.all(), required=False, allow_null=True, default=None
    )
    unsafe_sms = serializers.BooleanField(default=False)


class DisputeInSerializer(serializers.Serializer):
    source = serializers.ChoiceField(Dispute.Source.choices)
    kind = serializers.ChoiceField(Dispute.Kind.choices)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    compound = serializers.PrimaryKeyRelatedField(queryset=Compound.objects.all())
    language = serializers.CharField(max_length=8, default="zh")
    urgency = serializers.ChoiceField(Dispute.Urgency.choices, default=Dispute.Urgency.NORMAL)
    safety_risk = serializers.BooleanField(default=False)
    gender_preference = serializers.ChoiceField(
        Dispute.GenderPreference.choices, default="", allow_blank=True
    )
    level = serializers.ChoiceField(Dispute.Level.choices, default=Dispute.Level.INITIAL)
    narrative = serializers.CharField(allow_blank=True)
    lawful_basis = serializers.ChoiceField(Dispute.Basis.choices)
    consent_given = serializers.BooleanField(default=False)
    basis_note = serializers.CharField(required=False, allow_blank=True, default="")
    parties = PartyInSerializer(many=True)


class CandidateSerializer(serializers.Serializer):
    mediator = PersonSerializer()
    role = serializers.CharField()
    distance_km = serializers.FloatField()
    free_roles = serializers.IntegerField()
    in_current_plan = serializers.BooleanField()
    free_hours = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class ExclusionSerializer(serializers.Serializer):
    mediator = PersonSerializer()
    code = serializers.CharField()
    text = serializers.CharField()


class CandidatesSerializer(serializers.Serializer):
    leads = CandidateSerializer(many=True)
    assistants = CandidateSerializer(many=True)
    excluded = ExclusionSerializer(many=True)
    others = serializers.DictField(child=serializers.IntegerField())


class AssignInSerializer(serializers.Serializer):
    lead = serializers.IntegerField()
    assistant = serializers.IntegerField(required=False, allow_null=True, default=None)


class VisitInSerializer(serializers.Serializer):
    step = serializers.ChoiceField(Visit.Step.choices)
    visited_on = serializers.DateField()
    what_happened = serializers.CharField(allow_blank=True)
    next_step = serializers.CharField(required=False, allow_blank=True, default="")
    next_visit_on = serializers.DateField(required=False, allow_null=True, default=None)
    mediators = serializers.ListField(child=serializers.IntegerField(), required=False)
    others = serializers.CharField(required=False, allow_blank=True, default="")


class EscalateInSerializer(serializers.Serializer):
    contacts = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    reason = serializers.CharField(allow_blank=True)


class StatusInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Dispute.Status.choices)
    referred_to = serializers.ChoiceField(
        Dispute.ReferredTo.choices, required=False, allow_blank=True, default=""
    )


class SessionInSerializer(serializers.Serializer):
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.filter(is_active=True))
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(), required=False, allow_null=True, default=None
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    text_parties = serializers.BooleanField(default=False)


class ConflictInSerializer(serializers.Serializer):
    mediator = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.ChoiceField(MediatorConflict.Reason.choices)


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediatorConflict
        fields = ["id", "mediator", "reason", "created_at"]


class AuditEntrySerializer(serializers.Serializer):
    timestamp = serializers.DateTimeField()
    action = serializers.SerializerMethodField()
    object = serializers.CharField(source="object_repr")
    what = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    remote_addr = serializers.CharField(allow_null=True)

    def get_action(self, obj) -> str:
        return {0: "create", 1: "update", 2: "delete", 3: "read"}.get(obj.action, "")

    def get_what(self, obj) -> str:
        data = obj.additional_data or {}
        if isinstance(data, dict) and data.get("via"):
            return str(data["via"])
        return (
            ", ".join(sorted((obj.changes or {}).keys())) if isinstance(obj.changes, dict) else ""
        )

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_actor(self, obj):
        return person(obj.actor) if obj.actor else None


class MediationRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationRun
        fields = ["id", "area", "status", "progress", "stats", "error", "created_at"]


class RunInSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())


class MediationProposalSerializer(serializers.ModelSerializer):
    mediator = serializers.SerializerMethodField()
    reference = serializers.CharField(source="dispute.reference")

    class Meta:
        model = MediationProposal
        fields = [
            "id",
            "dispute",
            "reference",
            "mediator",
            "role",
            "distance_km",
            "locked",
            "removed",
            "outcome",
            "outcome_note",
        ]

    def get_mediator(self, obj) -> PersonSerializer:
        return person(obj.mediator)


class MediationGapSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationGap
        fields = ["dispute", "reason", "counts"]


class MediationRunDetailSerializer(MediationRunSerializer):
    proposals = MediationProposalSerializer(many=True, read_only=True)
    gaps = MediationGapSerializer(many=True, read_only=True)

    class Meta(MediationRunSerializer.Meta):
        fields = [*MediationRunSerializer.Meta.fields, "proposals", "gaps"]


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "area", "kind", "organisation", "person", "phone", "email", "active"]
        read_only_fields = ["id", "active"]
