"""Placeholder: replaced by the IPS work."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from polku.core.decorators import acting_membership


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    acting_membership(request)
    return HttpResponse("")


urlpatterns = [path("clients/<uuid:client_id>/", placeholder, name="client")]
