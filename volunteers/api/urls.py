from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views as api

router = SimpleRouter()
router.register("me/availability", api.AvailabilityViewSet, basename="my-availability")
router.register("me/absences", api.AbsenceViewSet, basename="my-absence")
router.register("skills", api.SkillViewSet, basename="skill")
router.register("teams", api.TeamViewSet, basename="team")
router.register("skill-verifications", api.SkillVerificationViewSet, basename="skill-verification")

urlpatterns = [
    path("me/volunteer/", api.MyVolunteerView.as_view(), name="my-volunteer"),
    path("volunteers/import/", api.VolunteerImportView.as_view(), name="volunteer-import"),
]
urlpatterns += router.urls
