"""Forms of the matcher pages. They only collect input; matching.services decides."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from venues.models import Area
from venues.selectors import areas_in_scope

from .selectors import areas_broadest_first

# A date input sends and shows ISO dates whatever the page's language.
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RunForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("Until"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = areas_broadest_first(areas_in_scope(user=user))
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda area: area.label
        self.fields["area"].initial = areas.first()
        today = timezone.localdate()
        self.fields["start"].initial = today
        self.fields["end"].initial = today + timedelta(days=6)
