"""Reads of vacancies: the filtered list (open ones by default) and one vacancy."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from polku.core.models import Membership
from polku.employers.models import Vacancy, VacancyStatus, WorkingTime
from polku.employers.permissions import can_read

ISCO_PREFIX = re.compile(r"^[0-9]{1,4}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class VacancyFilters:
    """What the vacancy list and the API filter by; empty values filter nothing.

    `status` "" means open; "all" every status. `open_on`: open vacancies whose application
    deadline has not passed on that day (the list's default is today).
    """

    status: str = VacancyStatus.OPEN
    isco: str = ""
    municipality: str = ""
    working_time: str = ""
    language: str = ""
    employer: uuid.UUID | None = None
    open_on: dt.date | None = None
    text: str = ""


def _working_time(value: str) -> Q:
    # A job offered full- or part-time suits someone looking for either.
    if value in (WorkingTime.FULL_TIME, WorkingTime.PART_TIME):
        return Q(working_time__in=[value, WorkingTime.EITHER])
    return Q(working_time=value)


def vacancies_visible_to(
    viewer: Membership | None, *, filters: VacancyFilters | None = None
) -> QuerySet[Vacancy]:
    """Vacancies matching `filters`, nearest deadline first (none last), with their employer
    and workplace. An ISCO filter is a code prefix: "5" all service and sales work, "52"
    sales workers, "522" shop salespersons."""
    if not can_read(viewer):
        return Vacancy.objects.none()
    filters = filters or VacancyFilters()
    qs = Vacancy.objects.select_related("employer", "location")
    if filters.status and filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.isco:
        if not ISCO_PREFIX.match(filters.isco):
            return Vacancy.objects.none()
        qs = qs.filter(isco_code__startswith=filters.isco)
    if filters.municipality.strip():
        qs = qs.filter(location__municipality__iexact=filters.municipality.strip())
    if filters.working_time:
        qs = qs.filter(_working_time(filters.working_time))
    if filters.language:
        code = filters.language.strip().lower()
        if not LANGUAGE_CODE.match(code):
            return Vacancy.objects.none()
        # JSON lists are matched as text: SQLite has no JSON containment lookup.
        qs = qs.filter(languages__icontains=f'"{code}"')
    if filters.employer is not None:
        qs = qs.filter(employer_id=filters.employer)
    if filters.open_on is not None:
        qs = qs.filter(status=VacancyStatus.OPEN).filter(
            Q(deadline__isnull=True) | Q(deadline__gte=filters.open_on)
        )
    for word in filters.text.split():
        qs = qs.filter(Q(title__icontains=word) | Q(employer__name__icontains=word))
    return qs.order_by(F("deadline").asc(nulls_last=True), "title", "pk")


def vacancy_get(viewer: Membership | None, vacancy_id: uuid.UUID | str) -> Vacancy:
    """One vacancy; Vacancy.DoesNotExist when there is none or the viewer may not read the
    register."""
    if not can_read(viewer):
        raise Vacancy.DoesNotExist
    return Vacancy.objects.select_related("employer", "location", "created_by__user").get(
        pk=vacancy_id
    )
