"""The IPS app's pages: each area's module lists its own paths."""

from django.urls import URLPattern

from polku.ips.views import caseload, client, fidelity, outcomes

app_name = "ips"

urlpatterns: list[URLPattern] = [
    *client.urlpatterns,
    *caseload.urlpatterns,
    *fidelity.urlpatterns,
    *outcomes.urlpatterns,
]
