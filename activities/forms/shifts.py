"""Forms of the shifts pages: the filters of "shifts for me"."""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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

    FIELDS_TEMPLATE = "activities/shifts/_filter_fields.html"
    FIELDS_CACHE_SECONDS = 600

    def fields_html(self) -> str:
        """The filters' fields as the page shows them. Their HTML follows only from the language,
        the choices offered (venues, her teams) and what she asked for, so it is kept in the
        cache under those (and the template's text); whoever asks the same of the same choices
        gets the same HTML."""
        choices = []
        for name in ("venue", "team"):
            # Read once: the widget renders from this list rather than asking the database again.
            widget = self.fields[name].widget
            widget.choices = list(iter(self.fields[name].choices))  # iter: no COUNT query
            choices.append((name, [(str(value), str(label)) for value, label in widget.choices]))
        getlist = getattr(self.data, "getlist", lambda name: [self.data.get(name)])
        asked = [(name, getlist(name)) for name in self.fields] if self.is_bound else []
        # The template's own text too: a deploy that changes it is not answered from the cache.
        source = get_template(self.FIELDS_TEMPLATE).template.source
        key = repr((source, get_language(), self.is_bound, asked, choices))
        key = "shift-filters:" + hashlib.sha256(key.encode()).hexdigest()
        html = cache.get(key)
        if html is None:
            html = render_to_string(self.FIELDS_TEMPLATE, {"form": self})
            cache.set(key, html, self.FIELDS_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - the form's own template rendered it
