from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("webhooks/twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("webhooks/twilio/inbound/", webhooks.twilio_inbound, name="twilio_inbound"),
    path("outbox/", views.outbox, name="outbox"),
]
