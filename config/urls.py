from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import language_set

from . import views

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("volunteers.api_urls")),
    path("", include("venues.api_urls")),
    path("", include("activities.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("mediation.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", language_set, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("venues.urls")),
    path("", include("volunteers.urls")),
    path("", include("activities.urls")),
    path("", include("activities.urls_calendar")),
    path("", include("notifications.urls")),
    path("", include("matching.urls")),
    path("", include("mediation.urls")),
]
