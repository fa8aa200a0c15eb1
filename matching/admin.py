from django.contrib import admin

from .models import MatchGap, MatchProposal, MatchRun


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "area", "start", "end", "status", "progress", "created_by", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["area", "created_by", "published_by"]
    readonly_fields = ["stats", "error", "started_at", "finished_at", "published_at"]


@admin.register(MatchProposal)
class MatchProposalAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "slot_role", "volunteer", "locked", "removed", "outcome"]
    list_filter = ["locked", "removed", "outcome"]
    raw_id_fields = ["run", "slot_role", "volunteer", "assignment"]


@admin.register(MatchGap)
class MatchGapAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "slot_role", "empty", "reason"]
    list_filter = ["reason"]
    raw_id_fields = ["run", "slot_role"]
