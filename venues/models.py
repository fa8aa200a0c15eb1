"""The district's areas (district → street → community), its venues and who runs them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.bilingual import Bilingual, bilingual


class BilingualNameMixin(models.Model):
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the language of the current request, falling back to Chinese."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Area(BilingualNameMixin):
    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")
        COMMUNITY = "community", _("Community")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # A town (镇) sits at the street level (街道) and is run the same way, but is named for what
    # it is.
    is_town = models.BooleanField(
        _("town"), default=False, help_text=_("A town (镇) rather than a street (街道).")
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="district", parent__isnull=True)
                | Q(~Q(level="district"), parent__isnull=False),
                name="area_only_district_is_root",
            ),
        ]

    @property
    def level_label(self) -> str:
        """District, street or community; "town" for a town at the street level."""
        if self.is_town and self.level == self.Level.STREET:
            return str(_("Town"))
        return self.get_level_display()

    @property
    def label(self) -> str:
        """The name and then its level ("Changning District · District"), the same everywhere."""
        return f"{self.display_name} · {self.level_label}"


class Venue(BilingualNameMixin):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community women's home")
        OFFICE = "office", _("Office building")
        RESIDENTIAL = "residential", _("Commercial-residential compound")
        INTERNATIONAL = "international", _("International community")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="venues"
    )
    address = models.CharField(_("address"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=300, blank=True)
    facilities = models.CharField(_("facilities"), max_length=500, blank=True)
    facilities_en = models.CharField(_("facilities (English)"), max_length=500, blank=True)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hosts"),
        related_name="hosted_venues",
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
            ),
        ]

    @property
    def display_opening_hours(self) -> Bilingual:
        return bilingual(self.opening_hours, self.opening_hours_en)

    @property
    def display_facilities(self) -> Bilingual:
        return bilingual(self.facilities, self.facilities_en)

    @property
    def display_address(self) -> str:
        if (get_language() or "").startswith("en") and self.address_en:
            return self.address_en
        return self.address


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name_per_venue"),
        ]

    def __str__(self) -> str:
        return f"{self.venue} · {self.display_name}"

    @property
    def display_name(self) -> Bilingual:
        return bilingual(self.name, self.name_en)


class Coordinator(models.Model):
    """A federation cadre responsible for an area and everything under it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinatorships"
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("area")
    )
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="coordinator_unique_area"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.area}"
