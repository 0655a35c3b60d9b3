"""Placeholder: replaced by the IPS work."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from polku.core.decorators import acting_membership


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    acting_membership(request)
    return HttpResponse("")


urlpatterns = [path("caseload/", placeholder, name="caseload")]
