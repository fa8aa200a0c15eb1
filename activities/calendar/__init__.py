"""Slots, activities and assignments as calendar entries, and the feeds made of them.

``notifications.calendar`` writes iCalendar from plain ``CalendarEvent`` values; this package says
what each entry holds: ``entries`` (one slot, for anyone or for the person on it), ``personal``
(a person's secret feed, from a list of feed providers) and ``venue`` (a venue's public feed,
a recurring activity as one VEVENT with RRULE, EXDATEs and overrides).
"""

from .entries import (
    FeedState,
    absolute_url,
    assignment_of,
    is_confidential,
    person_uid,
    role_label,
    slot_event,
    slot_for_calendar,
    slot_ics,
    slot_page_url,
)
from .personal import (
    ShiftFeedProvider,
    feed_urls,
    feed_user,
    personal_feed_ics,
    personal_feed_state,
    qr_svg,
)
from .venue import venue_feed_events, venue_feed_ics, venue_feed_state, venue_for_calendar

__all__ = [
    "FeedState",
    "ShiftFeedProvider",
    "absolute_url",
    "assignment_of",
    "feed_urls",
    "feed_user",
    "is_confidential",
    "person_uid",
    "personal_feed_ics",
    "personal_feed_state",
    "qr_svg",
    "role_label",
    "slot_event",
    "slot_for_calendar",
    "slot_ics",
    "slot_page_url",
    "venue_feed_events",
    "venue_feed_ics",
    "venue_feed_state",
    "venue_for_calendar",
]
