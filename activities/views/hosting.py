"""Pages for hosts: the dashboard of coming weeks, posting and editing activities, one slot."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, ValidationFailed
from venues.models import Venue
from venues.selectors import venues_in_scope

from .. import recurrence
from ..forms.hosting import (
    ActivityForm,
    RoleFormSet,
    SlotCancelForm,
    SlotChangeForm,
    role_specs,
)
from ..models import Activity, Slot
from ..selectors.hosting import host_schedule, host_venues, people_told_on_cancel, slot_for_host
from ..selectors.shifts import slot_roster
from ..services.activities import activity_create
from ..services.series import slot_cancel, slot_update
from ..services.updates import activity_update

PREVIEW_COUNT = 8
WHEN_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "repeat",
    "interval",
    "weekdays",
    "until",
    "count",
    "skip_holidays",
    "exdates",
)


def _venue_for(request: HttpRequest, pk: int) -> Venue:
    # Outside her venues the place of work does not exist for her: 404, as for a wrong id.
    return get_object_or_404(venues_in_scope(user=request.user), pk=pk)


@login_required
def host_dashboard(request: HttpRequest) -> HttpResponse:
    venues = list(host_venues(user=request.user)[:30])
    if not venues:
        raise PermissionDenied(_("This page is for venue hosts and coordinators."))
    try:
        weeks = min(max(int(request.GET.get("weeks", 2)), 1), 12)
    except ValueError:
        weeks = 2
    schedule = host_schedule(venues=venues, weeks=weeks)
    rows = []
    for venue in venues:
        slots = schedule.get(venue.pk, [])
        open_slots = [x for x in slots if x.status == Slot.Status.SCHEDULED and x.seats_left > 0]
        missing = sum(x.seats_left for x in open_slots)
        rows.append((venue, slots, len(open_slots), missing))
    return render(
        request,
        "activities/hosting/dashboard.html",
        {"rows": rows, "weeks": weeks, "week_choices": [1, 2, 4, 8, 12]},
    )


def _initial_from(activity: Activity) -> tuple[dict, list[dict]]:
    zi = recurrence.zone(activity.venue.timezone)
    start = activity.starts_at.astimezone(zi)
    end = activity.ends_at.astimezone(zi)
    rule = recurrence.rrule_describe(activity.rrule)
    until = rule.get("until")
    last_day = None
    if until:
        # The last date that can still hold an occurrence at the series' time of day (a split
        # ends its rule just before the occurrence it was split at).
        until_local = until.astimezone(zi)
        last_day = until_local.date()
        if until_local.time() < start.time():
            last_day -= timedelta(days=1)
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "title_en": activity.title_en,
        "description": activity.description,
        "description_en": activity.description_en,
        "audience": activity.audience,
        "room": activity.room_id,
        "team": activity.team_id,
        "date": start.date(),
        "start_time": start.time().replace(second=0),
        "end_time": end.time().replace(second=0),
        "repeat": rule.get("frequency", ""),
        "interval": rule.get("interval", 1),
        "weekdays": rule.get("weekdays", []),
        "until": last_day,
        "count": rule.get("count"),
        "exdates": "\n".join(activity.exdates),
    }
    roles = [
        {
            "role_id": r.pk,
            "label": r.label,
            "label_en": r.label_en,
            "skill": r.skill_id,
            "language": r.language,
            "needed": r.needed,
        }
        for r in activity.roles.all()
    ]
    return initial, roles


def _activity_page(request, *, venue: Venue, activity: Activity | None) -> HttpResponse:
    if request.method == "POST":
        form = ActivityForm(request.POST, venue=venue)
        roles = RoleFormSet(request.POST, prefix="roles")
        if form.is_valid() and roles.is_valid():
            data = form.cleaned_data
            values = dict(
                kind=data["kind"],
                title=data["title"],
                title_en=data["title_en"],
                description=data["description"],
                description_en=data["description_en"],
                audience=data["audience"],
                room=data["room"],
                team=data["team"],
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                rrule=data["rrule"],
                exdates=data["exdate_list"],
                roles=role_specs(roles),
            )
            try:
                if activity is None:
                    activity = activity_create(by=request.user, venue=venue, **values)
                    messages.success(request, _("The activity is posted and its slots are open."))
                else:
                    activity = activity_update(activity=activity, by=request.user, **values)
                    messages.success(request, _("The activity is saved."))
                return redirect("host_dashboard")
            except ValidationFailed as exc:
                for message in form.add_service_errors(exc.errors):
                    roles._non_form_errors = roles.error_class([*roles.non_form_errors(), message])
    elif activity is not None:
        initial, role_initial = _initial_from(activity)
        form = ActivityForm(initial=initial, venue=venue)
        roles = RoleFormSet(initial=role_initial, prefix="roles")
    else:
        form = ActivityForm(
            initial={
                "date": timezone.localdate(),
                "interval": 1,
                "kind": "class",
                "skip_holidays": True,
            },
            venue=venue,
        )
        roles = RoleFormSet(initial=[{"needed": 1}], prefix="roles")
    return render(
        request,
        "activities/hosting/activity_form.html",
        {"form": form, "roles": roles, "venue": venue, "activity": activity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    return _activity_page(request, venue=_venue_for(request, venue_id), activity=None)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("venue"), pk=pk)
    venue = _venue_for(request, activity.venue_id)
    if activity.status == Activity.Status.CANCELLED:
        messages.error(request, _("This activity is cancelled."))
        return redirect("host_dashboard")
    return _activity_page(request, venue=venue, activity=activity)


@login_required
@require_GET
def recurrence_preview(request: HttpRequest, venue_id: int) -> HttpResponse:
    """The next occurrences of what the form says, computed here (htmx fragment)."""
    venue = _venue_for(request, venue_id)
    form = ActivityForm(request.GET, venue=venue)
    form.is_valid()
    # Only the "when" fields matter here; the rest of the form may still be empty.
    # A field not filled in yet is not an error here: the preview waits for it.
    found = form.errors.as_data()
    errors = [
        message
        for name in WHEN_FIELDS
        for error in found.get(name, [])
        if error.code != "required"
        for message in error.messages
    ]
    occurrences: list = []
    excepted: list = []
    total = None
    data = form.cleaned_data
    if not errors and data.get("starts_at"):
        problems = recurrence.validate(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            rrule=data["rrule"],
            exdates=data["exdate_list"],
            tz=venue.timezone,
        )
        errors = [m for items in problems.values() for m in items]
        if not errors:
            found = recurrence.occurrences(
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                rrule=recurrence.rrule_normalize(data["rrule"], tz=venue.timezone),
                exdates=data["exdate_list"],
                tz=venue.timezone,
            )
            total = len(found)
            occurrences = found[:PREVIEW_COUNT]
            excepted = data["exdate_list"]
    return render(
        request,
        "activities/hosting/_preview.html",
        {
            "occurrences": occurrences,
            "errors": errors,
            "total": total,
            "venue": venue,
            "excepted": excepted,
        },
    )


def _slot_for(request: HttpRequest, pk: int) -> Slot:
    slot = get_object_or_404(Slot.objects.select_related("activity__venue"), pk=pk)
    _venue_for(request, slot.activity.venue_id)
    return slot


@login_required
def host_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """One slot: its roster and gaps, and forms to move or cancel it (with a scope)."""
    slot = _slot_for(request, pk)
    zi = recurrence.zone(slot.activity.venue.timezone)
    start, end = slot.starts_at.astimezone(zi), slot.ends_at.astimezone(zi)
    change = SlotChangeForm(
        initial={"date": start.date(), "start_time": start.time(), "end_time": end.time()}
    )
    context = {
        "slot": slot_for_host(pk=slot.pk),
        "roster": slot_roster(slot=slot),
        "change_form": change,
        # Two forms on one page: the cancel form's ids must not repeat the move form's.
        "cancel_form": SlotCancelForm(auto_id="cancel_%s"),
        "attendance_url": reverse("slot_roster", args=[slot.pk]),
        "is_series": bool(slot.activity.rrule),
        "told": people_told_on_cancel(slot=slot),
        "editable": slot.status == Slot.Status.SCHEDULED and slot.ends_at > timezone.now(),
    }
    return render(request, "activities/hosting/slot.html", context)


@login_required
@require_POST
def host_slot_move(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _slot_for(request, pk)
    form = SlotChangeForm(request.POST)
    if form.is_valid():
        zi = recurrence.zone(slot.activity.venue.timezone)
        data = form.cleaned_data
        try:
            changed = slot_update(
                slot=slot,
                scope=data["scope"],
                by=request.user,
                starts_at=datetime.combine(data["date"], data["start_time"], tzinfo=zi),
                ends_at=datetime.combine(data["date"], data["end_time"], tzinfo=zi),
            )
            messages.success(
                request,
                _("%(n)d occurrence(s) moved; the people on them were told.") % {"n": len(changed)},
            )
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        for message in _form_messages(form):
            messages.error(request, message)
    return redirect("host_slot", pk=slot.pk)


@login_required
@require_POST
def host_slot_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _slot_for(request, pk)
    form = SlotCancelForm(request.POST)
    if form.is_valid():
        try:
            cancelled = slot_cancel(slot=slot, scope=form.cleaned_data["scope"], by=request.user)
            messages.success(
                request,
                _("%(n)d occurrence(s) cancelled; the people on them were told.")
                % {"n": len(cancelled)},
            )
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect("host_slot", pk=slot.pk)


def _form_messages(form) -> list[str]:
    return [m for items in form.errors.values() for m in items]
