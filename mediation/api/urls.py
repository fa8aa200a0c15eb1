from rest_framework.routers import SimpleRouter

from .runs import MediationProposalViewSet, MediationRunViewSet, PartnerViewSet
from .views import DisputeViewSet

router = SimpleRouter()
router.register("disputes", DisputeViewSet, basename="dispute")
router.register("mediation/runs", MediationRunViewSet, basename="mediation-run")
router.register("mediation/proposals", MediationProposalViewSet, basename="mediation-proposal")
router.register("mediation/partners", PartnerViewSet, basename="mediation-partner")
urlpatterns = router.urls
