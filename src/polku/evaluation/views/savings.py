"""Pages: savings (being built; placeholders keep the URL names resolvable)."""

from django.urls import URLPattern, path

from polku.evaluation.views._placeholder import not_yet

urlpatterns: list[URLPattern] = [
    path("savings/", not_yet, name="savings"),
    path("savings/costs/", not_yet, name="costs"),
]
