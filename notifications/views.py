"""The coordinators' view of the outbox: the texts (and below them the latest emails) to the
people she looks after, their status and why one failed. Sign-in codes appear masked: they are
never stored."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from volunteers.roles import Role, roles_of

from . import selectors
from .errors import error_reason
from .models import Message


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if Role.COORDINATOR not in roles and Role.ADMIN not in roles:
        raise PermissionDenied(_("Only coordinators can see the SMS outbox."))
    status = request.GET.get("status", "")
    phone = request.GET.get("phone", "")
    user = request.user
    page = Paginator(selectors.messages_list(user=user, status=status, phone=phone), 50).get_page(
        request.GET.get("page")
    )
    for message in page:
        message.reason = error_reason(message.error_code, message.error_message)
    emails = list(selectors.emails_list(user=user)[:50])
    for email in emails:
        email.reason = error_reason(None, email.error_message)
    context = {
        "page": page,
        "status": status,
        "phone": phone,
        "statuses": Message.Status.choices,
        "totals": selectors.status_totals(user=user),
        "days": selectors.counts_per_day(user=user),
        "opt_outs": selectors.opt_outs_list(user=user)[:100],
        "emails": emails,
    }
    template = "notifications/_outbox_table.html" if request.htmx else "notifications/outbox.html"
    return render(request, template, context)
