"""Writes to volunteers' profiles, availability, time away, skills and teams.

Pages, the API and the CSV import call these; each validates everything first and raises
``ValidationFailed`` with ``{field: [messages]}`` before changing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import user_update
from core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from venues.models import Area
from venues.selectors import areas_in_scope

from .models import (
    LANGUAGE_CODES,
    Absence,
    Availability,
    Skill,
    Team,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)
from .phones import phone_normalise
from .selectors import volunteers_in_scope

PROFILE_LANGUAGES = {code for code, _name in settings.LANGUAGES}
SMS_NEEDS_PHONE = gettext_lazy(
    "Texts need a mobile number: add yours on the mobile number page first, or leave texts off."
)
PHONE_CHANGE_BY_CODE = gettext_lazy(
    "A new number is confirmed with a code sent to it: change it on the mobile number page "
    "(or with POST /api/v1/me/phone/)."
)


def _validate_profile(
    data: dict, *, volunteer: VolunteerProfile | None
) -> tuple[dict, list[Skill] | None, dict[str, list[str]]]:
    """Clean the fields present in ``data``; returns (values, skills or None, errors)."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    skills: list[Skill] | None = None
    if "phone" in data:
        # A number counts only once she typed back a code sent to it, so it is changed only
        # through that journey (volunteer_phone_verified_set); here it may only be removed.
        # Nothing here tells whether a number belongs to someone else.
        raw = data["phone"] or ""
        current = volunteer.phone if volunteer is not None else None
        if raw.strip():
            try:
                phone = phone_normalise(raw)
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                if phone != current:
                    errors["phone"] = [PHONE_CHANGE_BY_CODE]
        else:
            values["phone"] = None
            values["phone_verified_at"] = None
            values["phone_awaiting_code"] = False
    if "languages" in data:
        languages = [str(code).strip().lower() for code in data["languages"] or [] if code]
        unknown = [code for code in languages if code not in LANGUAGE_CODES]
        if unknown:
            errors["languages"] = [
                _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
        values["languages"] = list(dict.fromkeys(languages))
    if "skills" in data:
        codes = [str(c).strip() for c in data["skills"] or [] if str(c).strip()]
        found = {s.code: s for s in Skill.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors["skills"] = [_("Unknown skill: %(codes)s.") % {"codes": ", ".join(unknown)}]
        skills = [found[c] for c in dict.fromkeys(codes) if c in found]
    if "max_hours_per_week" in data:
        try:
            hours = int(data["max_hours_per_week"])
        except (TypeError, ValueError):
            hours = 0
        if not 1 <= hours <= 60:
            errors["max_hours_per_week"] = [_("Give between 1 and 60 hours a week.")]
        values["max_hours_per_week"] = hours
    # Texts need a number: SMS cannot be on without one (and goes off with the number).
    phone_after = values["phone"] if "phone" in values else getattr(volunteer, "phone", None)
    if "sms_enabled" in data:
        values["sms_enabled"] = bool(data["sms_enabled"])
        if values["sms_enabled"] and not phone_after and "phone" not in errors:
            errors["sms_enabled"] = [SMS_NEEDS_PHONE]
    elif not phone_after:
        values["sms_enabled"] = False
    if "preferred_language" in data:
        if data["preferred_language"] not in PROFILE_LANGUAGES:
            errors["preferred_language"] = [_("Choose zh-hans or en.")]
        values["preferred_language"] = data["preferred_language"]
    if "name" in data:
        values["name"] = data["name"] or ""
    if "home_area" in data:
        values["home_area"] = data["home_area"]
    for coordinate, limit in (("latitude", 90), ("longitude", 180)):
        if coordinate in data:
            value = data[coordinate]
            if value is not None and not -limit <= float(value) <= limit:
                errors[coordinate] = [_("This coordinate is out of range.")]
            values[coordinate] = value
    return values, skills, errors


def _skills_set(volunteer: VolunteerProfile, skills: list[Skill]) -> None:
    """Keep the verification of skills she keeps; new ones start unverified."""
    wanted = {s.pk for s in skills}
    volunteer.skill_links.exclude(skill_id__in=wanted).delete()
    have = set(volunteer.skill_links.values_list("skill_id", flat=True))
    VolunteerSkill.objects.bulk_create(
        [VolunteerSkill(volunteer=volunteer, skill=s) for s in skills if s.pk not in have]
    )


def _apply(volunteer: VolunteerProfile, values: dict) -> None:
    # Her name and language are her account's: accounts.services changes them.
    account = {key: values.pop(key) for key in ("name", "preferred_language") if key in values}
    for name, value in values.items():
        setattr(volunteer, name, value)
    volunteer.save()
    if account:
        user_update(user=volunteer.user, **account)


def volunteer_create(*, user, **data) -> VolunteerProfile:
    """Make ``user`` a volunteer with the given profile fields."""
    if VolunteerProfile.objects.filter(user=user).exists():
        raise Conflict(_("You are already a volunteer."), code="already_volunteer")
    values, skills, errors = _validate_profile(data, volunteer=None)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        volunteer = VolunteerProfile(user=user)
        _apply(volunteer, values)
        if skills is not None:
            _skills_set(volunteer, skills)
    user._roles = None
    return volunteer


def volunteer_update(*, volunteer: VolunteerProfile, **data) -> VolunteerProfile:
    """Change the fields given in ``data`` (the others stay as they are)."""
    values, skills, errors = _validate_profile(data, volunteer=volunteer)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        _apply(volunteer, values)
        if skills is not None:
            _skills_set(volunteer, skills)
    return volunteer


@transaction.atomic
def volunteer_phone_set(*, user, phone: str, verified: bool) -> VolunteerProfile:
    """Give her this number (E.164); it counts for sign-in only once ``verified``: she typed
    back a code sent to it. Makes her a volunteer if she was not one."""
    profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(user=user)
    if profile.phone == phone and profile.phone_verified_at and not verified:
        return profile
    profile.phone = phone
    profile.phone_verified_at = timezone.now() if verified else None
    profile.phone_awaiting_code = not verified
    profile.save(update_fields=["phone", "phone_verified_at", "phone_awaiting_code", "updated_at"])
    user._roles = None
    return profile


@transaction.atomic
def volunteer_phone_verified_set(*, user, phone: str) -> VolunteerProfile:
    """She typed back the code sent to ``phone``: it is hers from now on. Someone else who had
    it without ever proving it (a typing mistake, an import) loses it; a number another person
    proved hers stays hers (allauth refuses that change before the code is checked)."""
    others = VolunteerProfile.objects.select_for_update().filter(phone=phone).exclude(user=user)
    if others.filter(phone_verified_at__isnull=False).exists():
        raise Conflict(_("This mobile number cannot be used."), code="phone_taken")
    others.update(phone=None, phone_awaiting_code=False)
    return volunteer_phone_set(user=user, phone=phone, verified=True)


def availability_add(
    *, volunteer: VolunteerProfile, weekday: int, start: time, end: time
) -> Availability:
    errors: dict[str, list[str]] = {}
    if weekday is None or not 0 <= int(weekday) <= 6:
        errors["weekday"] = [_("Choose a day of the week.")]
    if start is None or end is None or end <= start:
        errors["end"] = [_("The end must be after the start.")]
    if errors:
        raise ValidationFailed(errors)
    return Availability.objects.create(
        volunteer=volunteer, weekday=int(weekday), start=start, end=end
    )


def availability_delete(*, volunteer: VolunteerProfile, availability_id: int) -> None:
    deleted, _rows = Availability.objects.filter(pk=availability_id, volunteer=volunteer).delete()
    if not deleted:
        raise NotFound(_("No such availability window."))


def absence_add(
    *, volunteer: VolunteerProfile, start_date: date, end_date: date, note: str = ""
) -> Absence:
    if start_date is None or end_date is None or end_date < start_date:
        raise ValidationFailed({"end_date": [_("The last day cannot be before the first.")]})
    return Absence.objects.create(
        volunteer=volunteer, start_date=start_date, end_date=end_date, note=note or ""
    )


def absence_delete(*, volunteer: VolunteerProfile, absence_id: int) -> None:
    deleted, _rows = Absence.objects.filter(pk=absence_id, volunteer=volunteer).delete()
    if not deleted:
        raise NotFound(_("No such time away."))


# --- Coordinators: verifying skills, teams ----------------------------------------------------


def may_coordinate_volunteer(*, user, volunteer: VolunteerProfile) -> bool:
    """Coordinators look after volunteers of their areas; those not yet placed in an area are
    looked after by coordinators of the whole district (volunteers.selectors)."""
    return volunteers_in_scope(user=user).filter(pk=volunteer.pk).exists()


def skill_verify(*, link: VolunteerSkill, by, accept: bool = True) -> VolunteerSkill | None:
    """A coordinator confirms (or, with ``accept=False``, removes) a skill that needs trust."""
    if not may_coordinate_volunteer(user=by, volunteer=link.volunteer):
        raise NotFound(_("No such skill to verify."))
    if not accept:
        link.delete()
        return None
    link.verified_at = timezone.now()
    link.verified_by = by
    link.save(update_fields=["verified_at", "verified_by"])
    return link


def _check_team_area(*, by, area: Area) -> None:
    if not (by.is_superuser or areas_in_scope(user=by).filter(pk=area.pk).exists()):
        raise NotAllowed(
            _("Only coordinators of the team's area manage its members."), code="not_your_area"
        )


def team_create(
    *, by, area: Area, name: str, name_en: str = "", kind: str = "", description: str = ""
) -> Team:
    _check_team_area(by=by, area=area)
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the team a name.")]
    if kind and kind not in Team.Kind.values:
        errors["kind"] = [_("Choose a kind of team.")]
    if errors:
        raise ValidationFailed(errors)
    return Team.objects.create(
        area=area,
        name=name.strip(),
        name_en=(name_en or "").strip(),
        kind=kind or Team.Kind.OTHER,
        description=description or "",
    )


def team_member_add(
    *, team: Team, volunteer: VolunteerProfile, by, role: str = TeamMembership.Role.MEMBER
) -> TeamMembership:
    _check_team_area(by=by, area=team.area)
    if not may_coordinate_volunteer(user=by, volunteer=volunteer):
        raise NotFound(_("No volunteer with this email or mobile number."))
    if role not in TeamMembership.Role.values:
        raise ValidationFailed({"role": [_("Choose leader or member.")]})
    membership, created = TeamMembership.objects.get_or_create(
        team=team, volunteer=volunteer, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def team_member_remove(*, team: Team, volunteer: VolunteerProfile, by) -> None:
    _check_team_area(by=by, area=team.area)
    deleted, _rows = TeamMembership.objects.filter(team=team, volunteer=volunteer).delete()
    if not deleted:
        raise NotFound(_("She is not a member of this team."))


def skills_for_codes(codes: Iterable[str]) -> dict[str, Skill]:
    return {s.code: s for s in Skill.objects.filter(code__in=list(codes))}
