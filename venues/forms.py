"""The venue form. It turns what people type into values; venues.services decides the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, Venue


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Venue.Kind.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    address = forms.CharField(label=_("Address (Chinese)"), max_length=300)
    address_en = forms.CharField(label=_("Address (English)"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    timezone = forms.CharField(label=_("Time zone"), max_length=64, initial="Asia/Shanghai")
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=0, required=False)
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=300,
        required=False,
        help_text=_("For example: Mon–Fri 9:00–17:00, Sat 9:00–12:00"),
    )
    facilities = forms.CharField(label=_("Facilities"), max_length=500, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    description = forms.CharField(
        label=_("Description (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rooms = forms.CharField(
        label=_("Rooms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "活动室: 30"}),
        help_text=_("One room per line: name, a colon, and how many people it holds."),
    )

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is None:
            del self.fields["area"]
        else:
            self.fields["area"].queryset = areas
            self.fields["area"].required = True

    def clean_rooms(self) -> list[dict]:
        rooms = []
        for line in (self.cleaned_data.get("rooms") or "").splitlines():
            if not line.strip():
                continue
            name, sep, capacity = line.replace("：", ":").rpartition(":")
            if not sep or not capacity.strip().isdigit():
                raise forms.ValidationError(
                    _("Write each room as “name: number of people” (“%(line)s”).")
                    % {"line": line.strip()}
                )
            rooms.append({"name": name.strip(), "capacity": int(capacity)})
        return rooms


def rooms_text(venue: Venue) -> str:
    return "\n".join(f"{room.name}: {room.capacity}" for room in venue.rooms.all())
