"""Volunteers: their profiles, skills, languages, weekly availability and teams."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from venues.models import Area, BilingualNameMixin

# Languages volunteers speak and slots may ask for (ISO 639-1 codes).
LANGUAGE_CHOICES = [
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
LANGUAGE_CODES = {code for code, _label in LANGUAGE_CHOICES}


class Skill(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    needs_verification = models.BooleanField(
        _("needs verification"),
        default=False,
        help_text=_(
            "Counts only once a coordinator has verified it (counselling, mediation, law)."
        ),
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class VolunteerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer"
    )
    # E.164 (+8613812345678), normalised by volunteers.services; unique so that an SMS reply
    # finds exactly one person.
    phone = models.CharField(_("mobile number"), max_length=20, unique=True, null=True, blank=True)
    # Set when she proved the number is hers by typing back a code texted to it. Until then the
    # number gets texts about shifts but never signs anyone in (signin.adapter).
    phone_verified_at = models.DateTimeField(_("mobile number verified"), null=True, blank=True)
    # She entered the number herself (sign-up, or changing it) and a code is on its way to it.
    phone_awaiting_code = models.BooleanField(default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.ManyToManyField(
        Skill, through="VolunteerSkill", related_name="volunteers", verbose_name=_("skills")
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("most hours a week"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    sms_enabled = models.BooleanField(_("SMS notifications"), default=True)
    home_area = models.ForeignKey(
        Area,
        verbose_name=_("home area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    max_travel_km = models.DecimalField(
        _("farthest travel (km)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_hours_per_week__gte=1, max_hours_per_week__lte=60),
                name="volunteer_max_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class VolunteerSkill(models.Model):
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="skill_links"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="volunteer_links")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("volunteer skill")
        verbose_name_plural = _("volunteer skills")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "skill"], name="volunteer_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.skill}"

    @property
    def counts(self) -> bool:
        """A skill that needs trust counts only once verified."""
        return not self.skill.needs_verification or self.verified_at is not None


class Availability(models.Model):
    """A weekly window in which the volunteer can usually help (local time of the district)."""

    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(i, label) for i, label in enumerate(settings.WEEKDAYS)]
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="availability_end_after_start"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Absence(models.Model):
    """Dates away: no shifts are offered or matched on these days."""

    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="absences"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time away")
        verbose_name_plural = _("times away")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="absence_end_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.start_date}–{self.end_date}"


class Team(BilingualNameMixin):
    class Kind(models.TextChoices):
        FOREIGN_MOTHERS = "foreign_mothers", _("Foreign mothers' team")
        MEDIATORS = "mediators", _("Entrepreneur mediators")
        LECTURERS = "lecturers", _("Lecture group")
        COUNSELLORS = "counsellors", _("Counsellors")
        FOLK_CULTURE = "folk_culture", _("Folk culture")
        SOCIAL_WORKERS = "social_workers", _("Social workers")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="teams"
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        VolunteerProfile, through="TeamMembership", related_name="teams", verbose_name=_("members")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="team_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.team} ({self.get_role_display()})"
