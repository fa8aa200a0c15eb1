from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import language_set

from . import views
from .bench import CeilingView

# The admin signs in through the site's own sign-in: its failed-attempt limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)

# An unreachable database answers 503 with a message; anything else Django's 500.
handler500 = "core.views.server_error"

api_v1 = [
    path("", include("signin.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("venues.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("matching.api.urls")),
    path("", include("mediation.api.urls")),
    path("", include("reports.api.urls")),
]
if settings.BENCH_CEILING:  # bench/load.py's ceiling, never on otherwise
    api_v1.append(path("bench/ceiling/", CeilingView.as_view()))

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", language_set, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("venues.urls")),
    path("", include("volunteers.urls")),
    path("", include("activities.urls")),
    path("", include("notifications.urls")),
    path("", include("matching.urls")),
    path("", include("mediation.urls")),
    path("", include("reports.urls")),
]
