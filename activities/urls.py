from django.urls import path

from .views import calendar, hosting, public, roster, shifts, sms_links, teams

urlpatterns: list = [
    path("s/<int:pk>/", sms_links.slot_short, name="slot_short"),
    path("venues/<int:pk>/", public.venue_page, name="venue_public"),
    path("whats-on/", public.whats_on, name="whats_on"),
    path("host/", hosting.host_dashboard, name="host_dashboard"),
    path("host/venues/<int:venue_id>/activities/new/", hosting.activity_new, name="activity_new"),
    path(
        "host/venues/<int:venue_id>/activities/preview/",
        hosting.recurrence_preview,
        name="recurrence_preview",
    ),
    path("host/activities/<int:pk>/edit/", hosting.activity_edit, name="activity_edit"),
    path("host/slots/<int:pk>/", hosting.host_slot, name="host_slot"),
    path("host/slots/<int:pk>/move/", hosting.host_slot_move, name="host_slot_move"),
    path("host/slots/<int:pk>/cancel/", hosting.host_slot_cancel, name="host_slot_cancel"),
    path("shifts/", shifts.shifts_for_me, name="shifts_for_me"),
    path("shifts/<int:pk>/", shifts.slot_detail, name="slot_detail"),
    path("shifts/<int:pk>/signup/", shifts.slot_signup, name="slot_signup"),
    path("shifts/<int:pk>/roster/", roster.slot_roster, name="slot_roster"),
    path("my/shifts/", shifts.my_shifts, name="my_shifts"),
    path("my/shifts/<int:pk>/cancel/", shifts.assignment_cancel, name="assignment_cancel_page"),
    path(
        "my/shifts/<int:pk>/reconfirm/",
        shifts.assignment_reconfirm,
        name="assignment_reconfirm_page",
    ),
    path("my/hours/", shifts.my_hours, name="my_hours"),
    path("my/hours/record/", shifts.service_record, name="service_record"),
    path("checkin/<str:token>/", shifts.checkin, name="slot_checkin"),
    path("roster/<int:pk>/mark/", roster.assignment_mark, name="assignment_mark_page"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    # Calendar files, feeds and the subscribe page (addresses fixed by DESIGN.md).
    path("calendar/", calendar.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/feed/<str:token>.ics", calendar.feed_personal, name="calendar_feed"),
    path("calendar/venues/<int:venue_id>.ics", calendar.feed_venue, name="calendar_venue"),
    path("calendar/slots/<int:slot_id>.ics", calendar.slot_ics, name="calendar_slot"),
]
