"""Importing volunteers from the spreadsheets coordinators keep, saved as CSV.

Every row is checked first; errors are reported by row and column; nothing is imported unless
every row is good. An import only makes new accounts: a row whose email already has an account
is refused, and the numbers it brings are not trusted for sign-in until their owners confirm
them with a code. Columns (header names, in any order; only ``email`` and ``name`` required):
``email, name, phone, languages, skills, max_hours_per_week, sms_enabled, preferred_language,
team``. Lists (languages, skills: a code or the name in either language) are separated by
``;``, ``,`` (half or full width), ``、`` or spaces; ``team`` is the
Chinese or English name of a team the coordinator looks after.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import NotAllowed, ValidationFailed
from venues.selectors import areas_in_scope, is_coordinator

from .models import (
    LANGUAGE_CHOICES,
    Skill,
    Team,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)
from .services import PROFILE_LANGUAGES, phone_normalise

COLUMNS = [
    "email",
    "name",
    "phone",
    "languages",
    "skills",
    "max_hours_per_week",
    "sms_enabled",
    "preferred_language",
    "team",
]
REQUIRED = ["email", "name"]
MAX_ROWS = 5000
_YES = {"1", "yes", "y", "true", "是", "on"}
_NO = {"0", "no", "n", "false", "否", "off", ""}


@dataclass
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


# Other ways spreadsheets name the languages, besides the code and the names in both languages.
_LANGUAGE_ALIASES = {"汉语": "zh", "普通话": "zh", "英文": "en", "日文": "ja", "韩文": "ko"}
_PREFERRED = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-hans": "zh-hans", "en": "en"}


def _names_in_both_languages(label) -> list[str]:
    names = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.append(str(label))
    return names


def language_lookup() -> dict[str, str]:
    """Every accepted spelling of a spoken language (lower case) → its code."""
    lookup = dict(_LANGUAGE_ALIASES)
    for code, label in LANGUAGE_CHOICES:
        lookup[code] = code
        for name in _names_in_both_languages(label):
            lookup[name.lower()] = code
    return lookup


def preferred_language_lookup() -> dict[str, str]:
    """Every accepted spelling of the site language (lower case) → its setting value."""
    lookup = dict(_PREFERRED)
    for spelling, code in language_lookup().items():
        if code in ("zh", "en"):
            lookup[spelling] = _PREFERRED[code]
    return lookup


def skill_lookup() -> dict[str, Skill]:
    """Every skill by its code and by its Chinese and English names (lower case)."""
    lookup: dict[str, Skill] = {}
    for skill in Skill.objects.all():
        for spelling in (skill.name, skill.name_en, skill.code):
            if spelling:
                lookup[spelling.lower()] = skill
    return lookup


def accepted_values() -> dict[str, list[tuple[str, str, str]]]:
    """What each list column accepts, as (code, Chinese name, English name), for the page."""
    languages = [(code, *_names_in_both_languages(label)) for code, label in LANGUAGE_CHOICES]
    return {
        "skills": [(s.code, s.name, s.name_en) for s in Skill.objects.order_by("code")],
        "languages": languages,
        "preferred_languages": [
            (code, name_zh, name_en) for code, name_zh, name_en in languages if code in ("zh", "en")
        ],
    }


def _split(value: str) -> list[str]:
    for separator in ";,，；、":
        value = value.replace(separator, " ")
    return value.split()


def _read(content: bytes | str) -> tuple[list[str], list[dict[str, str]]]:
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Spreadsheets saved on Chinese Windows are often GB18030.
            text = content.decode("gb18030", errors="replace")
    else:
        text = content
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    return header, rows


def volunteers_import_csv(*, content: bytes | str, by) -> ImportResult:
    """Check every row; create the volunteers only if all rows are good (one transaction)."""
    if not is_coordinator(by):
        raise NotAllowed(_("Only coordinators import volunteers."), code="not_coordinator")
    header, rows = _read(content)
    result = ImportResult()
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        for column in missing:
            result.errors.append(RowError(1, column, _("This column is missing.")))
        return result
    if not rows:
        result.errors.append(RowError(1, "", _("The file has no rows to import.")))
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(
            RowError(1, "", _("Import at most %(n)d rows at a time.") % {"n": MAX_ROWS})
        )
        return result

    User = get_user_model()
    emails = [r.get("email", "").lower() for r in rows]
    # An import makes new accounts only: it never changes an existing one (a row could
    # otherwise give someone's account a number of the importer's choosing).
    existing_emails = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    skills = skill_lookup()
    spoken = language_lookup()
    preferred = preferred_language_lookup()
    teams = {}
    for team in Team.objects.filter(area__in=areas_in_scope(user=by)):
        teams[team.name.lower()] = team
        if team.name_en:
            teams[team.name_en.lower()] = team
    seen_emails: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    cleaned: list[dict] = []

    for index, row in enumerate(rows, start=2):

        def error(column: str, message: str, index=index) -> None:
            result.errors.append(RowError(index, column, message))

        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            error("email", _("Enter a valid email address."))
        else:
            if email in seen_emails:
                error(
                    "email",
                    _("The same email is on row %(row)d.") % {"row": seen_emails[email]},
                )
            elif email in existing_emails:
                error(
                    "email",
                    _(
                        "This address already has an account: she joins as a volunteer "
                        "herself, from her profile."
                    ),
                )
            seen_emails.setdefault(email, index)
        if not row.get("name"):
            error("name", _("Give the volunteer's name."))
        phone = None
        if row.get("phone"):
            try:
                phone = phone_normalise(row["phone"])
            except ValidationFailed as exc:
                error("phone", exc.errors["phone"][0])
            else:
                if phone in seen_phones:
                    error(
                        "phone",
                        _("The same mobile number is on row %(row)d.")
                        % {"row": seen_phones[phone]},
                    )
                seen_phones.setdefault(phone, index)
        written = _split(row.get("languages", "")) or ["zh"]
        unknown = [c for c in written if c.lower() not in spoken]
        if unknown:
            error("languages", _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)})
        languages = [spoken[c.lower()] for c in written if c.lower() in spoken]
        codes = _split(row.get("skills", ""))
        unknown = [c for c in codes if c.lower() not in skills]
        if unknown:
            error("skills", _("Unknown skill: %(codes)s.") % {"codes": ", ".join(unknown)})
        hours = 6
        if row.get("max_hours_per_week"):
            try:
                hours = int(row["max_hours_per_week"])
            except ValueError:
                hours = 0
            if not 1 <= hours <= 60:
                error("max_hours_per_week", _("Give between 1 and 60 hours a week."))
        sms = row.get("sms_enabled", "").lower()
        if sms not in _YES | _NO:
            error("sms_enabled", _("Write yes or no."))
        elif sms in _YES and not row.get("phone"):
            error("sms_enabled", _("Texts need a mobile number: give one or write no."))
        language = preferred.get(row.get("preferred_language", "").lower() or "zh-hans", "")
        if language not in PROFILE_LANGUAGES:
            error("preferred_language", _("Choose zh-hans or en."))
        team = None
        if row.get("team"):
            team = teams.get(row["team"].lower())
            if team is None:
                error("team", _("No team of that name in your area."))
        cleaned.append(
            {
                "email": email,
                "name": row.get("name", ""),
                "phone": phone,
                "languages": list(dict.fromkeys(languages)),
                "skills": list(
                    dict.fromkeys(skills[c.lower()] for c in codes if c.lower() in skills)
                ),
                "hours": hours,
                "sms": phone is not None and (sms in _YES or sms == ""),
                "language": language,
                "team": team,
            }
        )

    if phone_clash := set(seen_phones) & set(
        VolunteerProfile.objects.filter(phone__in=list(seen_phones)).values_list("phone", flat=True)
    ):
        for phone in sorted(phone_clash):
            result.errors.append(
                RowError(
                    seen_phones[phone], "phone", _("Another volunteer already uses this number.")
                )
            )
    if result.errors:
        result.errors.sort(
            key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99)
        )
        return result

    with transaction.atomic():
        for data in cleaned:
            user = User.objects.create_user(
                email=data["email"],
                password=None,
                name=data["name"],
                preferred_language=data["language"],
            )
            # The number is for texts about shifts; it signs her in only once she typed back a
            # code sent to it (phone_verified_at stays empty until then).
            volunteer = VolunteerProfile.objects.create(
                user=user,
                phone=data["phone"],
                languages=data["languages"],
                max_hours_per_week=data["hours"],
                sms_enabled=data["sms"],
            )
            VolunteerSkill.objects.bulk_create(
                [VolunteerSkill(volunteer=volunteer, skill=s) for s in data["skills"]]
            )
            if data["team"] is not None:
                TeamMembership.objects.create(team=data["team"], volunteer=volunteer)
            result.created += 1
    return result


def template_csv() -> str:
    """A header line and one example row, for coordinators to fill in.

    The example names skills that exist here (two at most), so that the template uploaded
    unchanged is accepted."""
    skills = ";".join(Skill.objects.order_by("code").values_list("code", flat=True)[:2])
    return (
        ",".join(COLUMNS)
        + f"\r\nwang.fang@example.org,王芳,13812345678,zh;en,{skills},6,yes,zh-hans,\r\n"
    )
