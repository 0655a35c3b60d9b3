"""Pages: survival (being built; placeholders keep the URL names resolvable)."""

from django.urls import URLPattern, path

from polku.evaluation.views._placeholder import not_yet

urlpatterns: list[URLPattern] = [
    path("time-to-employment/", not_yet, name="survival"),
    path("providers/", not_yet, name="providers"),
]
