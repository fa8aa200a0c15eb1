"""The admin of activities. What services own — times, status, repeat rule, the seats a role
needs — is shown read-only: changing it must tell people, move waitlists and update calendars,
which only the services do. Activities, slots and roles are made by the services too (posting
an activity creates its slots); the admin acts through them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import LargeListMixin, each_through_service

from .models import (
    Activity,
    ActivityRole,
    Assignment,
    Backfill,
    BackfillOffer,
    Slot,
    SlotRole,
)
from .services import activities as activity_services
from .services import series, signup


class ServiceMadeMixin:
    """Rows that only services create (with their slots, roles and notices)."""

    def has_add_permission(self, request, obj=None):
        return False


class ActivityRoleInline(ServiceMadeMixin, admin.TabularInline):
    """Roles change through the activity's edit page (people waiting are promoted, slots follow)."""

    model = ActivityRole
    fields = ["label", "skill", "language", "needed"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Activity)
class ActivityAdmin(ServiceMadeMixin, admin.ModelAdmin):
    # The list reads in her language (the English title where there is one); the change page
    # shows both titles.
    list_display = ["__str__", "kind", "venue", "starts_at", "rrule", "status", "team"]
    list_filter = ["kind", "status", "venue__kind"]
    search_fields = ["title", "title_en", "venue__name", "venue__name_en"]
    list_select_related = ["venue", "team"]
    # Every change of an activity tells people, moves waitlists or updates calendars: it is
    # made on the activity's own page, through activities.services.updates.
    readonly_fields = [
        "edit_page",
        "venue",
        "room",
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
        "created_by",
        "sequence",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "starts_at"
    inlines = [ActivityRoleInline]
    actions = ["generate_slots"]

    @admin.display(description=_("Change"))
    def edit_page(self, activity: Activity) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("activity_edit", args=[activity.pk]),
            _("Change the activity, its times, repeat rule or roles"),
        )

    @admin.action(description=_("Create the missing slots up to the horizon"))
    def generate_slots(self, request, queryset):
        made = activity_services.slots_generate(activities=list(queryset))
        self.message_user(request, _("%(count)d slots created.") % {"count": made})


@admin.register(ActivityRole)
class ActivityRoleAdmin(ServiceMadeMixin, admin.ModelAdmin):
    list_display = ["activity", "label", "skill", "language", "needed"]
    list_filter = ["skill", "language"]
    search_fields = ["activity__title", "activity__title_en", "label"]
    list_select_related = ["activity", "skill"]
    readonly_fields = ["activity", "skill", "language", "needed", "label"]


class SlotRoleInline(ServiceMadeMixin, admin.TabularInline):
    model = SlotRole
    fields = ["label", "skill", "language", "needed"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class AssignmentInline(admin.TabularInline):
    """Who holds the seats; states change through the actions on assignments."""

    model = Assignment
    fields = ["volunteer", "role", "status", "source", "checked_in_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Slot)
class SlotAdmin(LargeListMixin, ServiceMadeMixin, admin.ModelAdmin):
    list_display = ["activity", "starts_at", "ends_at", "status", "detached"]
    list_filter = ["status", "detached", "activity__kind", "activity__venue__kind"]
    search_fields = ["activity__title", "activity__title_en", "activity__venue__name"]
    list_select_related = ["activity"]
    readonly_fields = [
        "edit_page",
        "activity",
        "starts_at",
        "ends_at",
        "status",
        "detached",
        "original_start",
        "sequence",
        "checkin_token",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "starts_at"
    inlines = [SlotRoleInline, AssignmentInline]
    actions = ["cancel_occurrence"]

    @admin.display(description=_("Change"))
    def edit_page(self, slot: Slot) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("host_slot", args=[slot.pk]),
            _("Move or cancel this occurrence, the following ones or the series"),
        )

    @admin.action(description=_("Cancel the selected occurrences (and tell who signed up)"))
    def cancel_occurrence(self, request, queryset):
        each_through_service(
            self,
            request,
            queryset,
            lambda slot: series.slot_cancel(slot=slot, scope="this", by=request.user),
        )


@admin.register(SlotRole)
class SlotRoleAdmin(LargeListMixin, ServiceMadeMixin, admin.ModelAdmin):
    list_display = ["slot", "label", "skill", "language", "needed"]
    list_filter = ["skill", "language"]
    search_fields = ["slot__activity__title", "slot__activity__title_en", "label"]
    list_select_related = ["slot__activity", "skill"]
    readonly_fields = ["slot", "activity_role", "skill", "language", "needed", "label"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(LargeListMixin, admin.ModelAdmin):
    list_display = ["volunteer", "slot", "role", "status", "source", "checked_in_at"]
    list_filter = ["status", "source", "cancelled_late", "slot__activity__kind"]
    search_fields = [
        "volunteer__user__email",
        "volunteer__user__name",
        "volunteer__phone",
        "slot__activity__title",
    ]
    # The role's name shows its slot and activity: joined too, not read row by row.
    list_select_related = [
        "volunteer__user",
        "slot__activity",
        "role__skill",
        "role__slot__activity",
    ]
    # Seats are counted under locks by the sign-up services: states change only through them.
    readonly_fields = [
        "volunteer",
        "slot",
        "role",
        "source",
        "status",
        "cancelled_late",
        "checked_in_at",
        "reconfirmed_at",
        "cancelled_at",
        "sequence",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    actions = ["cancel", "mark_attended", "mark_no_show"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel the selected sign-ups"))
    def cancel(self, request, queryset):
        each_through_service(
            self,
            request,
            queryset.select_related("slot"),
            lambda a: signup.assignment_cancel(assignment=a, by=request.user),
        )

    @admin.action(description=_("Mark the selected volunteers as attended"))
    def mark_attended(self, request, queryset):
        each_through_service(
            self,
            request,
            queryset.select_related("slot"),
            lambda a: signup.assignment_mark(
                assignment=a, status=Assignment.Status.ATTENDED, by=request.user
            ),
        )

    @admin.action(description=_("Mark the selected volunteers as no-shows"))
    def mark_no_show(self, request, queryset):
        each_through_service(
            self,
            request,
            queryset.select_related("slot"),
            lambda a: signup.assignment_mark(
                assignment=a, status=Assignment.Status.NO_SHOW, by=request.user
            ),
        )


class BackfillOfferInline(admin.TabularInline):
    model = BackfillOffer
    fields = ["volunteer", "round", "status", "expires_at", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Backfill)
class BackfillAdmin(admin.ModelAdmin):
    ordering = ["-opened_at"]
    list_display = ["role", "round", "opened_at", "closed_at"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["role__slot__activity__title"]
    list_select_related = ["role__slot__activity"]
    readonly_fields = ["role", "round", "opened_at", "closed_at"]
    inlines = [BackfillOfferInline]


@admin.register(BackfillOffer)
class BackfillOfferAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "backfill", "round", "status", "expires_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["volunteer__user__email", "volunteer__user__name"]
    list_select_related = ["volunteer__user", "backfill__role__slot__activity"]
    autocomplete_fields = ["volunteer", "backfill"]
