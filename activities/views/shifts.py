"""A volunteer's shift pages: shifts that fit her, a slot with its sign-up button, her shifts
(cancel, reconfirm), her hours and record of service, and checking in by the slot's QR code.

The sign-up and cancel buttons post forms: with htmx the answer replaces the button in place,
without JavaScript the page redirects back with a message. Both call the same services.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound

from .. import eligibility
from ..forms.shifts import ShiftFilterForm
from ..models import Assignment, Slot
from ..selectors import shifts as shift_selectors
from ..selectors.visibility import slot_visible_to
from ..services import signup as signup_services

PAGE_SIZE = 20


def _volunteer(request: HttpRequest):
    return getattr(request.user, "volunteer", None)


def volunteer_required(view):
    """Signed in and with a volunteer profile; others are sent to become one."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if _volunteer(request) is None:
            messages.info(request, _("Tell us a little about yourself first."))
            return redirect("volunteer_become")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _monday(day) -> datetime:
    monday = day - timedelta(days=day.weekday())
    return timezone.make_aware(datetime.combine(monday, time(0)))


@volunteer_required
def shifts_for_me(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    form = ShiftFilterForm(request.GET or None, volunteer=volunteer.pk)
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or "list"
    sort = data.get("sort") or "soonest"
    today = timezone.localdate()
    start_day = data.get("date") or today
    filters = shift_selectors.Filters(
        venue=data["venue"].pk if data.get("venue") else None,
        kind=data.get("kind") or "",
        team=data["team"].pk if data.get("team") else None,
    )
    fits_only = not data.get("everything")
    # How many filters she set: the folded filter button says so, and opens when any is set.
    filtered = sum(
        1
        for name in ("venue", "kind", "team", "date", "everything")
        if data.get(name) and not (name == "date" and data[name] == today)
    )
    context: dict = {
        "form": form,
        "view": view,
        "sort": sort,
        "filtered": filtered,
    }
    if not (request.htmx and request.htmx.target == "results"):
        context["filter_fields"] = form.fields_html()
    if view == "week":
        monday = _monday(start_day)
        filters.start_after = max(monday, timezone.now())
        filters.start_before = monday + timedelta(days=7)
        slots = shift_selectors.shifts_for_me(
            volunteer=volunteer, filters=filters, sort=sort, fits_only=fits_only
        )
        context["days"] = shift_selectors.week_days(
            slots, monday=monday.date(), tz=timezone.get_current_timezone()
        )
        context["prev_week"] = (monday - timedelta(days=7)).date().isoformat()
        context["next_week"] = (monday + timedelta(days=7)).date().isoformat()
        context["monday"] = monday
        context["count"] = len(slots)
    else:
        if start_day > today:
            filters.start_after = timezone.make_aware(datetime.combine(start_day, time(0)))
        slots = shift_selectors.shifts_for_me(
            volunteer=volunteer, filters=filters, sort=sort, fits_only=fits_only
        )
        try:
            size = min(max(int(request.GET.get("page_size", PAGE_SIZE)), 5), 100)
        except ValueError:
            size = PAGE_SIZE
        page = Paginator(slots, size).get_page(request.GET.get("page"))
        context["page"] = page
        context["count"] = len(slots)
    # No weekly times given: any hour fits her, here and in the matcher (the page says so).
    context["no_weekly_times"] = not slots.facts.windows
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    for name in ("view", "date"):
        query.pop(name, None)
    context["week_query"] = query.urlencode()
    template = "activities/shifts/for_me.html"
    if request.htmx and request.htmx.target == "results":
        template = "activities/shifts/_results.html"
    return render(request, template, context)


def _slot_context(request: HttpRequest, slot) -> dict:
    volunteer = _volunteer(request)
    facts = None
    if volunteer is not None:
        # Her teams only for a team's slot, her skills only when a role asks for one: the rules
        # read nothing else of them, and the page shows neither.
        facts = eligibility.facts_load(
            volunteer=volunteer,
            around=(slot.starts_at, slot.ends_at),
            teams=slot.activity.team_id is not None,
            skills=any(role.skill_id is not None for role in slot.roles.all()),
            live_on=slot.pk,
        )
    shift_selectors.slots_annotate([slot], facts=facts)
    mine = slot.my_assignment
    position = shift_selectors.waitlist_positions([mine]).get(mine.pk) if mine else None
    fitting = []
    if slot.verdict is not None:
        fitting = [r for r in slot.roles.all() if not slot.verdict.role_reasons.get(r.pk)]
    return {
        "slot": slot,
        "fitting_roles": fitting,
        "volunteer": volunteer,
        "mine": mine,
        "position": position,
        "manage": signup_services.may_manage(user=request.user, slot=slot),
        "no_weekly_times": facts is not None and not facts.windows,
    }


def _visible(request: HttpRequest, pk: int):
    """The slot with its roles and seats (``slot_page_get``), or 404 when it does not exist or
    she may not see it (``slot_visible_to``: a query only for a confidential kind, none for
    the others)."""
    slot = shift_selectors.slot_page_get(pk=pk)
    if slot is None or not slot_visible_to(user=request.user, slot=slot):
        raise Http404(_("No such shift."))
    return slot


def slot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _visible(request, pk)
    return render(request, "activities/shifts/slot_detail.html", _slot_context(request, slot))


def _box(request: HttpRequest, slot_id: int, *, error: str = "") -> HttpResponse:
    slot = _visible(request, slot_id)
    context = _slot_context(request, slot)
    context["error"] = error
    return render(request, "activities/shifts/_signup_box.html", context)


@require_POST
@volunteer_required
def slot_signup(request: HttpRequest, pk: int) -> HttpResponse:
    role = request.POST.get("role") or None
    error = ""
    try:
        # The service reads the slot under its lock: NotFound when it does not exist or she
        # may not see it (a confidential one she is not on), as missing as a wrong id.
        assignment = signup_services.slot_sign_up(
            volunteer=_volunteer(request),
            slot=Slot(pk=pk),
            role=int(role) if role else None,
            seen_by=request.user,
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        if exc.code == eligibility.ALREADY_SIGNED_UP:
            assignment, error = None, ""  # a second press: show where she already stands
        else:
            assignment, error = None, exc.message
    except ValueError:
        assignment, error = None, _("This role is not part of the shift.")
    if request.htmx:
        return _box(request, pk, error=error)
    if error:
        messages.error(request, error)
    elif assignment is not None and assignment.status == Assignment.Status.WAITLISTED:
        messages.info(request, _("The shift is full: you are on the waitlist."))
    elif assignment is not None:
        messages.success(request, _("You are signed up. See you there!"))
    return redirect("slot_detail", pk=pk)


def _own_assignment(request: HttpRequest, pk: int) -> Assignment:
    volunteer = _volunteer(request)
    return get_object_or_404(
        Assignment.objects.select_related("slot__activity__venue", "volunteer__user"),
        pk=pk,
        volunteer=volunteer,
    )


@require_POST
@volunteer_required
def assignment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment(request, pk)
    error = ""
    try:
        assignment = signup_services.assignment_cancel(assignment=assignment, by=request.user)
    except DomainError as exc:
        error = exc.message
    if request.htmx and request.POST.get("from") == "slot":
        return _box(request, assignment.slot_id, error=error)
    if error:
        messages.error(request, error)
    elif assignment.cancelled_late:
        messages.warning(
            request, _("Cancelled. It is close to the start, so it is recorded as late.")
        )
    else:
        messages.success(request, _("Cancelled. Thank you for letting us know."))
    if request.POST.get("from") == "slot":
        return redirect("slot_detail", pk=assignment.slot_id)
    return redirect("my_shifts")


@require_POST
@volunteer_required
def assignment_reconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment(request, pk)
    try:
        signup_services.assignment_reconfirm(assignment=assignment, by=request.user)
        messages.success(request, _("Thank you: the host knows you are coming."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("my_shifts")


@volunteer_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    coming = list(shift_selectors.assignments_mine(volunteer=volunteer))
    positions = shift_selectors.waitlist_positions(coming)
    for a in coming:
        a.position = positions.get(a.pk)
    past = list(shift_selectors.assignments_mine(volunteer=volunteer, past=True)[:20])
    return render(request, "activities/shifts/my_shifts.html", {"coming": coming, "past": past})


@volunteer_required
def my_hours(request: HttpRequest) -> HttpResponse:
    summary = shift_selectors.hours_summary(volunteer=_volunteer(request))
    return render(request, "activities/shifts/my_hours.html", {"summary": summary})


@volunteer_required
def service_record(request: HttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    summary = shift_selectors.hours_summary(volunteer=volunteer)
    return render(
        request,
        "activities/shifts/service_record.html",
        {"summary": summary, "volunteer": volunteer, "today": timezone.localdate()},
    )


@volunteer_required
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The page the slot's QR code opens: one button to check in."""
    slot = Slot.objects.select_related("activity__venue").filter(checkin_token=token).first()
    if slot is None:
        raise Http404(_("This check-in link is not valid."))
    done = None
    if request.method == "POST":
        try:
            done = signup_services.slot_check_in_by_token(
                token=token, volunteer=_volunteer(request)
            )
            messages.success(request, _("You are checked in. Thank you for coming!"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("slot_checkin", args=[token]))
    done = (
        Assignment.objects.filter(
            slot=slot, volunteer=_volunteer(request), status=Assignment.Status.ATTENDED
        ).first()
        if done is None
        else done
    )
    opens, closes = signup_services.checkin_window(slot)
    return render(
        request,
        "activities/shifts/checkin.html",
        {"slot": slot, "done": done, "opens": opens, "closes": closes},
    )
