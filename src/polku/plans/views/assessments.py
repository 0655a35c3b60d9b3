"""Pages: assessments (placeholder until the area is built)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def client_page(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("clients/<uuid:client_id>/assessments/", client_page, name="assessments"),
]
