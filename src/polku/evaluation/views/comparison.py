"""Pages: comparison (being built; placeholders keep the URL names resolvable)."""

from django.urls import URLPattern, path

from polku.evaluation.views._placeholder import not_yet

urlpatterns: list[URLPattern] = [
    path("comparison/", not_yet, name="comparison_list"),
    path("comparison/import/", not_yet, name="comparison_import"),
    path("comparison/<int:pk>/", not_yet, name="comparison_detail"),
]
