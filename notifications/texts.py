"""The SMS texts, one per kind, in English (source) and Chinese (the catalogue).

Each is short: what, when, where, and a link. Values that can be long (an activity's title, a
venue's name) are shortened to keep a text to one segment where that still leaves them
readable, and never to more than two. ``tests/notifications/test_texts.py`` renders every kind
in both languages with long values and counts the segments.

Dispute texts never carry a party's name or any detail of the case: only a link behind sign-in.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .segments import is_gsm7, segments

TEXTS = {
    # Shift events (activities).
    "confirmed": _("Confirmed: %(title)s, %(when)s, %(venue)s. Can't come? Reply %(n)s. %(link)s"),
    "waitlisted": _("Waitlist: %(title)s, %(when)s. We'll text you if a seat frees up. %(link)s"),
    "promoted": _(
        "A seat freed up: you're confirmed for %(title)s, %(when)s, %(venue)s. "
        "Can't come? Reply %(n)s."
    ),
    "assigned": _(
        "You're assigned: %(title)s, %(when)s, %(venue)s. Reply %(y)s to confirm, %(n)s if "
        "you can't. %(link)s"
    ),
    "cancelled": _("You're no longer on %(title)s, %(when)s. %(link)s"),
    "slot_changed": _("Moved: %(title)s is now %(when)s, %(venue)s. %(link)s"),
    "slot_cancelled": _("Cancelled: %(title)s, %(when)s will not take place. Sorry!"),
    "reminder": _(
        "Reminder: %(title)s, %(when)s, %(venue)s. Reply %(y)s if you're coming, %(n)s to "
        "give up your seat."
    ),
    "backfill_offer": _(
        "Free seat: %(title)s, %(when)s, %(venue)s. Reply %(y)s by %(until)s to take it; "
        "first reply wins."
    ),
    "backfill_won": _("It's yours: %(title)s, %(when)s, %(venue)s. %(link)s"),
    "backfill_taken": _("Thanks! The free seat on %(title)s, %(when)s has been taken."),
    "backfill_gone": _("Sorry, that seat is no longer free. Thanks for answering!"),
    "backfill_declined": _("OK, thanks for telling us."),
    "reply_coming": _("Thanks, see you at %(title)s, %(when)s."),
    "reply_given_back": _(
        "Done: your seat on %(title)s, %(when)s is given back. Thanks for telling us."
    ),
    # Mediation: nothing about the case itself.
    "dispute_assigned": _("A case has been assigned to you. Sign in to see it: %(link)s"),
    "mediation_session": _("Mediation session (%(role)s): %(when)s, %(venue)s. %(link)s"),
    "mediation_session_cancelled": _("Cancelled: mediation session %(when)s, %(venue)s. %(link)s"),
    "mediation_session_party": _("Women's Federation: your appointment is %(when)s at %(venue)s."),
    "mediation_session_party_cancelled": _(
        "Women's Federation: your appointment %(when)s at %(venue)s is cancelled."
    ),
    "mediation_follow_up": _("A follow-up visit is due for one of your cases. %(link)s"),
    "mediation_joint_request": _(
        "Women's Federation asks for a joint intervention on case %(ref)s. Please call %(contact)s."
    ),
    # Accounts.
    "signin_code": _("%(code)s is your sign-in code. It expires in %(minutes)s minutes."),
    # Replies to keywords.
    "reply_stop": _("You won't get more texts from us. Reply START to turn them back on."),
    "reply_start": _("Texts are back on. Reply STOP to end them, HELP for help."),
    "reply_help": _(
        "Volunteer texts: reply Y to confirm, N to give up a seat, STOP to end texts. "
        "Coordinator: %(contact)s"
    ),
    "reply_unknown": _(
        "Sorry, we didn't understand. Reply Y to confirm, N to give up your seat, HELP for help."
    ),
    "reply_nothing_open": _("Nothing is waiting for an answer just now. Reply HELP for help."),
    "reply_which": _("Which one? Reply with its number: %(choices)s"),
}

# Values that may be shortened, in the order they give way.
SHRINKABLE = ("title", "venue", "choices", "role")
# Shortest a value is cut to while trying for one segment, and for two.
FLOOR_ONE, FLOOR_TWO = 10, 4

_WEEKDAYS_ZH = "一二三四五六日"


def language_of(code: str | None) -> str:
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


def sms_when(moment: datetime, *, language: str, tz: str | None = None) -> str:
    """A compact date and time in her language: "Mon 30 Nov 09:00" or "11月30日周一 09:00"."""
    local = timezone.localtime(moment, ZoneInfo(tz or settings.TIME_ZONE))
    if language.startswith("zh"):
        return f"{local.month}月{local.day}日周{_WEEKDAYS_ZH[local.weekday()]} {local:%H:%M}"
    return local.strftime("%a %d %b %H:%M")


def sms_time(moment: datetime, *, tz: str | None = None) -> str:
    return f"{timezone.localtime(moment, ZoneInfo(tz or settings.TIME_ZONE)):%H:%M}"


def _shorten(value: str, length: int, ellipsis: str) -> str:
    if len(value) <= length:
        return value
    return value[: max(length - len(ellipsis), 1)] + ellipsis


def sms_text_render(kind: str, *, language: str, values: dict | None = None) -> str:
    """The text of ``kind`` in ``language`` with ``values``, shortened to fit (see above)."""
    values = {"y": "Y", "n": "N", **(values or {})}
    with translation.override(language_of(language)):
        template = str(TEXTS[kind])
    text = template % values
    if segments(text) == 1:
        return text
    for limit, floor in ((1, FLOOR_ONE), (2, FLOOR_TWO)):
        trial = dict(values)
        ellipsis = "..." if is_gsm7(text) else "…"
        while True:
            text = template % trial
            if segments(text) <= limit:
                return text
            longest = max(
                (k for k in SHRINKABLE if k in trial and len(str(trial[k])) > floor),
                key=lambda k: len(str(trial[k])),
                default=None,
            )
            if longest is None:
                break
            current = str(trial[longest])
            trial[longest] = _shorten(current, len(current) - 1, ellipsis)
    return template % trial
