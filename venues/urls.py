from django.urls import path

from . import views

urlpatterns: list = [
    path("host/venues/new/", views.venue_new, name="venue_new"),
    path("host/venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
]
