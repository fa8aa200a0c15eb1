"""Forms of the intake and of corrections; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from venues.models import Area
from volunteers.models import LANGUAGE_CHOICES

from ..models import Compound, Dispute, Party

MAX_PARTY_ROWS = 3


class IntakeForm(forms.Form):
    source = forms.ChoiceField(label=_("How it reached us"), choices=Dispute.Source.choices)
    kind = forms.ChoiceField(label=_("Kind of dispute"), choices=Dispute.Kind.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    compound = forms.ModelChoiceField(
        label=_("Residential compound"), queryset=Compound.objects.none()
    )
    language = forms.ChoiceField(label=_("Language of the parties"), choices=LANGUAGE_CHOICES)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Dispute.Urgency.choices, coerce=int
    )
    safety_risk = forms.BooleanField(label=_("Someone's safety is at risk"), required=False)
    gender_preference = forms.ChoiceField(
        label=_("For domestic violence: the party asked for"),
        choices=Dispute.GenderPreference.choices,
        required=False,
    )
    level = forms.TypedChoiceField(
        label=_("Intervention level"),
        choices=Dispute.Level.choices,
        coerce=int,
        initial=Dispute.Level.INITIAL,
    )
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only what is needed to help. Stored encrypted."),
    )
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis for recording this"),
        choices=Dispute.Basis.choices,
        widget=forms.RadioSelect,
    )
    consent_given = forms.BooleanField(
        label=_("The party gave her separate consent to recording this sensitive information"),
        required=False,
    )
    basis_note = forms.CharField(
        label=_("Why consent could not be asked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("level", "name")
        self.fields["area"].label_from_instance = lambda a: a.display_name
        self.fields["compound"].queryset = Compound.objects.filter(area__in=areas).order_by("name")
        self.fields["compound"].label_from_instance = lambda c: c.display_name


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=30, required=False)
    relation = forms.ChoiceField(label=_("Relation"), choices=Party.Relation.choices)
    unsafe_sms = forms.BooleanField(label=_("Unsafe to contact by SMS"), required=False)


PartyFormSet = forms.formset_factory(PartyForm, extra=MAX_PARTY_ROWS, max_num=MAX_PARTY_ROWS)


class DisputeEditForm(forms.Form):
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Dispute.Urgency.choices, coerce=int
    )
    safety_risk = forms.BooleanField(label=_("Someone's safety is at risk"), required=False)
    gender_preference = forms.ChoiceField(
        label=_("For domestic violence: the party asked for"),
        choices=Dispute.GenderPreference.choices,
        required=False,
    )
    level = forms.TypedChoiceField(
        label=_("Intervention level"), choices=Dispute.Level.choices, coerce=int
    )
    narrative = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}))
