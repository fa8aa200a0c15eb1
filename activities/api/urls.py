from django.urls import path
from rest_framework.routers import SimpleRouter

from .activities import ActivityViewSet, SlotCancelView, SlotRescheduleView
from .calendar import CalendarResetView, CalendarSettingsView
from .shifts import AssignmentViewSet, SlotViewSet

router = SimpleRouter()
router.register("slots", SlotViewSet, basename="slot")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("activities", ActivityViewSet, basename="activity")
urlpatterns = [
    path("slots/<int:pk>/reschedule/", SlotRescheduleView.as_view(), name="slot-reschedule"),
    path("slots/<int:pk>/cancel/", SlotCancelView.as_view(), name="slot-cancel"),
    path("me/calendar/", CalendarSettingsView.as_view(), name="me-calendar"),
    path("me/calendar/reset/", CalendarResetView.as_view(), name="me-calendar-reset"),
]
urlpatterns += router.urls
