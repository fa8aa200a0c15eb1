"""Disputes, the people in them, and the residential compounds they live in."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from venues.models import Area, BilingualNameMixin
from volunteers.models import LANGUAGE_CHOICES

# Letters and digits that cannot be mistaken for each other when read out on the phone.
REFERENCE_ALPHABET = "ACDEFHJKLMNPQRTUVWXY3479"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


class Compound(BilingualNameMixin):
    """A residential compound (小区): where parties and mediators live."""

    area = models.ForeignKey(
        Area, verbose_name=_("community"), on_delete=models.PROTECT, related_name="compounds"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("residential compound")
        verbose_name_plural = _("residential compounds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="compound_unique_per_area"),
        ]


class Dispute(models.Model):
    class Source(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        WALK_IN = "walk_in", _("Walk-in")
        LETTER = "letter", _("Letter")
        REFERRAL = "referral", _("Referral")
        HOME_VISIT = "home_visit", _("Home visit")

    class Kind(models.TextChoices):
        FAMILY = "family", _("Marital or family")
        NEIGHBOUR = "neighbour", _("Neighbours")
        PROPERTY = "property", _("Property or inheritance")
        DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
        OTHER = "other", _("Other")

    class Urgency(models.IntegerChoices):
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")
        CRITICAL = 3, _("Critical")

    class Level(models.IntegerChoices):
        # 三级干预
        PREVENTION = 1, _("Prevention and publicity")
        INITIAL = 2, _("Initial mediation")
        JOINT = 3, _("Joint intervention")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSESSED = "assessed", _("Assessed")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    class Basis(models.TextChoices):
        # PIPL Art. 28-29: sensitive personal information needs separate consent, unless
        # another lawful basis of Art. 13 applies.
        CONSENT = "consent", _("Separate consent of the party (PIPL Art. 29)")
        EMERGENCY = (
            "emergency",
            _(
                "Needed to protect a person's life, health or property in an emergency "
                "(PIPL Art. 13(4))"
            ),
        )
        STATUTORY = "statutory", _("Needed to perform a statutory duty (PIPL Art. 13(3))")

    class GenderPreference(models.TextChoices):
        ANY = "", _("No preference")
        FEMALE = "female", _("A woman")
        MALE = "male", _("A man")

    class ReferredTo(models.TextChoices):
        POLICE = "police", _("Police station")
        JUSTICE = "justice", _("Justice bureau (people's mediation)")
        COURT = "court", _("Court")
        OTHER = "other", _("Other agency")

    OPEN = (Status.NEW, Status.ASSESSED, Status.ASSIGNED, Status.IN_PROGRESS)
    ACTIVE_WORK = (Status.ASSIGNED, Status.IN_PROGRESS)
    UNASSIGNED = (Status.NEW, Status.ASSESSED)

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="disputes"
    )
    compound = models.ForeignKey(
        Compound,
        verbose_name=_("residential compound"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="zh")
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    safety_risk = models.BooleanField(_("safety risk"), default=False)
    gender_preference = models.CharField(
        _("mediator the party asked for"),
        max_length=8,
        choices=GenderPreference.choices,
        blank=True,
        default="",
    )
    narrative = EncryptedTextField(_("what happened"), null=True, blank=True)
    lawful_basis = models.CharField(_("lawful basis"), max_length=12, choices=Basis.choices)
    basis_note = EncryptedTextField(_("note on the lawful basis"), null=True, blank=True)
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    level = models.PositiveSmallIntegerField(
        _("intervention level"), choices=Level.choices, default=Level.INITIAL
    )
    referred_to = models.CharField(
        _("referred to"), max_length=10, choices=ReferredTo.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken in by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("taken in"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Kept when the personal data is erased, for the reports.
    party_count = models.PositiveSmallIntegerField(_("parties"), default=0)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency__gte=1, urgency__lte=3), name="dispute_urgency_range"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3), name="dispute_level_range"
            ),
            models.CheckConstraint(
                condition=~Q(lawful_basis="consent") | Q(consent_recorded_at__isnull=False),
                name="dispute_consent_recorded",
            ),
        ]
        indexes = [models.Index(fields=["area", "status"], name="dispute_area_status")]

    def __str__(self) -> str:
        # Never a name or a detail: this text reaches the audit log and the admin.
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def needs_pair(self) -> bool:
        return self.kind == self.Kind.DOMESTIC_VIOLENCE

    def get_additional_data(self) -> dict:
        return {"reference": self.reference}


class Party(models.Model):
    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse or partner")
        FORMER_SPOUSE = "former_spouse", _("Former spouse")
        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        IN_LAW = "in_law", _("In-law")
        SIBLING = "sibling", _("Sibling")
        NEIGHBOUR = "neighbour", _("Neighbour")
        LANDLORD = "landlord", _("Landlord or tenant")
        OTHER = "other", _("Other")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField(default=1)
    name = EncryptedCharField(_("name"), max_length=100, null=True, blank=True)
    phone = EncryptedCharField(_("mobile number"), max_length=20, null=True, blank=True)
    relation = models.CharField(
        _("relation"), max_length=16, choices=Relation.choices, default=Relation.OTHER
    )
    compound = models.ForeignKey(
        Compound,
        verbose_name=_("lives in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only when it is not the dispute's compound."),
    )
    unsafe_sms = models.BooleanField(_("unsafe to contact by SMS"), default=False)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["dispute", "position", "id"]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.position}"
