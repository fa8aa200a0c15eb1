"""Forms of the volunteer pages. They only shape input; volunteers.services checks the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from venues.models import Area

from .models import LANGUAGE_CHOICES, Skill, TeamMembership


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Your skills"),
        queryset=Skill.objects.order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Counselling, mediation and law count once a coordinator has verified them."),
    )
    max_hours_per_week = forms.IntegerField(
        label=_("Most hours a week you want to give"), min_value=1, max_value=60, initial=6
    )
    sms_enabled = forms.BooleanField(label=_("Send me text messages"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language for pages and messages"), choices=settings.LANGUAGES
    )

    home_area = forms.ModelChoiceField(
        label=_("Where you live (community)"),
        queryset=Area.objects.order_by("level", "name"),
        required=False,
    )
    latitude = forms.DecimalField(
        label=_("Home latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        help_text=_("Optional: with your home's position, shifts can be sorted nearest first."),
    )
    longitude = forms.DecimalField(
        label=_("Home longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["skills"] = [s.code for s in data["skills"]]
        return data


class AvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"), coerce=int, choices=[(i, d) for i, d in enumerate(settings.WEEKDAYS)]
    )
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))


class AbsenceForm(forms.Form):
    start_date = forms.DateField(
        label=_("First day away"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("Last day away"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class MemberAddForm(forms.Form):
    who = forms.CharField(
        label=_("Volunteer's email or mobile number"),
        max_length=254,
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=TeamMembership.Role.choices, initial=TeamMembership.Role.MEMBER
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Save your spreadsheet as CSV (UTF-8). The first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
