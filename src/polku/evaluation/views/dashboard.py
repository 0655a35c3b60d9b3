"""Pages: dashboard (being built; placeholders keep the URL names resolvable)."""

from django.urls import URLPattern, path

from polku.evaluation.views._placeholder import not_yet

urlpatterns: list[URLPattern] = [
    path("", not_yet, name="dashboard"),
    path("targets/", not_yet, name="targets"),
]
