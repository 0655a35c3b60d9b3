"""Placeholder: the employer register's pages (replaced by the employers work)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from polku.core.decorators import acting_membership


def employer_list(request: HttpRequest) -> HttpResponse:
    acting_membership(request)
    return HttpResponse("")


urlpatterns = [
    path("", employer_list, name="list"),
    path("vacancies/", employer_list, name="vacancies"),
]
