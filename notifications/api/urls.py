from rest_framework.routers import SimpleRouter

from . import views as api

router = SimpleRouter()
router.register("outbox", api.OutboxViewSet, basename="outbox")

urlpatterns = router.urls
