"""The employers app's pages: each area's module lists its own paths."""

from django.urls import URLPattern

from polku.employers.views import register

app_name = "employers"

urlpatterns: list[URLPattern] = [*register.urlpatterns]
