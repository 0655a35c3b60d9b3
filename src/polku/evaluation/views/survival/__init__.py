"""Pages: time to employment (`evaluation:survival`) and the provider comparison
(`evaluation:providers`). The analysis lives beside the views in this package
(`time_to_employment`, `provider_comparison`, `groups`), shared with the API
(`evaluation.api.survival`)."""

from django.urls import URLPattern, path

from polku.evaluation.views.survival import pages

urlpatterns: list[URLPattern] = [
    path("time-to-employment/", pages.survival, name="survival"),
    path("providers/", pages.providers, name="providers"),
]
