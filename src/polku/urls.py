"""URL root: pages, accounts, the REST API and its documentation, health."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from polku.api import router
from polku.clients import views as client_views
from polku.core import views as core_views

# The admin's own login form would skip allauth's rate limits and two-factor step: it only
# ever sends people to the one sign-in page.
admin.site.login = core_views.admin_login  # type: ignore[method-assign]

handler400 = "polku.core.views.error_400"
handler403 = "polku.core.views.error_403"
handler404 = "polku.core.views.error_404"
handler500 = "polku.core.views.error_500"

urlpatterns = [
    path("", client_views.dashboard, name="dashboard"),
    path("clients/", include("polku.clients.urls")),
    path("", include("polku.plans.urls")),
    path("employers/", include("polku.employers.urls")),
    path("ips/", include("polku.ips.urls")),
    path("evaluation/", include("polku.evaluation.urls")),
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
        # Swagger UI's page carries one inline <style>; scripts stay 'self' + nonce only.
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", permission_classes=[AllowAny]
            )
        ),
        name="api-docs",
    ),
    path("api/v1/", include(router.urls)),
    path("admin/", admin.site.urls),
]
