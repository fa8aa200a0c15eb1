"""Every named route, for every role, read (GET) and write (POST): the expected answer of each
is in ``TABLE``, and a route the URL configuration has but the table does not fails the test, so
a new route cannot ship without a decision.

The cast: ``anonymous``; ``volunteer`` (lives in the venue's community, holds a seat on the slot,
is in the team); ``other_host`` (hosts a venue in the other street); ``host`` (hosts the venue);
``other_street_coordinator`` (coordinates the other street); ``coordinator`` (coordinates the
district); ``mediator`` (a volunteer with the verified mediation skill); ``admin`` (superuser).
The mediation app's routes have their own matrix with its case roles (lead, assistant,
operator...) in ``tests/mediation/test_permission_matrix.py``; this one checks that every one
of them is decided there.

Answers: a status code, ``LOGIN`` (sent to sign in: a redirect to the sign-in page, or 401/403
from the API), ``OK`` (past the permission decision: 2xx, a redirect that is not to the sign-in
page, or 400/409 when the empty write is refused on its content). Whatever the table says, a
write by a role the table refuses is never 2xx.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import Assignment
from matching.models import MatchProposal, MatchRun
from tests.clock import NOW
from tests.factories import (
    AreaFactory,
    CommunityFactory,
    CoordinatorFactory,
    SkillFactory,
    StreetFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    VenueFactory,
    VolunteerFactory,
)
from tests.world import local, make_slot
from volunteers.models import Absence, Availability, VolunteerSkill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

ROLES = [
    "anonymous",
    "volunteer",
    "other_host",
    "host",
    "other_street_coordinator",
    "coordinator",
    "mediator",
    "admin",
]
LOGIN, OK, BECOME, ANY = "L", "OK", "BECOME", "ANY"


# --- The world -------------------------------------------------------------------------------


@dataclass
class Cast:
    users: dict
    ids: dict
    sessions: dict = field(default_factory=dict)


def build() -> Cast:
    district = AreaFactory(name="示范区", name_en="Model District")
    east = StreetFactory(parent=district)
    west = StreetFactory(parent=district)
    community = CommunityFactory(parent=east)
    west_community = CommunityFactory(parent=west)
    host, other_host = UserFactory(), UserFactory()
    venue = VenueFactory(hosts=[host], area=community)
    VenueFactory(hosts=[other_host], area=west_community)
    coordinator = CoordinatorFactory(area=district).user
    other_street = CoordinatorFactory(area=west).user
    volunteer = VolunteerFactory(home_area=community)
    mediation = SkillFactory(code="mediation", name="调解", needs_verification=True)
    mediator = VolunteerFactory(home_area=community, with_skills=[mediation])
    admin = UserFactory(is_staff=True, is_superuser=True)
    slot, role = make_slot(venue=venue, starts_at=local(2, 10), needed=2)
    assignment = Assignment.objects.create(
        slot=slot, role=role, volunteer=volunteer, status=Assignment.Status.CONFIRMED
    )
    team = TeamFactory(area=east)
    TeamMembershipFactory(team=team, volunteer=volunteer)
    counselling = SkillFactory(code="counselling", name="心理咨询", needs_verification=True)
    pending = VolunteerSkill.objects.create(
        volunteer=VolunteerFactory(home_area=community), skill=counselling
    )
    availability = Availability.objects.create(
        volunteer=volunteer, weekday=1, start="09:00", end="12:00"
    )
    absence = Absence.objects.create(
        volunteer=volunteer, start_date=local(9, 0).date(), end_date=local(10, 0).date()
    )
    run = MatchRun.objects.create(
        area=east,
        start=slot.starts_at.date(),
        end=slot.starts_at.date(),
        created_by=coordinator,
        status=MatchRun.Status.DONE,
        progress=100,
    )
    proposal = MatchProposal.objects.create(run=run, slot_role=role, volunteer=mediator)
    return Cast(
        users={
            "anonymous": None,
            "volunteer": volunteer.user,
            "other_host": other_host,
            "host": host,
            "other_street_coordinator": other_street,
            "coordinator": coordinator,
            "mediator": mediator.user,
            "admin": admin,
        },
        ids={
            "street": east.pk,
            "venue": venue.pk,
            "activity": slot.activity_id,
            "slot": slot.pk,
            "assignment": assignment.pk,
            "team": team.pk,
            "volunteer": volunteer.pk,
            "link": pending.pk,
            "availability": availability.pk,
            "absence": absence.pk,
            "run": run.pk,
            "proposal": proposal.pk,
            "token": volunteer.user.calendar_token,
            "checkin": slot.checkin_token,
        },
    )


# --- The routes ------------------------------------------------------------------------------


@functools.cache
def named_routes() -> dict[str, str]:
    """Every named route of the URL configuration (``namespace:name``) and its pattern."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                walk(entry, prefix + str(entry.pattern), f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                found.setdefault(namespace + entry.name, prefix + str(entry.pattern))

    walk(get_resolver(), "", "")
    return found


# The object each route names: a key of ``Cast.ids``, or a literal.
ARGS = {
    "account_confirm_email": {"key": "no-such-key"},
    "account_reset_password_from_key": {"uidb36": "1", "key": "no-such-key"},
    "mfa_remove_webauthn": {"pk": "1"},
    "mfa_edit_webauthn": {"pk": "1"},
    "admin:view_on_site": {"content_type_id": "1", "object_id": "1"},
    "admin:app_list": {"app_label": "volunteers"},
    "admin:auth_user_password_change": {"id": "USER"},
    "my-availability-detail": {"pk": "availability"},
    "my-absence-detail": {"pk": "absence"},
    "team-detail": {"pk": "team"},
    "team-members": {"pk": "team"},
    "team-member-remove": {"pk": "team", "volunteer_id": "volunteer"},
    "skill-verification-verify": {"pk": "link"},
    "skill-verification-reject": {"pk": "link"},
    "venue-detail": {"pk": "venue"},
    "slot-reschedule": {"pk": "slot"},
    "slot-cancel": {"pk": "slot"},
    "slot-signup": {"pk": "slot"},
    "assignment-detail": {"pk": "assignment"},
    "assignment-cancel": {"pk": "assignment"},
    "assignment-check-in": {"pk": "assignment"},
    "assignment-mark": {"pk": "assignment"},
    "assignment-reconfirm": {"pk": "assignment"},
    "activity-detail": {"pk": "activity"},
    "matching-run-detail": {"pk": "run"},
    "matching-run-publish": {"pk": "run"},
    "matching-run-rerun": {"pk": "run"},
    "matching-proposal-lock": {"pk": "proposal"},
    "matching-proposal-remove": {"pk": "proposal"},
    "matching-proposal-unlock": {"pk": "proposal"},
    "venue_edit": {"pk": "venue"},
    "availability_delete": {"pk": "availability"},
    "absence_delete": {"pk": "absence"},
    "slot_short": {"pk": "slot"},
    "venue_public": {"pk": "venue"},
    "activity_new": {"venue_id": "venue"},
    "recurrence_preview": {"venue_id": "venue"},
    "activity_edit": {"pk": "activity"},
    "host_slot": {"pk": "slot"},
    "host_slot_move": {"pk": "slot"},
    "host_slot_cancel": {"pk": "slot"},
    "slot_detail": {"pk": "slot"},
    "slot_signup": {"pk": "slot"},
    "slot_roster": {"pk": "slot"},
    "assignment_cancel_page": {"pk": "assignment"},
    "assignment_reconfirm_page": {"pk": "assignment"},
    "slot_checkin": {"token": "checkin"},
    "assignment_mark_page": {"pk": "assignment"},
    "team_detail": {"pk": "team"},
    "calendar_feed": {"token": "token"},
    "calendar_venue": {"venue_id": "venue"},
    "calendar_slot": {"slot_id": "slot"},
    "matching_run": {"pk": "run"},
    "matching_run_progress": {"pk": "run"},
    "matching_run_rerun": {"pk": "run"},
    "matching_run_publish": {"pk": "run"},
    "matching_proposal_action": {"pk": "proposal", "action": "lock"},
    "reports_export": {"key": "monthly", "fmt": "csv"},
}

# The query string a route is asked with (values: keys of ``Cast.ids``, or literals). The
# reports name the east street, so that the coordinator of the other street, who has reports
# of her own, is asked for one that is not hers.
QUERY = {
    name: {"area": "street"}
    for name in (
        "reports",
        "reports_summary",
        "reports_print",
        "reports_workbook",
        "reports_export",
        "api_reports_summary",
    )
}


def _admin_object_id(name: str) -> str:
    """The id of a row of the model an admin route is about (``admin:<app>_<model>_<view>``)."""
    from django.apps import apps

    label = name.removeprefix("admin:").rsplit("_", 1)[0]
    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == label:
            first = model._default_manager.order_by("pk").first()
            return str(first.pk) if first else "1"
    raise AssertionError(f"no model for {name}")


def url_of(name: str, pattern: str, cast: Cast) -> str:
    kwargs = {}
    for key, value in ARGS.get(name, {}).items():
        if value == "USER":
            value = cast.users["volunteer"].pk
        kwargs[key] = cast.ids.get(value, value)
    if not kwargs and "object_id" in pattern:
        kwargs = {"object_id": _admin_object_id(name)}
    url = reverse(name, kwargs=kwargs or None)
    query = {key: cast.ids.get(value, value) for key, value in QUERY.get(name, {}).items()}
    return f"{url}?{urlencode(query)}" if query else url


_CLIENTS: dict[str, Client] = {}


def _client(role: str, cast: Cast) -> Client:
    """A client of ``role`` with only its sign-in cookie. One client per role for the whole
    module: a new client loads the middleware again (WhiteNoise scans every static file on
    loading, three quarters of each request), and each role signs in once, when the world is
    built; a test that signs her out is rolled back with the rest of its changes."""
    client = _CLIENTS.get(role)
    if client is None:
        client = _CLIENTS[role] = Client(raise_request_exception=False)
    client.cookies = SimpleCookie()
    if role in cast.sessions:
        client.cookies.load(cast.sessions[role])
    return client


def _sign_in(users: dict) -> dict[str, str]:
    """Each signed-in role's session cookie (``name=value``)."""
    sessions = {}
    for role, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            morsel = client.cookies[settings.SESSION_COOKIE_NAME]
            sessions[role] = f"{morsel.key}={morsel.value}"
    return sessions


def _matches(response, expected: str, *, api: bool) -> bool:
    status = response.status_code
    where = response.get("Location", "") if status in (301, 302, 303) else ""
    if expected == LOGIN:
        return status in (401, 403) if api else "/login/" in where
    if expected == BECOME:
        # Signed in but not a volunteer: sent to become one first.
        return where.endswith(reverse("volunteer_become"))
    if expected == OK:
        if "/login/" in where or where.endswith(reverse("volunteer_become")):
            return False
        return status in (200, 201, 202, 204, 301, 302, 303, 400, 409)
    if expected == ANY:
        return status < 500
    return status == int(expected)


# --- The table -------------------------------------------------------------------------------
# One answer per role, in the order of ROLES:
#   anonymous volunteer other_host host other_street_coordinator coordinator mediator admin
# ``"get row | post row"``; a third part, ``method: row``, checks another write (PATCH, DELETE).

EVERYONE = "OK OK OK OK OK OK OK OK"
SIGNED_IN = "L OK OK OK OK OK OK OK"
API_SIGNED_IN = "401 OK OK OK OK OK OK OK"
API_405 = "401 405 405 405 405 405 405 405"
PAGE_405 = "L 405 405 405 405 405 405 405"
ALL_405 = "405 405 405 405 405 405 405 405"
VOLUNTEER_PAGE = "L OK BECOME BECOME BECOME BECOME OK BECOME"
COORDINATORS = "L 403 403 403 OK OK 403 OK"
API_COORDINATORS = "401 403 403 403 OK OK 403 OK"
MANAGERS = "L 403 OK OK OK OK 403 OK"
API_MANAGERS = "401 403 OK OK OK OK 403 OK"
# The venue's hosts and the district's coordinator; to the others the venue does not exist.
VENUE = "L 404 404 OK 404 OK 404 OK"
API_VENUE = "401 403 404 OK 404 OK 403 OK"
API_VENUE_OBJECT = "401 404 404 OK 404 OK 404 OK"
# The east street's run: its coordinators; another street's gets 404, other roles 403.
RUN = "L 403 403 403 404 OK 403 OK"
API_RUN = "401 403 403 403 404 OK 403 OK"
RUN_405 = "L 403 403 403 405 405 403 405"
# The volunteer's own rows.
OWN = "L OK 404 404 404 404 404 404"
API_OWN = "401 OK 404 404 404 404 404 404"
API_PROFILE = "401 OK 404 404 404 404 OK 404"
PROFILE_PAGE = "L OK 404 404 404 404 OK 404"
# The team of the east street: its member, the district's coordinator, admins.
TEAM = "L OK 404 404 404 OK 404 OK"
API_TEAM = "401 OK 404 404 404 OK 404 OK"
API_TEAM_WRITE = "401 403 404 404 404 OK 404 OK"
# The volunteer's seat: hers, and the venue's managers'.
API_SEAT = "401 OK 404 OK 404 OK 404 OK"
# The east street's reports: coordinators of it or above; to anyone else they do not exist.
REPORTS = "L 404 404 404 404 OK 404 OK"
API_REPORTS = "401 404 404 404 404 OK 404 OK"

TABLE: dict[str, tuple] = {
    # Public pages, feeds and documents.
    "home": (EVERYONE, EVERYONE),
    "favicon": (EVERYONE, EVERYONE),
    "set_language": (ALL_405, EVERYONE),
    "whats_on": (EVERYONE, EVERYONE),
    "venue_public": (EVERYONE, EVERYONE),
    "slot_detail": (EVERYONE, EVERYONE),
    "slot_short": (EVERYONE, EVERYONE),
    "calendar_venue": (EVERYONE, ALL_405),
    "calendar_slot": (EVERYONE, ALL_405),
    "calendar_feed": (EVERYONE, ALL_405),
    "schema": (EVERYONE, ALL_405),
    "swagger-ui": (EVERYONE, ALL_405),
    "twilio_inbound": (ALL_405, "403 403 403 403 403 403 403 403"),
    "twilio_status": (ALL_405, "403 403 403 403 403 403 403 403"),
    # Signing in, up and out, and one's own account (allauth).
    "account_login": (EVERYONE, EVERYONE),
    "account_logout": (EVERYONE, EVERYONE),
    "account_signup": (EVERYONE, EVERYONE),
    "account_inactive": (EVERYONE, ALL_405),
    "account_email_verification_sent": (EVERYONE, ALL_405),
    "account_confirm_email": (EVERYONE, "404 404 404 404 404 404 404 404"),
    "account_reset_password": (EVERYONE, EVERYONE),
    "account_reset_password_done": (EVERYONE, ALL_405),
    "account_reset_password_from_key": (EVERYONE, EVERYONE),
    "account_reset_password_from_key_done": (EVERYONE, ALL_405),
    "account_request_login_code": (EVERYONE, EVERYONE),
    "account_confirm_login_code": (SIGNED_IN, SIGNED_IN),
    "account_reauthenticate": (SIGNED_IN, SIGNED_IN),
    "account_request_reauthentication_code": (SIGNED_IN, SIGNED_IN),
    "account_confirm_reauthentication_code": (SIGNED_IN, SIGNED_IN),
    "account_email": (SIGNED_IN, SIGNED_IN),
    "account_change_password": (SIGNED_IN, SIGNED_IN),
    "account_set_password": (SIGNED_IN, SIGNED_IN),
    "account_change_phone": (SIGNED_IN, SIGNED_IN),
    "account_verify_phone": (SIGNED_IN, SIGNED_IN),
    "mfa_index": (SIGNED_IN, PAGE_405),
    "mfa_authenticate": (SIGNED_IN, SIGNED_IN),
    "mfa_reauthenticate": (SIGNED_IN, SIGNED_IN),
    "mfa_activate_totp": (SIGNED_IN, SIGNED_IN),
    "mfa_deactivate_totp": ("L 404 404 404 404 404 404 404", "L 404 404 404 404 404 404 404"),
    "mfa_view_recovery_codes": ("L 404 404 404 404 404 404 404", PAGE_405),
    "mfa_generate_recovery_codes": (SIGNED_IN, SIGNED_IN),
    "mfa_download_recovery_codes": (
        "L 404 404 404 404 404 404 404",
        "L 404 404 404 404 404 404 404",
    ),
    "mfa_list_webauthn": (SIGNED_IN, PAGE_405),
    "mfa_add_webauthn": (SIGNED_IN, SIGNED_IN),
    "mfa_reauthenticate_webauthn": (SIGNED_IN, SIGNED_IN),
    "mfa_remove_webauthn": (SIGNED_IN, SIGNED_IN),
    "mfa_edit_webauthn": (SIGNED_IN, SIGNED_IN),
    # The API's account routes: tokens, who am I, her number, her calendar.
    "auth-token": (ALL_405, "400 400 400 400 400 400 400 400"),
    "auth-logout": (API_405, API_SIGNED_IN),
    "me": (API_SIGNED_IN, API_405),
    "me-phone": (API_405, API_SIGNED_IN),
    "me-phone-confirm": (API_405, API_SIGNED_IN),
    "me-calendar": (API_SIGNED_IN, API_405),
    "me-calendar-reset": (API_405, API_SIGNED_IN),
    # Volunteers: her profile, availability and time away (hers alone), skills, teams.
    "my-volunteer": (API_PROFILE, API_SIGNED_IN),
    "my-availability-list": (API_PROFILE, API_PROFILE),
    "my-availability-detail": (API_405, API_405, {"delete": API_OWN}),
    "my-absence-list": (API_PROFILE, API_PROFILE),
    "my-absence-detail": (API_405, API_405, {"delete": API_OWN}),
    "skill-list": (API_SIGNED_IN, API_405),
    "team-list": (API_SIGNED_IN, API_COORDINATORS),
    "team-detail": (API_TEAM, API_405),
    "team-members": (API_405, API_TEAM_WRITE),
    "team-member-remove": (API_405, API_405, {"delete": API_TEAM_WRITE}),
    "skill-verification-list": (API_COORDINATORS, API_405),
    "skill-verification-verify": (API_405, "401 403 403 403 404 OK 403 OK"),
    "skill-verification-reject": (API_405, "401 403 403 403 404 OK 403 OK"),
    # An upload (multipart): coordinators get past the decision to 415 with a JSON body.
    "volunteer-import": (API_405, "401 403 403 403 415 415 403 415"),
    "volunteer_become": (SIGNED_IN, SIGNED_IN),
    "volunteer_profile": (VOLUNTEER_PAGE, VOLUNTEER_PAGE),
    "availability_add": (ALL_405, PROFILE_PAGE),
    "availability_delete": (ALL_405, OWN),
    "absence_add": (ALL_405, PROFILE_PAGE),
    "absence_delete": (ALL_405, OWN),
    "skill_verifications": (COORDINATORS, "L 403 403 403 404 OK 403 OK"),
    "volunteer_import": (COORDINATORS, COORDINATORS),
    "team_list": (SIGNED_IN, SIGNED_IN),
    "team_detail": (TEAM, "L 403 404 404 404 OK 404 OK"),
    # Areas and venues.
    "area-list": (API_COORDINATORS, API_COORDINATORS),
    "venue-list": (API_MANAGERS, API_COORDINATORS),
    "venue-detail": (API_VENUE, API_405, {"patch": API_VENUE}),
    "venue_new": (COORDINATORS, COORDINATORS),
    "venue_edit": (VENUE, VENUE),
    # Activities and slots: posting and changing them (the venue's managers).
    "activity-list": (API_MANAGERS, API_MANAGERS),
    "activity-detail": (API_VENUE, API_405, {"patch": API_VENUE}),
    "slot-list": (API_SIGNED_IN, API_405),
    "slot-signup": (API_405, "401 OK 403 403 403 403 OK 403"),
    "slot-reschedule": (API_405, API_VENUE_OBJECT),
    "slot-cancel": (API_405, API_VENUE_OBJECT),
    "host_dashboard": (MANAGERS, MANAGERS),
    "activity_new": (VENUE, VENUE),
    "recurrence_preview": (VENUE, PAGE_405),
    "activity_edit": (VENUE, VENUE),
    "host_slot": (VENUE, VENUE),
    "host_slot_move": (PAGE_405, VENUE),
    "host_slot_cancel": (PAGE_405, VENUE),
    "slot_roster": (VENUE, VENUE),
    "assignment_mark_page": (ALL_405, VENUE),
    # Seats: hers, and the venue's managers'.
    "assignment-list": (API_SIGNED_IN, API_405),
    "assignment-detail": (API_SEAT, API_405),
    "assignment-cancel": (API_405, API_SEAT),
    "assignment-check-in": (API_405, API_SEAT),
    "assignment-mark": (API_405, "401 403 404 OK 404 OK 404 OK"),
    "assignment-reconfirm": (API_405, "401 OK 404 403 404 403 404 403"),
    "shifts_for_me": (VOLUNTEER_PAGE, VOLUNTEER_PAGE),
    "slot_signup": (ALL_405, VOLUNTEER_PAGE),
    "my_shifts": (VOLUNTEER_PAGE, VOLUNTEER_PAGE),
    "assignment_cancel_page": (ALL_405, "L OK BECOME BECOME BECOME BECOME 404 BECOME"),
    "assignment_reconfirm_page": (ALL_405, "L OK BECOME BECOME BECOME BECOME 404 BECOME"),
    "my_hours": (VOLUNTEER_PAGE, VOLUNTEER_PAGE),
    "service_record": (VOLUNTEER_PAGE, VOLUNTEER_PAGE),
    "slot_checkin": (VOLUNTEER_PAGE, VOLUNTEER_PAGE),
    "calendar_subscribe": (SIGNED_IN, SIGNED_IN),
    # Texts and the matcher (coordinators, in their areas).
    "outbox": (COORDINATORS, PAGE_405),
    "outbox-list": (API_COORDINATORS, API_405),
    "matching-run-list": (API_COORDINATORS, API_COORDINATORS),
    "matching-run-detail": (API_RUN, API_405),
    "matching-run-publish": (API_405, API_RUN),
    "matching-run-rerun": (API_405, API_RUN),
    "matching-proposal-lock": (API_405, API_RUN),
    "matching-proposal-remove": (API_405, API_RUN),
    "matching-proposal-unlock": (API_405, API_RUN),
    "matching_runs": (COORDINATORS, COORDINATORS),
    "matching_run": (RUN, RUN_405),
    "matching_run_progress": (RUN, RUN_405),
    "matching_run_rerun": (RUN_405, RUN),
    "matching_run_publish": (RUN_405, RUN),
    "matching_proposal_action": (RUN_405, RUN),
    "coordinator_board": (COORDINATORS, RUN_405),
    "coordinator_board_action": (RUN_405, COORDINATORS),
    # Reports of an area: its pages, printable page, exports and the API.
    "reports": (REPORTS, PAGE_405),
    "reports_summary": (REPORTS, PAGE_405),
    "reports_print": (REPORTS, PAGE_405),
    "reports_workbook": (REPORTS, PAGE_405),
    "reports_export": (REPORTS, PAGE_405),
    "api_reports_summary": (API_REPORTS, API_405),
    # The admin site's own pages (its model pages follow below).
    "admin:login": ("L 403 403 403 403 403 403 OK", "L 403 403 403 403 403 403 OK"),
    "admin:logout": ("OK OK OK OK OK OK OK 405", EVERYONE),
    "admin:index": ("L L L L L L L OK", "L L L L L L L OK"),
    "admin:password_change": ("L L L L L L L OK", "L L L L L L L OK"),
    "admin:password_change_done": ("L L L L L L L OK", "L L L L L L L 405"),
    "admin:autocomplete": ("L L L L L L L 403", "L L L L L L L 405"),
    "admin:jsi18n": ("L L L L L L L OK", "L L L L L L L 405"),
    "admin:view_on_site": ("L L L L L L L 404", "L L L L L L L 404"),
    "admin:app_list": ("L L L L L L L OK", "L L L L L L L OK"),
    "admin:auth_user_password_change": ("L L L L L L L OK", "L L L L L L L OK"),
}

# Every model page of the admin site: staff only; what the admin gets on a page of a model she
# may only read (403 on add, 302 back from a missing row...) is the admin's own decision.
ADMIN_MODELS = [
    "account_emailaddress",
    "accounts_apitoken",
    "accounts_user",
    "activities_activity",
    "activities_activityrole",
    "activities_assignment",
    "activities_backfill",
    "activities_backfilloffer",
    "activities_slot",
    "activities_slotrole",
    "auditlog_logentry",
    "auth_group",
    "matching_matchgap",
    "matching_matchproposal",
    "matching_matchrun",
    "mediation_compound",
    "mediation_dispute",
    "mediation_hotlineoperator",
    "mediation_mediatorprofile",
    "mediation_partnercontact",
    "mfa_authenticator",
    "notifications_inboundmessage",
    "notifications_email",
    "notifications_message",
    "notifications_optout",
    "venues_area",
    "venues_coordinator",
    "venues_room",
    "venues_venue",
    "volunteers_absence",
    "volunteers_availability",
    "volunteers_skill",
    "volunteers_team",
    "volunteers_teammembership",
    "volunteers_volunteerprofile",
    "volunteers_volunteerskill",
]
ADMIN_VIEWS = ["changelist", "add", "history", "delete", "change"]
STAFF_ONLY = "L L L L L L L ANY"
ADMIN_MODEL_ROUTES = {f"admin:{m}_{v}" for m in ADMIN_MODELS for v in ADMIN_VIEWS}
TABLE.update(dict.fromkeys(ADMIN_MODEL_ROUTES, (STAFF_ONLY, STAFF_ONLY)))

# Writes sent with a body, so that an allowed role gets past the form to the decision.
DATA = {
    "skill_verifications": lambda ids: {"link": ids["link"], "decision": "accept"},
    "assignment-mark": lambda ids: {"status": "attended"},
    "host_slot_cancel": lambda ids: {"scope": "one"},
    "slot-cancel": lambda ids: {"scope": "one"},
}


def _mediation_routes() -> set[str]:
    """The mediation app's routes, decided in its own matrix (see the module docstring)."""
    from mediation.api.urls import urlpatterns

    pages = {name for name in named_routes() if name.startswith("mediation_")}
    return pages | {p.name for p in urlpatterns}


def test_every_named_route_has_a_decision():
    routes = set(named_routes()) - _mediation_routes()
    assert sorted(routes - set(TABLE)) == [], "routes without a decision"
    assert sorted(set(TABLE) - routes) == [], "decisions for routes that do not exist"


def test_the_mediation_routes_are_decided_in_their_own_matrix():
    from tests.mediation import test_permission_matrix as mediation

    pages = {row[0] for row in mediation.PAGES}
    assert {n for n in _mediation_routes() if n.startswith("mediation_")} == pages
    assert len(mediation.API) >= len(_mediation_routes() - pages)


def _rows(entry) -> list[tuple[str, list[str]]]:
    get, post, *more = entry
    checks = [("get", get.split()), ("post", post.split())]
    for method, row in (more[0] if more else {}).items():
        checks.append((method, row.split()))
    for _method, row in checks:
        assert len(row) == len(ROLES), entry
    return checks


def _check_route(name: str, cast: Cast) -> list[str]:
    routes = named_routes()
    url = url_of(name, routes[name], cast)
    api = url.startswith("/api/")
    wrong = []
    for method, row in _rows(TABLE[name]):
        expected = dict(zip(ROLES, row, strict=True))
        done = False
        # Refused roles first: an allowed write changes the world for those after it.
        for role in sorted(ROLES, key=lambda r: expected[r] in (OK, ANY)):
            client = _client(role, cast)
            data = DATA[name](cast.ids) if name in DATA and method != "get" else {}
            if api and method != "get":
                response = getattr(client, method)(url, data, content_type="application/json")
            else:
                response = getattr(client, method)(url, data)
            # Once an allowed role has made the change (verified the skill, removed the
            # member), the row is gone for the next allowed one.
            gone = done and expected[role] == OK and response.status_code == 404
            if not gone and not _matches(response, expected[role], api=api):
                wrong.append(f"{method.upper()} {url} as {role}: {response.status_code}")
            if method != "get" and expected[role] == OK and response.status_code < 400:
                done = True
            refused = expected[role] not in (OK, ANY)
            if method != "get" and refused and 200 <= response.status_code < 300:
                wrong.append(f"{method.upper()} {url} as {role} was let through")
    return wrong


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """One world for the module, rolled back at its end; each test's own changes are rolled
    back to it by its ``django_db`` transaction (a savepoint inside this one)."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), transaction.atomic():
        world = build()
        world.sessions = _sign_in(world.users)
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(set(TABLE) - ADMIN_MODEL_ROUTES))
def test_route(cast, name):
    assert _check_route(name, cast) == []


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_model_pages(cast, model):
    wrong = []
    for view in ADMIN_VIEWS:
        wrong += _check_route(f"admin:{model}_{view}", cast)
    assert wrong == []
