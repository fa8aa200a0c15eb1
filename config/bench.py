"""The load benchmark's ceiling (``bench/load.py``): the rows "shifts for me" lists, served by
plain DRF with no rule, no reason and no seat count. Mounted only with ``BENCH_CEILING`` on."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from activities.models import Slot
from core.api import Pagination


class CeilingSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Slot
        fields = ["id", "starts_at", "ends_at", "status"]


class CeilingView(ListAPIView):
    serializer_class = CeilingSlotSerializer
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Slot.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")
