"""The employers app's pages: each area's module lists its own paths."""

from django.urls import URLPattern

from polku.employers.views import contacts, dashboard, imports, register, vacancies

app_name = "employers"

urlpatterns: list[URLPattern] = [
    *vacancies.urlpatterns,
    *contacts.urlpatterns,
    *imports.urlpatterns,
    *dashboard.urlpatterns,
    *register.urlpatterns,
]
