from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.activities import ActivityViewSet, SlotCancelView, SlotRescheduleView

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
urlpatterns = [
    path("slots/<int:pk>/reschedule/", SlotRescheduleView.as_view(), name="slot-reschedule"),
    path("slots/<int:pk>/cancel/", SlotCancelView.as_view(), name="slot-cancel"),
]
urlpatterns += router.urls
