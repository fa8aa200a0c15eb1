"""Forms of the matcher pages. They only collect input; matching.services decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from venues.models import Area
from venues.selectors import areas_in_scope

from .selectors import areas_broadest_first


class RunForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_broadest_first(areas_in_scope(user=user))
        self.fields["area"].label_from_instance = lambda area: (
            f"{area.display_name} · {area.get_level_display()}"
        )
        today = timezone.localdate()
        self.fields["start"].initial = today
        self.fields["end"].initial = today + timezone.timedelta(days=6)
