from django.urls import path

from . import views

urlpatterns = [
    path("matching/", views.runs, name="matching_runs"),
    path("matching/runs/<int:pk>/", views.run_page, name="matching_run"),
    path("matching/runs/<int:pk>/progress/", views.run_progress, name="matching_run_progress"),
    path("matching/runs/<int:pk>/rerun/", views.run_rerun, name="matching_run_rerun"),
    path("matching/runs/<int:pk>/publish/", views.run_publish, name="matching_run_publish"),
    path(
        "matching/proposals/<int:pk>/<slug:action>/",
        views.proposal_action,
        name="matching_proposal_action",
    ),
    path("coordination/", views.coordinator_board, name="coordinator_board"),
    path("coordination/act/", views.board_action, name="coordinator_board_action"),
]
