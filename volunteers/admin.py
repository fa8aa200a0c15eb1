from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import each_through_service
from core.errors import ValidationFailed

from . import services
from .models import (
    Absence,
    Availability,
    Skill,
    Team,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)
from .phones import phone_normalise


class VolunteerProfileAdminForm(forms.ModelForm):
    """The admin holds a number to the rules every other way in does: a mobile number (not a
    landline), and texts only with a number."""

    class Meta:
        model = VolunteerProfile
        # The admin adds the page's other fields (ModelAdmin.get_form).
        fields = ["phone", "sms_enabled"]

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data.get("phone")
        if not raw:
            return None
        try:
            return phone_normalise(raw)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.errors["phone"]) from exc

    def clean(self) -> dict:
        data = super().clean()
        if data.get("sms_enabled") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("sms_enabled", services.SMS_NEEDS_PHONE)
        return data


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "needs_verification"]
    list_filter = ["needs_verification"]
    search_fields = ["code", "name", "name_en"]


class VolunteerSkillInline(admin.TabularInline):
    model = VolunteerSkill
    fk_name = "volunteer"
    fields = ["skill", "verified_at", "verified_by"]
    readonly_fields = ["verified_at", "verified_by"]
    autocomplete_fields = ["skill"]
    extra = 0


class AvailabilityInline(admin.TabularInline):
    model = Availability
    fields = ["weekday", "start", "end"]
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = Absence
    fields = ["start_date", "end_date", "note"]
    extra = 0


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ["team", "volunteer", "role"]
    autocomplete_fields = ["team", "volunteer"]
    extra = 0


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    form = VolunteerProfileAdminForm
    ordering = ["user__email"]
    list_display = ["user", "phone", "home_area", "max_hours_per_week", "sms_enabled"]
    list_filter = ["sms_enabled", "skills", "home_area__level"]
    search_fields = ["user__email", "user__name", "phone"]
    list_select_related = ["user", "home_area"]
    autocomplete_fields = ["user", "home_area"]
    readonly_fields = ["phone_verified_at", "created_at", "updated_at"]
    inlines = [VolunteerSkillInline, AvailabilityInline, AbsenceInline, MembershipInline]


@admin.register(VolunteerSkill)
class VolunteerSkillAdmin(admin.ModelAdmin):
    ordering = ["volunteer__user__email", "skill__code"]
    list_display = ["volunteer", "skill", "verified_at", "verified_by"]
    list_filter = [
        "skill__needs_verification",
        ("verified_at", admin.EmptyFieldListFilter),
        "skill",
    ]
    search_fields = ["volunteer__user__email", "volunteer__user__name", "skill__code"]
    list_select_related = ["volunteer__user", "skill", "verified_by"]
    autocomplete_fields = ["volunteer", "skill"]
    readonly_fields = ["verified_at", "verified_by"]
    actions = ["verify"]

    @admin.action(description=_("Verify the selected skills"))
    def verify(self, request, queryset):
        each_through_service(
            self,
            request,
            queryset.select_related("volunteer", "skill"),
            lambda link: services.skill_verify(link=link, by=request.user),
        )


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "weekday", "start", "end"]
    list_filter = ["weekday"]
    search_fields = ["volunteer__user__email", "volunteer__user__name"]
    list_select_related = ["volunteer__user"]
    autocomplete_fields = ["volunteer"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "start_date", "end_date", "note"]
    search_fields = ["volunteer__user__email", "volunteer__user__name", "note"]
    list_select_related = ["volunteer__user"]
    autocomplete_fields = ["volunteer"]
    date_hierarchy = "start_date"


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "area__name"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]
    inlines = [MembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    ordering = ["team__name", "role", "volunteer__user__email"]
    list_display = ["volunteer", "team", "role", "joined_at"]
    list_filter = ["role", "team"]
    search_fields = ["volunteer__user__email", "volunteer__user__name", "team__name"]
    list_select_related = ["volunteer__user", "team"]
    autocomplete_fields = ["volunteer", "team"]
