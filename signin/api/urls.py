from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/phone/", views.PhoneChangeView.as_view(), name="me-phone"),
    path("me/phone/confirm/", views.PhoneConfirmView.as_view(), name="me-phone-confirm"),
]
