from rest_framework.routers import SimpleRouter

from .views import AreaViewSet, VenueViewSet

router = SimpleRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("venues", VenueViewSet, basename="venue")
urlpatterns = router.urls
