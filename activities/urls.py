from django.urls import path

from .views import hosting, public

urlpatterns: list = [
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
]
