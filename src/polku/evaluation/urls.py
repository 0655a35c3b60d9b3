"""The evaluation app's pages: each area's module under `views/` lists its own paths."""

from django.urls import URLPattern

from polku.evaluation.views import comparison, dashboard, esf, outcomes, savings, survival

app_name = "evaluation"

urlpatterns: list[URLPattern] = [
    *dashboard.urlpatterns,
    *esf.urlpatterns,
    *outcomes.urlpatterns,
    *survival.urlpatterns,
    *comparison.urlpatterns,
    *savings.urlpatterns,
]
