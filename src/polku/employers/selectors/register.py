"""Reads of employers: the filtered list, one employer, and what an employer's page shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from polku.core import disclosure
from polku.core.models import Membership
from polku.core.validators import normalise_business_id, normalise_swedish_org_number
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
    Vacancy,
    VacancyStatus,
)
from polku.employers.permissions import can_read

RECENT_CONTACTS = 10


@dataclass(frozen=True)
class EmployerFilters:
    """What the list page and the API filter by; empty values filter nothing."""

    text: str = ""
    industry: str = ""
    size_class: str = ""
    social_enterprise: bool | None = None
    municipality: str = ""
    # True: active employers only; False: inactive only; None: both.
    active: bool | None = True


def _text_query(text: str) -> Q:
    """Every word in the name, or the text as (part of) a Business ID / organisation number."""
    by_name = Q()
    for word in text.split():
        by_name &= Q(name__icontains=word)
    query = by_name | Q(business_id__icontains=text)
    for normalise in (normalise_business_id, normalise_swedish_org_number):
        try:
            query |= Q(business_id=normalise(text))
        except ValidationError:
            continue
    return query


def employers_visible_to(
    viewer: Membership | None, *, filters: EmployerFilters | None = None
) -> QuerySet[Employer]:
    """Employers matching `filters`, by name, each with its workplaces, the number of its open
    vacancies (deadline not passed) and the date of the latest contact with it."""
    if not can_read(viewer):
        return Employer.objects.none()
    filters = filters or EmployerFilters()
    qs = Employer.objects.all()
    text = filters.text.strip()
    if text:
        qs = qs.filter(_text_query(text))
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.social_enterprise is not None:
        qs = qs.filter(is_social_enterprise=filters.social_enterprise)
    if filters.municipality.strip():
        workplaces = EmployerLocation.objects.filter(
            municipality__iexact=filters.municipality.strip()
        )
        qs = qs.filter(pk__in=workplaces.values("employer"))
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    today = timezone.localdate()
    # Subqueries rather than joins: two joined aggregates would multiply each other.
    open_vacancies = (
        Vacancy.objects.filter(employer=OuterRef("pk"), status=VacancyStatus.OPEN)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .order_by()
        .values("employer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    last_contact = (
        EmployerInteraction.objects.filter(employer=OuterRef("pk"))
        .order_by()
        .values("employer")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    return (
        qs.annotate(
            open_vacancies=Coalesce(Subquery(open_vacancies), 0),
            last_contact=Subquery(last_contact),
        )
        .prefetch_related(
            Prefetch("locations", queryset=EmployerLocation.objects.order_by("municipality"))
        )
        .order_by("name", "pk")
    )


def employer_get(viewer: Membership | None, employer_id: uuid.UUID | str) -> Employer:
    """One employer; Employer.DoesNotExist when there is none or the viewer may not read the
    register (the same answer for both)."""
    if not can_read(viewer):
        raise Employer.DoesNotExist
    return Employer.objects.select_related("registered_by", "created_by__user").get(pk=employer_id)


@dataclass(frozen=True)
class EmployerPage:
    """What an employer's page shows besides the employer's own facts."""

    locations: list[EmployerLocation]
    people: list[EmployerPerson]
    recent_contacts: list[EmployerInteraction]
    contact_count: int
    vacancies: list[Vacancy]
    agreements: list[EmployerAgreement]
    # Programme clients hired: a count of placements only, never who (client data, ips app),
    # as it may be shown (`placements_shown`).
    placement_count: str


def employer_page(viewer: Membership | None, employer: Employer) -> EmployerPage:
    """The employer's workplaces, people, latest contacts, vacancies (open ones first),
    services agreed, and how many placements of programme clients it has made (1–4 as
    "<5")."""
    if not can_read(viewer):
        raise Employer.DoesNotExist
    contacts = EmployerInteraction.objects.filter(employer=employer)
    vacancies = (
        Vacancy.objects.filter(employer=employer)
        .select_related("location")
        .order_by(
            # Open first, then drafts, then filled and closed; the nearest deadline first.
            Case(
                When(status=VacancyStatus.OPEN, then=Value(0)),
                When(status=VacancyStatus.DRAFT, then=Value(1)),
                default=Value(2),
            ),
            F("deadline").asc(nulls_last=True),
            "title",
        )
    )
    return EmployerPage(
        locations=list(employer.locations.all()),
        people=list(employer.people.all()),
        recent_contacts=list(
            contacts.select_related("specialist__user", "organisation", "person").order_by(
                "-date", "-created_at"
            )[:RECENT_CONTACTS]
        ),
        contact_count=contacts.count(),
        vacancies=list(vacancies),
        agreements=list(
            EmployerAgreement.objects.filter(employer=employer)
            .select_related("organisation", "agreed_by__user")
            .order_by("-start_date", "-created_at")
        ),
        placement_count=placements_shown(employer.placements.count()),
    )


def placements_shown(count: int) -> str:
    """An employer's number of placements of programme clients as every register reader may
    see it: exact when 0 or 5 or more, else "<5" (`core.disclosure`), since a small employer's
    one placement would tell a colleague who knows the client where they work."""
    return disclosure.protect([], count)[1]


def municipalities(viewer: Membership | None) -> list[str]:
    """The municipalities of the register's workplaces, for a filter's choices."""
    if not can_read(viewer):
        return []
    names = EmployerLocation.objects.values_list("municipality", flat=True).distinct()
    return sorted({name.strip() for name in names if name.strip()}, key=str.casefold)


def active_employers(viewer: Membership | None) -> QuerySet[Employer]:
    """Active employers by name: a picker's choices."""
    if not can_read(viewer):
        return Employer.objects.none()
    return Employer.objects.filter(is_active=True).order_by("name", "pk")


def recently_contacted(viewer: Membership | None, *, limit: int = 8) -> list[Employer]:
    """The active employers the viewer contacted most recently, latest first."""
    if not can_read(viewer):
        return []
    assert viewer is not None
    latest = (
        EmployerInteraction.objects.filter(specialist=viewer, employer__is_active=True)
        .values("employer")
        .annotate(latest=Max("date"))
        .order_by("-latest")[:limit]
    )
    order = [row["employer"] for row in latest]
    found = Employer.objects.in_bulk(order)
    return [found[pk] for pk in order if pk in found]
