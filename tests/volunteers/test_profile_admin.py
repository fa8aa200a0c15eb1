"""The admin's volunteer form holds the number rules too: a landline is refused as a mobile
number, and texts cannot be on without a number."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.world import make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def admin_form(user, volunteer, **changes):
    model_admin = admin.site._registry[VolunteerProfile]
    request = RequestFactory().get("/")
    request.user = user
    form_class = model_admin.get_form(request, volunteer)
    data = {
        "user": volunteer.user_id,
        "languages": '["zh"]',
        "max_hours_per_week": 6,
        "max_km": "",
        **changes,
    }
    return form_class(data=data, instance=volunteer)


@pytest.mark.parametrize("landline", ["021 6234 5678", "+86 10 1234 5678"])
def test_a_landline_is_refused(admin, landline):
    volunteer = make_volunteer()
    form = admin_form(admin, volunteer, phone=landline, sms_enabled="on")
    assert not form.is_valid()
    assert form.errors["phone"] == ["This is not a mobile number: texts cannot reach it."]


def test_texts_need_a_number(admin):
    volunteer = make_volunteer()
    form = admin_form(admin, volunteer, phone="", sms_enabled="on")
    assert not form.is_valid()
    assert form.errors["sms_enabled"][0].startswith("Texts need a mobile number")


def test_a_mobile_number_is_stored_in_e164(admin):
    volunteer = make_volunteer()
    form = admin_form(admin, volunteer, phone="138 1234 5678", sms_enabled="on")
    form.is_valid()
    assert "phone" not in form.errors and "sms_enabled" not in form.errors
    assert form.cleaned_data["phone"] == "+8613812345678"
