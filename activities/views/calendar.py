"""Calendar files and feeds, and the page where a person subscribes.

Feeds answer conditional requests: the ETag and Last-Modified come from the newest change of the
records behind the feed (one query), so a calendar app that polls an unchanged feed gets 304
without the feed being built. Each feed is built in a fixed number of queries, whatever its size.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_http_methods, require_safe

from accounts.services import calendar_invites_set, calendar_token_reset

from .. import calendar as cal

CONTENT_TYPE = "text/calendar; charset=utf-8"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r?cid="
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _ics_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- A person's secret feed ------------------------------------------------------------------


def _feed_owner(request: HttpRequest, token: str):
    """The feed's owner, looked up once per request; 404 for a wrong or reset token."""
    if not hasattr(request, "_calendar_owner"):
        user = cal.feed_user(token=token)
        if user is None:
            raise Http404("No such calendar feed.")
        request._calendar_owner = user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            request._calendar_state = cal.personal_feed_state(user=user)
    return request._calendar_owner


def _personal_etag(request: HttpRequest, token: str) -> str:
    _feed_owner(request, token)
    return request._calendar_state.etag


def _personal_last_modified(request: HttpRequest, token: str):
    _feed_owner(request, token)
    return request._calendar_state.last_modified


@require_safe
@condition(etag_func=_personal_etag, last_modified_func=_personal_last_modified)
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """``/calendar/feed/<token>.ics``: her own shifts, for calendar apps to subscribe to."""
    user = _feed_owner(request, token)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        body = cal.personal_feed_ics(user=user, state=request._calendar_state)
    response = _ics_response(body, filename="my-shifts.ics", attachment=False)
    # The address is a secret: no shared cache keeps it, no search engine lists it.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- A venue's public feed -------------------------------------------------------------------


def _feed_language(request: HttpRequest) -> str:
    """``?lang=en`` or ``?lang=zh-hans`` chooses; otherwise the request's language."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGE_CODES else translation.get_language()


def _venue(request: HttpRequest, venue_id: int):
    if not hasattr(request, "_calendar_venue"):
        venue = cal.venue_for_calendar(venue_id=venue_id)
        if venue is None:
            raise Http404("No such venue.")
        request._calendar_venue = venue
        with translation.override(_feed_language(request)):
            request._calendar_state = cal.venue_feed_state(venue=venue)
    return request._calendar_venue


def _venue_etag(request: HttpRequest, venue_id: int) -> str:
    _venue(request, venue_id)
    return request._calendar_state.etag


def _venue_last_modified(request: HttpRequest, venue_id: int):
    _venue(request, venue_id)
    return request._calendar_state.last_modified


@require_safe
@condition(etag_func=_venue_etag, last_modified_func=_venue_last_modified)
def feed_venue(request: HttpRequest, venue_id: int) -> HttpResponse:
    """``/calendar/venues/<id>.ics``: the venue's activities, a series as one entry."""
    venue = _venue(request, venue_id)
    with translation.override(_feed_language(request)):
        body = cal.venue_feed_ics(venue=venue)
    response = _ics_response(body, filename=f"venue-{venue.pk}.ics", attachment=False)
    response["Cache-Control"] = "public, max-age=900"
    return response


# --- One slot --------------------------------------------------------------------------------


@require_safe
def slot_ics(request: HttpRequest, slot_id: int) -> HttpResponse:
    """``/calendar/slots/<id>.ics``: "Add to calendar". A volunteer on the slot gets her own
    entry (her role, the same UID as her invitation), so adding it twice does not duplicate."""
    slot = cal.slot_for_calendar(slot_id=slot_id)
    if slot is None:
        raise Http404("No such slot.")
    assignment = cal.assignment_of(slot=slot, user=request.user)
    if assignment is None and cal.is_confidential(slot.activity):
        raise Http404("No such slot.")
    user = request.user if assignment is not None else None
    body = cal.slot_ics(slot=slot, assignment=assignment, user=user)
    response = _ics_response(body, filename=f"shift-{slot.pk}.ics", attachment=True)
    response["Cache-Control"] = "private, no-cache"
    return response


# --- The subscribe page ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    """Her feed's addresses and QR code, a reset button, and the invitations switch."""
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            calendar_token_reset(user=user)
            messages.success(
                request,
                _(
                    "Your calendar has a new address. The old one no longer works: subscribe "
                    "again with the new one."
                ),
            )
        elif action == "invites":
            enabled = request.POST.get("calendar_invites") == "on"
            calendar_invites_set(user=user, enabled=enabled)
            messages.success(
                request,
                _("Invitations by email are on.")
                if enabled
                else _("Invitations by email are off."),
            )
        return redirect("calendar_subscribe")
    urls = cal.feed_urls(user=user)
    response = render(
        request,
        "activities/calendar_subscribe.html",
        {
            "feed_urls": urls,
            "qr_svg": cal.qr_svg(urls["webcal"], title=_("QR code of your calendar address")),
            "google_url": GOOGLE_SUBSCRIBE + quote(urls["webcal"], safe=""),
            "alarm_hours": settings.CALENDAR_ALARM_MINUTES / 60,
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    return response
