from django.urls import path

from . import views

urlpatterns = [
    path("volunteer/join/", views.volunteer_become, name="volunteer_become"),
    path("volunteer/profile/", views.volunteer_profile, name="volunteer_profile"),
    path("volunteer/availability/", views.availability_add, name="availability_add"),
    path(
        "volunteer/availability/<int:pk>/delete/",
        views.availability_delete,
        name="availability_delete",
    ),
    path("volunteer/away/", views.absence_add, name="absence_add"),
    path("volunteer/away/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("coordinate/skills/", views.skill_verifications, name="skill_verifications"),
    path("coordinate/import/", views.volunteer_import, name="volunteer_import"),
    path("teams/", views.team_list, name="team_list"),
]
