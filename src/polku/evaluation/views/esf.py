"""Pages: esf (being built; placeholders keep the URL names resolvable)."""

from django.urls import URLPattern, path

from polku.evaluation.views._placeholder import not_yet

urlpatterns: list[URLPattern] = [
    path("esf/", not_yet, name="esf"),
    path("esf/report.xlsx", not_yet, name="esf_xlsx"),
    path("esf/report.pdf", not_yet, name="esf_pdf"),
    path("definitions/", not_yet, name="definitions"),
]
