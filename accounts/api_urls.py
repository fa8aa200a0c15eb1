from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="auth-logout"),
    path("me/", api.MeView.as_view(), name="me"),
    path("me/phone/", api.PhoneChangeView.as_view(), name="me-phone"),
    path("me/phone/confirm/", api.PhoneConfirmView.as_view(), name="me-phone-confirm"),
]
