"""Activities, the slots (shifts) they are made of, the roles a slot needs, and assignments."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.bilingual import bilingual
from venues.models import Room, Venue
from volunteers.models import Skill, Team, VolunteerProfile


def new_checkin_token() -> str:
    return secrets.token_urlsafe(16)


class ActivityQuerySet(models.QuerySet):
    def public(self) -> ActivityQuerySet:
        """Without the confidential kinds: what lists, feeds and pages for others may show."""
        return self.exclude(kind__in=CONFIDENTIAL_KINDS)


class Activity(models.Model):
    class Kind(models.TextChoices):
        CLASS = "class", _("Class")
        LECTURE = "lecture", _("Lecture")
        SALON = "salon", _("Salon")
        COUNSELLING = "counselling", _("One-to-one counselling")
        FLEA_MARKET = "flea_market", _("Flea market")
        CULTURE_EXCHANGE = "culture_exchange", _("Culture exchange")
        RIGHTS = "rights", _("Rights-protection event")
        HOME_VISITS = "home_visits", _("Home-visit campaign")
        MEDIATION = "mediation", _("Mediation session")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="activities"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("reserved for team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("Only members of this team may sign up."),
    )
    # The first occurrence, stored in UTC. Recurrence is expanded in the venue's time zone.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    rrule = models.CharField(_("repeats (RFC 5545 RRULE)"), max_length=500, blank=True)
    # Local dates (YYYY-MM-DD) of occurrences that do not take place, e.g. public holidays.
    exdates = models.JSONField(_("except on"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def display_description(self) -> str:
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description

    @property
    def is_confidential(self) -> bool:
        return self.kind in CONFIDENTIAL_KINDS


# Kinds whose slots are seen only by the people on them and those who manage them (the venue's
# hosts, the area's coordinators, admins): who comes to a mediation or to counselling, and
# what it is about, is nobody else's business. Texts about them give the time and place only.
CONFIDENTIAL_KINDS = frozenset({Activity.Kind.MEDIATION, Activity.Kind.COUNSELLING})
# The kinds a list or filter for anyone may offer.
PUBLIC_KIND_CHOICES = [
    (v, label) for v, label in Activity.Kind.choices if v not in CONFIDENTIAL_KINDS
]


# The one name of a role that asks for no skill.
ANY_VOLUNTEER = _("Any volunteer")


class RoleNeed(models.Model):
    """Who a role needs and how many: an activity's roles, copied to each of its slots."""

    skill = models.ForeignKey(
        Skill,
        verbose_name=_("skill"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    needed = models.PositiveSmallIntegerField(_("people needed"))
    label = models.CharField(_("role"), max_length=100, blank=True)
    label_en = models.CharField(_("role (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        """What the role is called on every page, text and email: its label (in English when
        it has one, else visibly the Chinese), else its skill, else "any volunteer"."""
        if self.label:
            return bilingual(self.label, self.label_en)
        if self.skill_id is not None:
            return self.skill.display_name
        return str(ANY_VOLUNTEER)


class ActivityRole(RoleNeed):
    """What every slot of the activity needs, e.g. one lecturer with the lecture skill."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="roles")

    class Meta:
        verbose_name = _("activity role")
        verbose_name_plural = _("activity roles")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(needed__gte=1), name="activity_role_needed_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} × {self.needed}"


class SlotQuerySet(models.QuerySet):
    def public(self) -> SlotQuerySet:
        """Without the slots of confidential kinds (``CONFIDENTIAL_KINDS``)."""
        return self.exclude(activity__kind__in=CONFIDENTIAL_KINDS)


class Slot(models.Model):
    """One occurrence of an activity: a shift volunteers sign up for."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    # The start the recurrence rule gave this occurrence (RFC 5545 RECURRENCE-ID): it identifies
    # the occurrence even after it has been moved.
    original_start = models.DateTimeField()
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    # Edited on its own ("this occurrence only"): regenerating the series leaves it alone.
    detached = models.BooleanField(
        _("changed on its own"),
        default=False,
        help_text=_("Moved or cancelled alone: changes to the series leave it as it is."),
    )
    sequence = models.PositiveIntegerField(default=0)
    checkin_token = models.CharField(max_length=32, unique=True, default=new_checkin_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["activity", "original_start"], name="slot_unique_occurrence"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="slot_status_start_idx")]

    def __str__(self) -> str:
        # In the district's time, as every page shows it (the database keeps UTC).
        return f"{self.activity} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def duration_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class SlotRole(RoleNeed):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="roles")
    activity_role = models.ForeignKey(
        ActivityRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="slot_roles"
    )

    class Meta:
        verbose_name = _("slot role")
        verbose_name_plural = _("slot roles")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(needed__gte=1), name="slot_role_needed_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.display_name} × {self.needed}"


class Assignment(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        MATCHER = "matcher", _("Matcher")
        COORDINATOR = "coordinator", _("Coordinator")
        BACKFILL = "backfill", _("SMS backfill")

    # Statuses that hold a seat.
    SEATED = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(SlotRole, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.SIGNUP
    )
    cancelled_late = models.BooleanField(_("cancelled late"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # The volunteer answered "yes, I am coming" (an SMS reply Y, or the button in the page).
    reconfirmed_at = models.DateTimeField(_("reconfirmed at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    # When a calendar invitation (iTIP REQUEST) for this seat was first emailed to her: only
    # then does her calendar hold an entry that a cancellation must take out.
    invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "volunteer"],
                condition=~Q(status="cancelled"),
                name="assignment_one_live_per_volunteer_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="assignment_volunteer_status"),
            models.Index(fields=["role", "status"], name="assignment_role_status"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.slot} ({self.get_status_display()})"

    @property
    def roster_phone(self) -> str:
        """Her number as a roster shows it to the slot's hosts: only while she holds a seat.
        Someone waiting or who cancelled has not agreed to be called about this shift."""
        return (self.volunteer.phone or "") if self.status in self.SEATED else ""


class Backfill(models.Model):
    """A seat that freed up shortly before the start, offered by SMS in rounds until taken."""

    role = models.ForeignKey(SlotRole, on_delete=models.CASCADE, related_name="backfills")
    round = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS backfill")
        verbose_name_plural = _("SMS backfills")
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=Q(closed_at__isnull=True), name="backfill_one_open"
            ),
        ]

    def __str__(self) -> str:
        return _("%(role)s · round %(n)d") % {"role": self.role, "n": self.round}


class BackfillOffer(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        TAKEN = "taken", _("Taken by someone else")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    backfill = models.ForeignKey(Backfill, on_delete=models.CASCADE, related_name="offers")
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="backfill_offers"
    )
    round = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backfill offer")
        verbose_name_plural = _("backfill offers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["backfill", "volunteer"], name="backfill_offer_once_per_volunteer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.backfill} ({self.get_status_display()})"
