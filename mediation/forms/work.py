"""Forms of the work on a case, of runs, mediators and partners."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from venues.models import Area, Room, Venue

from ..models import Compound, Dispute, MediatorConflict, MediatorProfile, PartnerContact, Visit


class VisitForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Step"), choices=Visit.Step.choices, coerce=int)
    visited_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mediators = forms.TypedMultipleChoiceField(
        label=_("Who went"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    others = forms.CharField(label=_("Others who went"), required=False, max_length=300)
    what_happened = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    next_step = forms.CharField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_visit_on = forms.DateField(
        label=_("Next visit"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, team=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].choices = [
            (a.mediator_id, f"{a.mediator} ({a.get_role_display()})") for a in team
        ]
        self.fields["visited_on"].initial = timezone.localdate()


class EscalateForm(forms.Form):
    contacts = forms.TypedMultipleChoiceField(
        label=_("Partners to call in"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].choices = [
            (p.pk, f"{p.get_kind_display()} · {p.organisation}") for p in partners
        ]


class SessionForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.filter(is_active=True))
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.all(), required=False)
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    text_parties = forms.BooleanField(
        label=_("Text the parties the time and place (never those marked unsafe)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].label_from_instance = lambda v: v.display_name
        self.fields["room"].queryset = Room.objects.select_related("venue")
        self.fields["room"].label_from_instance = lambda r: f"{r.venue.display_name} · {r.name}"

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(data["day"], data["start"]), tz)
        end = timezone.make_aware(datetime.combine(data["day"], data["end"]), tz)
        return start, end


class ConflictForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=MediatorConflict.Reason.choices)
    mediator = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RunForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("level", "name")
        self.fields["area"].label_from_instance = lambda a: a.display_name


class MediatorForm(forms.Form):
    caseload_cap = forms.IntegerField(label=_("Most open cases"), min_value=1, max_value=20)
    can_lead = forms.BooleanField(label=_("Can lead a case"), required=False)
    specialties = forms.MultipleChoiceField(
        label=_("Kinds of dispute"),
        choices=Dispute.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=MediatorProfile.Gender.choices, required=False
    )
    compound = forms.ModelChoiceField(
        label=_("Lives in"), queryset=Compound.objects.order_by("name"), required=False
    )
    active = forms.BooleanField(label=_("Takes new cases"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].label_from_instance = lambda c: c.display_name


class PartnerForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerContact.Kind.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=150)
    person = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("level", "name")
        self.fields["area"].label_from_instance = lambda a: a.display_name
