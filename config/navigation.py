"""Navigation by role, for the base template."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.second_factor import second_factor_active, second_factor_expected
from core.links import reverse_kept
from mediation.selectors import is_district_admin, is_hotline_operator
from volunteers.roles import Role, roles_of

# Shown to everyone who is signed in, whatever her roles.
SIGNED_IN = "signed_in"

# (role, url name, label). A link shows when the person holds the role (or, for a function in
# place of a role, when it answers yes for her).
MENU = [
    (None, "home", _("Home")),
    (None, "whats_on", _("What's on")),
    (Role.VOLUNTEER, "shifts_for_me", _("Shifts for me")),
    (Role.VOLUNTEER, "my_shifts", _("My shifts")),
    (Role.VOLUNTEER, "my_hours", _("My hours")),
    (Role.VOLUNTEER, "volunteer_profile", _("My profile")),
    (Role.HOST, "host_dashboard", _("My venues")),
    (Role.COORDINATOR, "coordinator_board", _("Coordination")),
    (Role.COORDINATOR, "volunteer_import", _("Import volunteers")),
    (Role.COORDINATOR, "skill_verifications", _("Skills to verify")),
    (Role.COORDINATOR, "team_list", _("Teams")),
    (Role.COORDINATOR, "outbox", _("SMS outbox")),
    (Role.COORDINATOR, "mediation_disputes", _("Disputes")),
    (Role.COORDINATOR, "mediation_mediators", _("Mediators")),
    (Role.COORDINATOR, "mediation_partners", _("Partner agencies")),
    (Role.COORDINATOR, "reports", _("Reports")),
    (is_district_admin, "mediation_audit", _("Audit log")),
    (Role.MEDIATOR, "mediation_my_cases", _("My cases")),
    (is_hotline_operator, "mediation_intake", _("Take in a dispute")),
    (SIGNED_IN, "calendar_subscribe", _("Calendar")),
    (SIGNED_IN, "mfa_index", _("Two-step sign-in")),
    (Role.ADMIN, "admin:index", _("Administration")),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else []
    items = []
    for role, url_name, label in MENU:
        if role == SIGNED_IN:
            if not getattr(user, "is_authenticated", False):
                continue
        elif callable(role):
            if not role(user):
                continue
        elif role is not None and role not in roles:
            continue
        url = reverse_kept(url_name)
        items.append({"url": url, "label": label, "active": request.path == url})
    # Roles that need a second factor are shown how to set one up, even where it is not forced.
    suggest = bool(
        user is not None
        and user.is_authenticated
        and second_factor_expected(user)
        and not second_factor_active(user)
    )
    return {"nav_items": items, "user_roles": roles, "second_factor_suggested": suggest}
