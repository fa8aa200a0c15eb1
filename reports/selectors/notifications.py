"""Text messages (sent, delivered, failed, withheld, opt-outs) and calendars.

Texts belong to the recipient's home area; at the district also those to people placed in no
area yet (they are the district's to look after).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from notifications.models import Message, OptOut
from venues.models import Area
from volunteers.models import VolunteerProfile

from ..periods import Period
from ..tables import Column, Table
from .common import in_area_q


def notifications_figures(area: Area, period: Period, *, invites: int) -> tuple[Table, dict]:
    """The texts table; ``invites`` (calendar invitations emailed) comes with the activities."""
    home = in_area_q(area, "user__volunteer__home_area")
    if area.level == Area.Level.DISTRICT:
        home |= Q(user__volunteer__home_area__isnull=True)
    sent_q = Q(created_at__gte=period.start_at, created_at__lt=period.end_at)
    totals = Message.objects.filter(home, sent_q).aggregate(
        sent=Count(
            "pk",
            filter=Q(
                status__in=(
                    Message.Status.SENT,
                    Message.Status.DELIVERED,
                    Message.Status.UNDELIVERED,
                )
            ),
        ),
        delivered=Count("pk", filter=Q(status=Message.Status.DELIVERED)),
        failed=Count(
            "pk", filter=Q(status__in=(Message.Status.FAILED, Message.Status.UNDELIVERED))
        ),
        suppressed=Count("pk", filter=Q(status=Message.Status.SUPPRESSED)),
    )
    people = VolunteerProfile.objects.filter(phone=OuterRef("phone")).filter(
        in_area_q(area, "home_area")
        | (Q(home_area__isnull=True) if area.level == Area.Level.DISTRICT else Q(pk__in=[]))
    )
    opt_outs = OptOut.objects.filter(
        Exists(people), created_at__gte=period.start_at, created_at__lt=period.end_at
    ).count()
    figures = {
        "sms_sent": totals["sent"],
        "sms_delivered": totals["delivered"],
        "sms_failed": totals["failed"],
        "sms_withheld": totals["suppressed"],
        "sms_opt_outs": opt_outs,
        "calendar_invitations": invites,
        # Feeds are fetched by calendar apps with a secret link; no subscription is recorded.
        "calendar_subscriptions": None,
    }
    table = Table(
        key="notifications",
        title=_("Text messages and calendars"),
        columns=[Column("figure", _("Figure"), "text"), Column("value", _("Number"), "count")],
        rows=[
            {"figure": _("Texts sent"), "value": figures["sms_sent"]},
            {"figure": _("Texts delivered"), "value": figures["sms_delivered"]},
            {"figure": _("Texts failed"), "value": figures["sms_failed"]},
            {
                "figure": _("Texts withheld (opted out, quiet hours, no number)"),
                "value": figures["sms_withheld"],
            },
            {"figure": _("Numbers that opted out (STOP)"), "value": figures["sms_opt_outs"]},
            {"figure": _("Calendar invitations emailed"), "value": figures["calendar_invitations"]},
            {"figure": _("Calendar subscriptions"), "value": None, "unknown": True},
        ],
        note=_(
            "Calendar subscriptions are not known: calendar apps read the feeds by a secret "
            "link and the site does not record who subscribed."
        ),
    )
    return table, figures
