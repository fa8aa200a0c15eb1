"""Calendar files, feeds and the subscribe page (addresses fixed by DESIGN.md)."""

from django.urls import path

from .views import calendar as views

urlpatterns = [
    path("calendar/", views.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/feed/<str:token>.ics", views.feed_personal, name="calendar_feed"),
    path("calendar/venues/<int:venue_id>.ics", views.feed_venue, name="calendar_venue"),
    path("calendar/slots/<int:slot_id>.ics", views.slot_ics, name="calendar_slot"),
]
