"""Forms of the shifts pages: the filters of "shifts for me"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from venues.models import Venue
from volunteers.models import Team

from ..models import PUBLIC_KIND_CHOICES


class ShiftFilterForm(forms.Form):
    SORTS = [("soonest", _("Soonest first")), ("nearest", _("Nearest first"))]
    VIEWS = [("list", _("List")), ("week", _("Week"))]

    venue = forms.ModelChoiceField(
        label=_("Venue"), queryset=Venue.objects.filter(is_active=True), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("Any kind"))] + PUBLIC_KIND_CHOICES,
        required=False,
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    date = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)
    view = forms.ChoiceField(label=_("Show as"), choices=VIEWS, required=False)
    everything = forms.BooleanField(
        label=_("Also shifts I cannot take, with the reason"), required=False
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        self.fields["venue"].empty_label = _("Any venue")
        self.fields["team"].empty_label = _("Any team")
