"""Shapes of areas and venues in the API. Rules live in venues.services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from ..models import Area, Room, Venue


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "name_en", "level", "parent"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["name", "capacity"]
        # Uniqueness per venue is checked by the service, which sees the whole list.
        validators: list = []


class VenueSerializer(serializers.ModelSerializer):
    hosts = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all(), required=False
    )
    rooms = RoomSerializer(many=True, required=False)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "area",
            "address",
            "address_en",
            "latitude",
            "longitude",
            "hosts",
            "timezone",
            "capacity",
            "opening_hours",
            "facilities",
            "description",
            "description_en",
            "phone",
            "rooms",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]
