"""Pages: outcomes (being built; placeholders keep the URL names resolvable)."""

from django.urls import URLPattern, path

from polku.evaluation.views._placeholder import not_yet

urlpatterns: list[URLPattern] = [
    path("follow-ups/", not_yet, name="follow_ups"),
    path("clients/<uuid:client_id>/outcomes/", not_yet, name="client_outcomes"),
]
