"""Shapes of the matcher API. Input is validated here; the rules live in matching.services."""

from __future__ import annotations

from rest_framework import serializers

from venues.models import Area

from ..models import MatchGap, MatchProposal, MatchRun
from ..reasons import gap_text


class RunCreateSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    slots = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )


class RunSerializer(serializers.ModelSerializer):
    """The run and its figures; the API's 202 answer reads ``id``, ``status``, ``progress``."""

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "status",
            "progress",
            "area",
            "start",
            "end",
            "slot_ids",
            "stats",
            "error",
            "created_at",
            "finished_at",
            "published_at",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    slot = serializers.IntegerField(source="slot_role.slot_id", read_only=True)
    starts_at = serializers.DateTimeField(source="slot_role.slot.starts_at", read_only=True)
    name = serializers.CharField(source="volunteer.user.get_full_name", read_only=True)

    class Meta:
        model = MatchProposal
        fields = [
            "id",
            "slot",
            "slot_role",
            "starts_at",
            "volunteer",
            "name",
            "locked",
            "removed",
            "cost",
            "hours",
            "outcome",
            "outcome_note",
            "assignment",
        ]
        read_only_fields = fields


class GapSerializer(serializers.ModelSerializer):
    slot = serializers.IntegerField(source="slot_role.slot_id", read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = MatchGap
        fields = ["slot", "slot_role", "empty", "reason", "counts", "text"]
        read_only_fields = fields

    def get_text(self, gap: MatchGap) -> str:
        return gap_text(gap)


class RunDetailSerializer(RunSerializer):
    proposals = ProposalSerializer(many=True, read_only=True)
    gaps = GapSerializer(many=True, read_only=True)

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "proposals", "gaps"]
        read_only_fields = fields
