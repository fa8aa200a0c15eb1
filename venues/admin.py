from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Area, Coordinator, Room, Venue


class ChildAreaInline(admin.TabularInline):
    model = Area
    fk_name = "parent"
    fields = ["name", "name_en", "level"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("areas under this one")


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    fields = ["user", "phone"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "name_en"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [ChildAreaInline, CoordinatorInline]


class RoomInline(admin.TabularInline):
    model = Room
    fields = ["name", "capacity"]
    extra = 0


class HostInline(admin.TabularInline):
    model = Venue.hosts.through
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("host")
    verbose_name_plural = _("hosts")


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "area", "is_active"]
    list_filter = ["kind", "is_active", "area__level"]
    search_fields = ["name", "name_en", "address", "area__name", "hosts__email", "hosts__name"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]
    exclude = ["hosts"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RoomInline, HostInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "capacity"]
    search_fields = ["name", "venue__name", "venue__name_en"]
    list_select_related = ["venue"]
    autocomplete_fields = ["venue"]


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    ordering = ["area__name", "user__email"]
    list_display = ["user", "area", "phone"]
    list_filter = ["area__level"]
    search_fields = ["user__email", "user__name", "area__name", "area__name_en"]
    list_select_related = ["user", "area"]
    autocomplete_fields = ["user", "area"]
