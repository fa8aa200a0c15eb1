"""Taking in a dispute (a coordinator, or a hotline operator for her area), and editing it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotAllowed, ValidationFailed
from venues.models import Area
from volunteers.models import LANGUAGE_CODES
from volunteers.services import phone_normalise

from ..models import Compound, Dispute, Party
from ..selectors.access import intake_areas
from .common import dispute_for, require_open

MAX_PARTIES = 6


@dataclass
class PartyInput:
    name: str = ""
    phone: str = ""
    relation: str = Party.Relation.OTHER
    compound: Compound | None = None
    unsafe_sms: bool = False


def _within(area: Area, compound: Compound) -> bool:
    community = compound.area
    return area.pk in {
        community.pk,
        community.parent_id,
        getattr(community.parent, "parent_id", None),
    }


def _clean_parties(parties: list[PartyInput], errors: dict) -> list[PartyInput]:
    kept = [p for p in parties if (p.name or "").strip() or (p.phone or "").strip()]
    if not kept:
        errors["parties"] = [_("Name at least one party.")]
        return []
    if len(kept) > MAX_PARTIES:
        errors["parties"] = [_("At most %(n)d parties.") % {"n": MAX_PARTIES}]
    for index, party in enumerate(kept):
        party.name = (party.name or "").strip()
        if not party.name:
            errors[f"parties.{index}.name"] = [_("Give the party's name.")]
        elif len(party.name) > 100:
            errors[f"parties.{index}.name"] = [_("A name has at most 100 characters.")]
        if (party.phone or "").strip():
            try:
                party.phone = phone_normalise(party.phone)
            except ValidationFailed as exc:
                errors[f"parties.{index}.phone"] = exc.errors["phone"]
        else:
            party.phone = ""
        if party.relation not in Party.Relation.values:
            errors[f"parties.{index}.relation"] = [_("Choose a relation from the list.")]
    return kept


def _validate(values: dict, errors: dict) -> None:
    choices = {
        "source": Dispute.Source.values,
        "kind": Dispute.Kind.values,
        "lawful_basis": Dispute.Basis.values,
        "gender_preference": Dispute.GenderPreference.values,
    }
    for field, allowed in choices.items():
        if values.get(field) not in allowed:
            errors[field] = [_("Choose one of the options.")]
    if values.get("urgency") not in Dispute.Urgency.values:
        errors["urgency"] = [_("Choose one of the options.")]
    if values.get("level") not in Dispute.Level.values:
        errors["level"] = [_("Choose one of the options.")]
    if values.get("language") not in LANGUAGE_CODES:
        errors["language"] = [_("Choose a language from the list.")]
    if not (values.get("narrative") or "").strip():
        errors["narrative"] = [_("Say briefly what happened.")]
    basis = values.get("lawful_basis")
    if basis == Dispute.Basis.CONSENT and not values.get("consent_given"):
        errors["consent_given"] = [
            _("Record that the party consented, or choose the lawful basis that applies.")
        ]
    if (
        basis in (Dispute.Basis.EMERGENCY, Dispute.Basis.STATUTORY)
        and not (values.get("basis_note") or "").strip()
    ):
        errors["basis_note"] = [_("Say why consent could not be asked.")]


def dispute_create(
    *,
    by,
    source: str,
    kind: str,
    area: Area | None,
    compound: Compound | None,
    narrative: str,
    lawful_basis: str,
    parties: list[PartyInput],
    consent_given: bool = False,
    basis_note: str = "",
    language: str = "zh",
    urgency: int = Dispute.Urgency.NORMAL,
    safety_risk: bool = False,
    gender_preference: str = "",
    level: int = Dispute.Level.INITIAL,
) -> Dispute:
    """Take in a dispute. Nothing is saved unless every field is right (400 naming them)."""
    allowed = intake_areas(user=by)
    if not allowed.exists():
        raise NotAllowed(
            _("Only coordinators and hotline operators take in disputes."), code="no_intake"
        )
    values = {
        "source": source,
        "kind": kind,
        "lawful_basis": lawful_basis,
        "gender_preference": gender_preference or "",
        "urgency": urgency,
        "level": level,
        "language": language,
        "narrative": narrative,
        "consent_given": consent_given,
        "basis_note": basis_note,
    }
    errors: dict[str, list[str]] = {}
    _validate(values, errors)
    if area is None:
        errors["area"] = [_("Choose the area.")]
    elif not allowed.filter(pk=area.pk).exists():
        errors["area"] = [_("You take in disputes only for your own areas.")]
    if compound is None:
        errors["compound"] = [_("Choose the residential compound.")]
    elif area is not None and not _within(area, compound):
        errors["compound"] = [_("This compound is not in the chosen area.")]
    kept = _clean_parties(list(parties), errors)
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    with transaction.atomic():
        dispute = Dispute.objects.create(
            source=source,
            kind=kind,
            area=area,
            compound=compound,
            language=language,
            urgency=urgency,
            safety_risk=bool(safety_risk),
            gender_preference=gender_preference or "",
            narrative=narrative.strip(),
            lawful_basis=lawful_basis,
            basis_note=(basis_note or "").strip() or None,
            consent_recorded_at=now if lawful_basis == Dispute.Basis.CONSENT else None,
            level=level,
            created_by=by,
            party_count=len(kept),
        )
        for position, party in enumerate(kept, start=1):
            Party.objects.create(
                dispute=dispute,
                position=position,
                name=party.name,
                phone=party.phone or None,
                relation=party.relation,
                compound=party.compound,
                unsafe_sms=party.unsafe_sms,
            )
    return dispute


def dispute_update(
    *,
    by,
    dispute_id: int,
    urgency: int | None = None,
    safety_risk: bool | None = None,
    gender_preference: str | None = None,
    narrative: str | None = None,
    level: int | None = None,
) -> Dispute:
    """A coordinator corrects what was taken in (urgency, safety, narrative, level)."""
    errors: dict[str, list[str]] = {}
    if urgency is not None and urgency not in Dispute.Urgency.values:
        errors["urgency"] = [_("Choose one of the options.")]
    if level is not None and level not in Dispute.Level.values:
        errors["level"] = [_("Choose one of the options.")]
    if gender_preference is not None and gender_preference not in Dispute.GenderPreference.values:
        errors["gender_preference"] = [_("Choose one of the options.")]
    if narrative is not None and not narrative.strip():
        errors["narrative"] = [_("Say briefly what happened.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="edit", lock=True)
        require_open(dispute)
        fields = []
        for name, value in (
            ("urgency", urgency),
            ("safety_risk", safety_risk),
            ("gender_preference", gender_preference),
            ("narrative", narrative.strip() if narrative is not None else None),
            ("level", level),
        ):
            if value is not None and getattr(dispute, name) != value:
                setattr(dispute, name, value)
                fields.append(name)
        if fields:
            dispute.save(update_fields=[*fields, "updated_at"])
    return dispute


def dispute_assess(*, by, dispute_id: int) -> Dispute:
    """A coordinator has assessed the risks of a new dispute."""
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="assess", lock=True)
        if dispute.status != Dispute.Status.NEW:
            raise Conflict(_("Only a new case is assessed."), code="not_new")
        dispute.status = Dispute.Status.ASSESSED
        dispute.assessed_at = timezone.now()
        dispute.save(update_fields=["status", "assessed_at", "updated_at"])
    return dispute
