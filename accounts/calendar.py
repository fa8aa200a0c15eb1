"""A person's calendar settings: the secret feed address and the invitations by email."""

from __future__ import annotations

from .models import User, new_calendar_token


def calendar_token_reset(*, user: User) -> str:
    """A new secret for the feed address; the old address answers 404 from now on."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_invites_set(*, user: User, enabled: bool) -> None:
    """Whether invitations for her shifts are sent to her by email."""
    if user.calendar_invites != enabled:
        user.calendar_invites = enabled
        user.save(update_fields=["calendar_invites"])
