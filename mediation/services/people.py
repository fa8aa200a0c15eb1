"""Mediators' settings (cap, lead, kinds, gender, compound) and the partner agencies."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import NotFound, ValidationFailed
from venues.models import Area
from venues.selectors import areas_in_scope, is_coordinator
from volunteers.models import VolunteerProfile
from volunteers.services import may_coordinate_volunteer, phone_normalise

from ..models import Compound, Dispute, MediatorProfile, PartnerContact
from ..selectors.mediators import mediator_profiles


def mediator_get(*, by, volunteer_id) -> VolunteerProfile:
    volunteer = (
        mediator_profiles().filter(pk=volunteer_id).select_related("user", "mediator").first()
    )
    if volunteer is None or not may_coordinate_volunteer(user=by, volunteer=volunteer):
        raise NotFound(_("No such mediator."), code="mediator_not_found")
    return volunteer


def mediator_settings_update(
    *,
    by,
    volunteer_id: int,
    caseload_cap: int,
    can_lead: bool,
    specialties: list[str],
    gender: str = "",
    compound: Compound | None = None,
    active: bool = True,
) -> MediatorProfile:
    volunteer = mediator_get(by=by, volunteer_id=volunteer_id)
    errors: dict[str, list[str]] = {}
    if not isinstance(caseload_cap, int) or not 1 <= caseload_cap <= 20:
        errors["caseload_cap"] = [_("Between 1 and 20 open cases.")]
    unknown = set(specialties) - set(Dispute.Kind.values)
    if unknown:
        errors["specialties"] = [_("Choose kinds of dispute from the list.")]
    if gender not in MediatorProfile.Gender.values:
        errors["gender"] = [_("Choose one of the options.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        profile, _created = MediatorProfile.objects.select_for_update().get_or_create(
            volunteer=volunteer
        )
        profile.caseload_cap = caseload_cap
        profile.can_lead = bool(can_lead)
        profile.specialties = sorted(set(specialties))
        profile.gender = gender
        profile.compound = compound
        profile.active = bool(active)
        profile.save()
    return profile


def partner_create(
    *,
    by,
    area: Area | None,
    kind: str,
    organisation: str,
    person: str = "",
    phone: str = "",
    email: str = "",
) -> PartnerContact:
    errors: dict[str, list[str]] = {}
    if area is None or not areas_in_scope(user=by).filter(pk=area.pk).exists():
        errors["area"] = [_("Choose one of your areas.")]
    if kind not in PartnerContact.Kind.values:
        errors["kind"] = [_("Choose one of the options.")]
    if not (organisation or "").strip():
        errors["organisation"] = [_("Name the organisation.")]
    if phone:
        try:
            phone = phone_normalise(phone)
        except ValidationFailed as exc:
            errors["phone"] = exc.errors["phone"]
    if not phone and not email:
        errors["phone"] = [_("Give a mobile number or an email address to reach them.")]
    if errors:
        raise ValidationFailed(errors)
    return PartnerContact.objects.create(
        area=area,
        kind=kind,
        organisation=organisation.strip(),
        person=(person or "").strip(),
        phone=phone,
        email=(email or "").strip(),
    )


def partner_deactivate(*, by, partner_id: int) -> PartnerContact:
    partner = PartnerContact.objects.filter(pk=partner_id, area__in=areas_in_scope(user=by)).first()
    if partner is None or not is_coordinator(by):
        raise NotFound(_("No such partner."), code="partner_not_found")
    partner.active = False
    partner.save(update_fields=["active"])
    return partner
