"""Forms hosts fill in: an activity with a friendly repeat, its roles, and a slot change.

The forms only turn what people type into values (times in the venue's zone, an RRULE);
whether those values may be saved is decided by activities.services.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import form_errors_add
from venues.models import Room
from volunteers.models import LANGUAGE_CHOICES, Skill, Team

from .. import recurrence
from ..models import Activity

REPEAT_CHOICES = [
    ("", _("Does not repeat")),
    ("DAILY", _("Every day")),
    ("WEEKLY", _("Every week")),
    ("MONTHLY", _("Every month")),
]
SCOPE_CHOICES = [
    ("this", _("This occurrence only")),
    ("following", _("This and the following occurrences")),
    ("all", _("All occurrences of the series")),
]
# Maps service error fields to the form fields that show them ("": the role formset shows them).
FIELD_FOR_ERROR = {
    "starts_at": "start_time",
    "ends_at": "end_time",
    "rrule": "repeat",
    "exdates": "exdates",
    "venue": None,
    "roles": "",
}


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    audience = forms.CharField(
        label=_("Who it is for"),
        max_length=200,
        required=False,
        help_text=_("For example: mothers of young children, foreign residents, everyone."),
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("Any room")
    )
    team = forms.ModelChoiceField(
        label=_("Reserved for a team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Open to every volunteer"),
    )
    date = forms.DateField(
        label=_("Date (first date of a series)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=pgettext_lazy("time of day", "From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=pgettext_lazy("time of day", "To"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEAT_CHOICES, required=False)
    interval = forms.IntegerField(
        label=_("Every how many days, weeks or months"),
        min_value=1,
        max_value=52,
        initial=1,
        required=False,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=[(i, label) for i, label in enumerate(settings.WEEKDAYS)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For weekly repeats; leave empty to repeat on the day of the first date."),
    )
    until = forms.DateField(
        label=_("Until (last date)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    count = forms.IntegerField(
        label=_("Or: number of times"),
        min_value=1,
        max_value=recurrence.MAX_OCCURRENCES,
        required=False,
        help_text=_(
            "A repeating activity needs an end: a last date or a number of times "
            "(at most 500 times)."
        ),
    )
    skip_holidays = forms.BooleanField(
        label=_("Not on public holidays"),
        required=False,
        help_text=_("The dates of a series that fall on a public holiday are left out."),
    )
    exdates = forms.CharField(
        label=_("Except on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-10-01"}),
        help_text=_("Dates without the activity, such as public holidays: one per line."),
    )

    def __init__(self, *args, venue, **kwargs):
        self.venue = venue
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(venue=venue)
        self.fields["room"].label_from_instance = lambda room: room.name

    def clean(self):
        data = super().clean()
        tz = recurrence.zone(self.venue.timezone)
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = datetime.combine(day, end, tzinfo=tz)
        data["rrule"] = ""
        if data.get("repeat"):
            try:
                data["rrule"] = recurrence.rrule_build(
                    frequency=data["repeat"],
                    tz=self.venue.timezone,
                    interval=data.get("interval") or 1,
                    weekdays=data.get("weekdays") or (),
                    until=data.get("until"),
                    count=data.get("count"),
                )
            except recurrence.RecurrenceError as exc:
                self.add_error("repeat", exc.message)
        raw = (data.get("exdates") or "").replace(",", "\n").split()
        try:
            data["exdate_list"] = recurrence.exdates_parse(raw)
        except recurrence.RecurrenceError as exc:
            self.add_error("exdates", exc.message)
        if (
            data.get("skip_holidays")
            and data["rrule"]
            and data.get("starts_at")
            and not self.errors
        ):
            try:
                data["exdate_list"] = sorted(
                    {
                        *data["exdate_list"],
                        *recurrence.holidays_on(
                            starts_at=data["starts_at"],
                            ends_at=data["ends_at"],
                            rrule=recurrence.rrule_normalize(data["rrule"], tz=self.venue.timezone),
                            tz=self.venue.timezone,
                            country=settings.PUBLIC_HOLIDAYS_COUNTRY,
                        ),
                    }
                )
            except recurrence.RecurrenceError as exc:
                self.add_error("repeat", exc.message)
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Show the service's messages on the fields; returns those about roles."""
        return form_errors_add(self, errors, fields=FIELD_FOR_ERROR)


class RoleForm(forms.Form):
    role_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Role (Chinese)"), max_length=100, required=False)
    label_en = forms.CharField(label=_("Role (English)"), max_length=100, required=False)
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.order_by("code"),
        required=False,
        empty_label=_("Anyone"),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any"))] + LANGUAGE_CHOICES, required=False
    )
    needed = forms.IntegerField(label=_("People needed"))


RoleFormSet = forms.formset_factory(RoleForm, extra=1, can_delete=True)


def role_specs(formset) -> list[dict]:
    """The roles a formset describes, skipping empty and deleted rows."""
    specs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        specs.append(
            {
                "id": data.get("role_id"),
                "label": data.get("label") or "",
                "label_en": data.get("label_en") or "",
                "skill": data.get("skill"),
                "language": data.get("language") or "",
                "needed": data.get("needed"),
            }
        )
    return specs


class SlotChangeForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=pgettext_lazy("time of day", "From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=pgettext_lazy("time of day", "To"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    scope = forms.ChoiceField(
        label=_("Apply to"), choices=SCOPE_CHOICES, widget=forms.RadioSelect, initial="this"
    )


class SlotCancelForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Cancel"), choices=SCOPE_CHOICES, widget=forms.RadioSelect, initial="this"
    )
