"""Reads of the service catalogue.

The catalogue holds no personal data: every staff member acting through an active membership
may read all of it, and nothing is written to the read-access log. The viewer is still the
first argument, as in every selector, so a signed-out or membership-less caller gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from polku.core.models import Membership
from polku.plans.hsds import LANGUAGE_CODE, LANGUAGES
from polku.plans.models import Location, Service, ServiceAtLocation, ServiceStatus


@dataclass(frozen=True)
class ServiceFilters:
    """What the catalogue page and the API filter by; empty values filter nothing."""

    kind: str = ""
    language: str = ""
    organisation: int | None = None
    text: str = ""
    # True: active services only; False: inactive only; None: both.
    active: bool | None = True


def _may_read(viewer: Membership | None) -> bool:
    return viewer is not None and viewer.is_active()


def _text_filter(text: str, *fields: str) -> Q:
    query = Q()
    for word in text.split():
        any_field = Q()
        for name in fields:
            for lang in LANGUAGES:
                any_field |= Q(**{f"{name}_{lang}__icontains": word})
        query &= any_field
    return query


def services_visible_to(
    viewer: Membership | None, *, filters: ServiceFilters | None = None
) -> QuerySet[Service]:
    """The catalogue's services matching `filters`, with their organisation, ordered by name.

    Text matches every word in the name, description or eligibility (any language) or the
    organisation's name; language is an ISO 639-1 code the service is offered in.
    """
    if not _may_read(viewer):
        return Service.objects.none()
    filters = filters or ServiceFilters()
    qs = Service.objects.select_related("organisation")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.language:
        code = filters.language.strip().lower()
        if not LANGUAGE_CODE.match(code):
            return Service.objects.none()
        # JSON lists are matched as text: SQLite has no JSON containment lookup.
        qs = qs.filter(languages__icontains=f'"{code}"')
    if filters.organisation is not None:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.active is not None:
        status = ServiceStatus.ACTIVE if filters.active else ServiceStatus.INACTIVE
        qs = qs.filter(status=status)
    if filters.text.strip():
        qs = qs.filter(
            _text_filter(filters.text, "name", "description", "eligibility", "organisation__name")
        )
    return qs.order_by("name", "pk")


def service_get(viewer: Membership | None, service_id: int) -> Service:
    """One service with its organisation and locations; raises Service.DoesNotExist."""
    if not _may_read(viewer):
        raise Service.DoesNotExist
    links = ServiceAtLocation.objects.select_related("location").order_by("location__name")
    return (
        Service.objects.select_related("organisation")
        .prefetch_related(Prefetch("at_locations", queryset=links))
        .get(pk=service_id)
    )


def locations_visible_to(
    viewer: Membership | None, *, organisation: int | None = None, text: str = ""
) -> QuerySet[Location]:
    """The catalogue's locations, optionally of one organisation or matching every word of
    `text` in the name, address or city."""
    if not _may_read(viewer):
        return Location.objects.none()
    qs = Location.objects.select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation)
    for word in text.split():
        qs = qs.filter(
            Q(name__icontains=word) | Q(address__icontains=word) | Q(city__icontains=word)
        )
    return qs.order_by("name", "pk")


def location_get(viewer: Membership | None, location_id: int) -> Location:
    if not _may_read(viewer):
        raise Location.DoesNotExist
    return Location.objects.select_related("organisation").get(pk=location_id)
