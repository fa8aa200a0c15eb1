from rest_framework.routers import SimpleRouter

from .views import ProposalViewSet, RunViewSet

router = SimpleRouter()
router.register("matching/runs", RunViewSet, basename="matching-run")
router.register("matching/proposals", ProposalViewSet, basename="matching-proposal")
urlpatterns = router.urls
