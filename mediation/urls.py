from django.urls import path

from .views import disputes, people, runs, work

urlpatterns = [
    path("mediation/", disputes.disputes, name="mediation_disputes"),
    path("mediation/export.csv", disputes.export, name="mediation_export"),
    path("mediation/my/", disputes.my_cases, name="mediation_my_cases"),
    path("mediation/new/", disputes.intake_page, name="mediation_intake"),
    path("mediation/new/compounds/", disputes.compounds, name="mediation_compounds"),
    path("mediation/disputes/<int:pk>/", disputes.dispute_page, name="mediation_dispute"),
    path("mediation/disputes/<int:pk>/edit/", disputes.dispute_edit, name="mediation_dispute_edit"),
    path("mediation/disputes/<int:pk>/mediators/", work.candidates, name="mediation_candidates"),
    path("mediation/disputes/<int:pk>/assess/", work.assess, name="mediation_assess"),
    path("mediation/disputes/<int:pk>/status/", work.status, name="mediation_status"),
    path("mediation/disputes/<int:pk>/visits/", work.visit, name="mediation_visit"),
    path("mediation/disputes/<int:pk>/escalate/", work.escalate, name="mediation_escalate"),
    path("mediation/disputes/<int:pk>/sessions/", work.session_book, name="mediation_session_book"),
    path("mediation/disputes/<int:pk>/conflict/", work.conflict, name="mediation_conflict"),
    path("mediation/disputes/<int:pk>/audit/", work.dispute_audit, name="mediation_dispute_audit"),
    path(
        "mediation/sessions/<int:pk>/cancel/", work.session_cancel, name="mediation_session_cancel"
    ),
    path("mediation/sessions/<int:pk>.ics", work.session_download, name="mediation_session_ics"),
    path("mediation/runs/", runs.runs_page, name="mediation_runs"),
    path("mediation/runs/<int:pk>/", runs.run_page, name="mediation_run"),
    path("mediation/runs/<int:pk>/progress/", runs.run_progress, name="mediation_run_progress"),
    path("mediation/runs/<int:pk>/rerun/", runs.run_rerun, name="mediation_run_rerun"),
    path("mediation/runs/<int:pk>/publish/", runs.run_publish, name="mediation_run_publish"),
    path(
        "mediation/proposals/<int:pk>/<slug:verb>/",
        runs.proposal_action,
        name="mediation_proposal_action",
    ),
    path("mediation/mediators/", people.mediators, name="mediation_mediators"),
    path("mediation/mediators/<int:pk>/", people.mediator_edit, name="mediation_mediator_edit"),
    path("mediation/partners/", people.partners, name="mediation_partners"),
    path(
        "mediation/partners/<int:pk>/remove/",
        people.partner_deactivate,
        name="mediation_partner_deactivate",
    ),
    path("mediation/audit/", people.audit_log, name="mediation_audit"),
]
