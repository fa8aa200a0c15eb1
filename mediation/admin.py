"""The admin shows disputes to superusers only, read-only, and logs every look at them.

Cases are worked on through the mediation pages, whose services check every rule; the admin
is for looking things up. The audit log is read-only for everyone.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import admin

from .models import (
    Compound,
    Dispute,
    HotlineOperator,
    MediatorProfile,
    PartnerContact,
)
from .services.audit import audit_read


class SuperusersOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(SuperusersOnly):
    list_display = ["reference", "kind", "area", "status", "level", "urgency", "created_at"]
    list_filter = ["status", "kind", "level"]
    search_fields = ["reference"]
    fields = [
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
        "lawful_basis",
        "created_at",
        "resolved_at",
        "closed_at",
        "erased_at",
    ]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", {}).get("cl")
        if shown is not None:
            audit_read(by=request.user, disputes=list(shown.result_list), via="admin list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        dispute = Dispute.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if dispute is not None and response.status_code == 200:
            audit_read(by=request.user, disputes=[dispute], via="admin")
        return response


class Editable(admin.ModelAdmin):
    """Reference data (compounds, partner agencies, operators, mediator settings)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Compound)
class CompoundAdmin(Editable):
    list_display = ["name", "name_en", "area"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["area"]


@admin.register(PartnerContact)
class PartnerContactAdmin(Editable):
    list_display = ["organisation", "kind", "area", "active"]
    list_filter = ["kind", "active"]


@admin.register(HotlineOperator)
class HotlineOperatorAdmin(Editable):
    list_display = ["user", "area"]
    autocomplete_fields = ["user", "area"]


@admin.register(MediatorProfile)
class MediatorProfileAdmin(Editable):
    list_display = ["volunteer", "caseload_cap", "can_lead", "active"]
    autocomplete_fields = ["volunteer", "compound"]


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(SuperusersOnly):
    """The audit log: read by administrators, edited and deleted by nobody."""

    list_display = ["timestamp", "actor", "action", "content_type", "object_repr", "remote_addr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr"]
    date_hierarchy = "timestamp"
    list_select_related = ["actor", "content_type"]
    fields = [
        "timestamp",
        "actor",
        "action",
        "content_type",
        "object_pk",
        "object_repr",
        "changes",
        "additional_data",
        "remote_addr",
        "cid",
    ]
    readonly_fields = fields
