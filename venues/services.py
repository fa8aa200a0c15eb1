"""Writes of areas and venues. Coordinators create within their area; hosts edit their own."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import NotAllowed, ValidationFailed

from .models import Area, Room, Venue
from .selectors import areas_in_scope, is_coordinator, venue_can_edit

_UNSET: Any = object()
CHILD_LEVEL = {Area.Level.DISTRICT: Area.Level.STREET, Area.Level.STREET: Area.Level.COMMUNITY}
# Fields only a coordinator changes: where the venue belongs and who runs it.
COORDINATOR_FIELDS = {"area", "hosts"}


def _in_scope(area: Area, by) -> bool:
    return areas_in_scope(user=by).filter(pk=area.pk).exists()


@transaction.atomic
def area_create(
    *, by, name: str, name_en: str = "", level: str, parent: Area | None = None
) -> Area:
    """A street under a district or a community under a street, inside the coordinator's area."""
    if not is_coordinator(by):
        raise NotAllowed(_("Only coordinators manage areas."), code="not_coordinator")
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the area a name.")]
    if level not in Area.Level.values:
        errors["level"] = [_("Choose district, street or community.")]
    if parent is None:
        if not by.is_superuser:
            errors["parent"] = [_("Say which area the new one belongs to.")]
        elif level != Area.Level.DISTRICT:
            errors["parent"] = [_("Only a district stands on its own.")]
    elif CHILD_LEVEL.get(parent.level) != level:
        errors["level"] = [_("A district holds streets, and a street holds communities.")]
    if errors:
        raise ValidationFailed(errors)
    if parent is not None and not _in_scope(parent, by):
        raise NotAllowed(_("You can add areas only within your own area."), code="not_your_area")
    return Area.objects.create(
        name=name.strip(), name_en=(name_en or "").strip(), level=level, parent=parent
    )


def _validate(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "name" in values and not (values["name"] or "").strip():
        errors["name"] = [_("Give the venue a name.")]
    if "kind" in values and values["kind"] not in Venue.Kind.values:
        errors["kind"] = [_("Choose what kind of venue this is.")]
    if "address" in values and not (values["address"] or "").strip():
        errors["address"] = [_("Give the address, so that people can find it.")]
    for field, bound in (("latitude", 90), ("longitude", 180)):
        value = values.get(field)
        if value is not None and not -bound <= Decimal(str(value)) <= bound:
            errors[field] = [_("Must lie between -%(bound)d and %(bound)d.") % {"bound": bound}]
    if ("latitude" in values) and (values.get("latitude") is None) != (
        values.get("longitude") is None
    ):
        errors.setdefault("longitude", []).append(
            _("Give both latitude and longitude, or neither.")
        )
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"] or "")
        except (ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = [
                _("“%(name)s” is not a known time zone.") % {"name": values["timezone"]}
            ]
    for i, room in enumerate(values.get("rooms") or []):
        if not (room.get("name") or "").strip():
            errors.setdefault("rooms", []).append(_("Room %(n)d needs a name.") % {"n": i + 1})
        if int(room.get("capacity") or 0) < 1:
            errors.setdefault("rooms", []).append(
                _("Room %(n)d needs room for at least one person.") % {"n": i + 1}
            )
    names = [(r.get("name") or "").strip() for r in values.get("rooms") or []]
    if len(set(names)) != len(names):
        errors.setdefault("rooms", []).append(_("Two rooms have the same name."))
    return errors


def _rooms_replace(venue: Venue, rooms: Iterable[dict]) -> None:
    wanted = {r["name"].strip(): int(r["capacity"]) for r in rooms}
    for room in venue.rooms.all():
        if room.name not in wanted:
            room.delete()
        elif room.capacity != wanted[room.name]:
            room.capacity = wanted.pop(room.name)
            room.save(update_fields=["capacity"])
        else:
            wanted.pop(room.name)
    Room.objects.bulk_create(Room(venue=venue, name=n, capacity=c) for n, c in wanted.items())


def _hosts(values: Iterable) -> list:
    User = get_user_model()
    ids = [getattr(h, "pk", h) for h in values]
    found = list(User.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed({"hosts": [_("One of the hosts is not a known person.")]})
    return found


@transaction.atomic
def venue_create(
    *,
    by,
    name: str,
    kind: str,
    area: Area,
    address: str,
    name_en: str = "",
    address_en: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    timezone: str = "",
    capacity: int | None = None,
    opening_hours: str = "",
    facilities: str = "",
    description: str = "",
    description_en: str = "",
    phone: str = "",
    hosts: Iterable = (),
    rooms: Iterable[dict] = (),
) -> Venue:
    """A coordinator opens a venue in her area (hosts and rooms included)."""
    from django.conf import settings

    if not is_coordinator(by):
        raise NotAllowed(_("Only coordinators open new venues."), code="not_coordinator")
    rooms = list(rooms or ())
    values = {
        "name": name,
        "name_en": name_en or "",
        "kind": kind,
        "address": address,
        "address_en": address_en or "",
        "latitude": latitude,
        "longitude": longitude,
        "timezone": timezone or settings.TIME_ZONE,
        "capacity": capacity,
        "opening_hours": opening_hours or "",
        "facilities": facilities or "",
        "description": description or "",
        "description_en": description_en or "",
        "phone": phone or "",
    }
    errors = _validate({**values, "rooms": rooms})
    if errors:
        raise ValidationFailed(errors)
    if not _in_scope(area, by):
        raise NotAllowed(_("You can open venues only within your own area."), code="not_your_area")
    venue = Venue.objects.create(area=area, **values)
    venue.hosts.set(_hosts(hosts))
    _rooms_replace(venue, rooms)
    return venue


@transaction.atomic
def venue_update(*, venue: Venue, by, **changes: Any) -> Venue:
    """Change a venue. Hosts edit their own venues; where it belongs and who runs it is the
    coordinators' to change. Fields left out stay as they are; ``rooms`` replaces the list."""
    if not venue_can_edit(user=by, venue=venue):
        raise NotAllowed(
            _("You can change only the venues you host or coordinate."), code="not_your_venue"
        )
    if COORDINATOR_FIELDS & changes.keys() and not (
        is_coordinator(by) and _in_scope(venue.area, by)
    ):
        raise NotAllowed(
            _("Only a coordinator of the area changes a venue's area or hosts."),
            code="not_coordinator",
        )
    errors = _validate(changes)
    if (
        "timezone" in changes
        and changes["timezone"] != venue.timezone
        and "timezone" not in errors
        # Occurrences are computed on the venue's clock: moving the clock under a running series
        # would put its coming slots at other hours.
        and venue.activities.filter(status="active").exists()
    ):
        errors["timezone"] = [
            _("The time zone can change only while no activity is running at the venue.")
        ]
    if errors:
        raise ValidationFailed(errors)
    if "area" in changes and not _in_scope(changes["area"], by):
        raise NotAllowed(_("You can move venues only within your own area."), code="not_your_area")
    hosts = changes.pop("hosts", _UNSET)
    rooms = changes.pop("rooms", _UNSET)
    for field, value in changes.items():
        setattr(venue, field, value if value is not None or field in _NULLABLE else "")
    venue.full_clean(exclude=["hosts"])
    venue.save()
    if hosts is not _UNSET:
        venue.hosts.set(_hosts(hosts))
    if rooms is not _UNSET:
        _rooms_replace(venue, rooms)
    return venue


_NULLABLE = {"latitude", "longitude", "capacity", "area"}
