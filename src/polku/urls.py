"""URL root: pages, accounts, the REST API and its documentation, health."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from polku.api import router
from polku.clients import views as client_views
from polku.core import views as core_views

# The admin signs in through allauth like everyone else: rate limits and two-factor apply.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

handler400 = "polku.core.views.error_400"
handler403 = "polku.core.views.error_403"
handler404 = "polku.core.views.error_404"
handler500 = "polku.core.views.error_500"

urlpatterns = [
    path("", client_views.dashboard, name="dashboard"),
    path("clients/", include("polku.clients.urls")),
    path("", include("polku.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("polku/favicon.svg"), permanent=True)),
    # The schema and its documentation describe the API, not data, so they are public.
    path(
        "api/v1/schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny]),
        name="api-schema",
    ),
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path("api/v1/", include(router.urls)),
    path("admin/", admin.site.urls),
]
