"""Writes to the service catalogue: services, locations, and HSDS imports.

The catalogue is not personal data, but what it says decides where clients are referred and
which of their data travels with a referral, so only the people responsible for an
organisation's offer change it: its organisation admins and coordinators. Every write is in
the change audit, attributed to the actor.

Imports (`catalogue_import`) are for organisation admins, who import their own organisation's
services and locations only; organisations themselves are not changed by their import. A
superuser acting through any membership — or the operator at the command line (`actor=None`,
`polku catalogue-import`) — imports the whole catalogue, organisations included, which is what
loading a city's directory or restoring an export needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.core import audit, roles
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.plans import hsds
from polku.plans.models import Location, Service, ServiceAtLocation, ServiceStatus

CATALOGUE_EDITORS = frozenset({roles.Role.ORGANISATION_ADMIN, roles.Role.COORDINATOR})
TRANSLATED = ("name", "description", "eligibility")


def can_edit_catalogue(actor: Membership, organisation: Organisation | int) -> bool:
    """May add and change `organisation`'s services and locations: its organisation admins
    and coordinators."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return actor.role in CATALOGUE_EDITORS and actor.organisation_id == org_id and actor.is_active()


def can_import_catalogue(actor: Membership) -> bool:
    """May import an HSDS file: organisation admins (their own organisation's records) and
    superusers (everything)."""
    return actor.is_active() and (
        actor.user.is_superuser or actor.role == roles.Role.ORGANISATION_ADMIN
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _normalised_languages(languages: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
    bad = [code for code in codes if not hsds.LANGUAGE_CODE.match(code)]
    if bad:
        raise ValidationError({"languages": _("Give ISO 639-1 language codes, e.g. fi, sv, en.")})
    return codes


def _checked_categories(categories: Iterable[str]) -> list[str]:
    values = list(dict.fromkeys(categories))
    if not values:
        raise ValidationError(
            {"referral_categories": _("Choose at least one data category a referral carries.")}
        )
    if any(value not in DataCategory.values for value in values):
        raise ValidationError({"referral_categories": _("Choose known data categories.")})
    return values


def _checked_locations(organisation: Organisation, locations: Iterable[Location]) -> list[Location]:
    chosen = list(locations)
    if any(location.organisation_id != organisation.pk for location in chosen):
        raise ValidationError(
            {"locations": _("Choose locations of the service's own organisation.")}
        )
    return chosen


@transaction.atomic
def service_save(
    *,
    actor: Membership,
    service: Service | None = None,
    organisation: Organisation,
    name_fi: str = "",
    name_sv: str = "",
    name_en: str = "",
    description_fi: str = "",
    description_sv: str = "",
    description_en: str = "",
    eligibility_fi: str = "",
    eligibility_sv: str = "",
    eligibility_en: str = "",
    kind: str,
    languages: Iterable[str] = (),
    email: str = "",
    phone: str = "",
    url: str = "",
    schedule: str = "",
    fees: str = "",
    expected_response_days: int = 14,
    referral_categories: Iterable[str] = (),
    accepts_referrals: bool = True,
    locations: Iterable[Location] | None = None,
) -> Service:
    """Create a service of `organisation` (when `service` is None) or change one.

    `locations`, when given, become the places the service is offered at (links to others are
    removed). Raises PermissionDenied unless the actor may edit both the service's current
    organisation and `organisation`; ValidationError (by field) for invalid values, with
    nothing changed.
    """
    _require(can_edit_catalogue(actor, organisation))
    if service is not None:
        _require(can_edit_catalogue(actor, service.organisation_id))
    else:
        service = Service()
    values = {
        "name_fi": name_fi,
        "name_sv": name_sv,
        "name_en": name_en,
        "description_fi": description_fi,
        "description_sv": description_sv,
        "description_en": description_en,
        "eligibility_fi": eligibility_fi,
        "eligibility_sv": eligibility_sv,
        "eligibility_en": eligibility_en,
    }
    if not any(value.strip() for value in (name_fi, name_sv, name_en)):
        raise ValidationError({"name_fi": _("Give the service's name in at least one language.")})
    for name, value in values.items():
        # Empty translations are stored as null, so the page falls back to another language.
        setattr(service, name, value.strip() or None)
    service.organisation = organisation
    service.kind = kind
    service.languages = _normalised_languages(languages)
    service.email = email.strip()
    service.phone = phone.strip()
    service.url = url.strip()
    service.schedule = schedule.strip()
    service.fees = fees.strip()
    service.expected_response_days = expected_response_days
    service.referral_categories = _checked_categories(referral_categories)
    service.accepts_referrals = accepts_referrals
    chosen = None if locations is None else _checked_locations(organisation, locations)
    service.full_clean(exclude=["hsds_id"])
    with audit.acting(actor):
        service.save()
        if chosen is not None:
            _set_locations(service, chosen)
    return service


def _set_locations(service: Service, locations: list[Location]) -> None:
    wanted = {location.pk for location in locations}
    for link in ServiceAtLocation.objects.filter(service=service).exclude(location__in=wanted):
        link.delete()  # one by one, so the change audit records each
    have = set(
        ServiceAtLocation.objects.filter(service=service).values_list("location_id", flat=True)
    )
    for location in locations:
        if location.pk not in have:
            ServiceAtLocation.objects.create(service=service, location=location)


def _set_status(actor: Membership, service: Service, status: str) -> Service:
    _require(can_edit_catalogue(actor, service.organisation_id))
    if service.status != status:
        service.status = status
        with audit.acting(actor):
            service.save(update_fields=["status", "updated_at"])
    return service


@transaction.atomic
def service_deactivate(*, actor: Membership, service: Service) -> Service:
    """Take a service out of the catalogue's active offer: it no longer shows by default and
    accepts no new referrals; existing referrals and the record stay."""
    return _set_status(actor, service, ServiceStatus.INACTIVE)


@transaction.atomic
def service_activate(*, actor: Membership, service: Service) -> Service:
    """Bring a deactivated service back into the active offer."""
    return _set_status(actor, service, ServiceStatus.ACTIVE)


@transaction.atomic
def location_save(
    *,
    actor: Membership,
    location: Location | None = None,
    organisation: Organisation,
    name: str,
    address: str = "",
    postal_code: str = "",
    city: str = "",
    country: str = "FI",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accessibility: str = "",
    is_virtual: bool = False,
) -> Location:
    """Create a location of `organisation` (when `location` is None) or change one.

    Raises PermissionDenied unless the actor may edit the location's organisation, and
    ValidationError (by field) for invalid values.
    """
    _require(can_edit_catalogue(actor, organisation))
    if location is not None:
        _require(can_edit_catalogue(actor, location.organisation_id))
        if location.organisation_id != organisation.pk and location.services.exists():
            raise ValidationError(
                {"organisation": _("A location with services stays with its organisation.")}
            )
    else:
        location = Location()
    if not name.strip():
        raise ValidationError({"name": _("Give the location's name.")})
    location.organisation = organisation
    location.name = name.strip()
    location.address = address.strip()
    location.postal_code = postal_code.strip()
    location.city = city.strip()
    location.country = country.strip().upper()
    location.latitude = latitude
    location.longitude = longitude
    location.accessibility = accessibility.strip()
    location.is_virtual = is_virtual
    for field, limit in (("latitude", 90), ("longitude", 180)):
        value = getattr(location, field)
        if value is not None and not -limit <= value <= limit:
            raise ValidationError(
                {field: _("Give a value from -%(limit)d to %(limit)d.") % {"limit": limit}}
            )
    location.full_clean(exclude=["hsds_id"])
    with audit.acting(actor):
        location.save()
    return location


def catalogue_import(
    *, actor: Membership | None, data: bytes, filename: str = "", dry_run: bool = False
) -> hsds.ImportReport:
    """Import an HSDS zip (tabular) or JSON file into the catalogue.

    Every row is read and checked first; if any is invalid, the report lists every error
    ("file, line N, column: message") and nothing is written. Otherwise, unless `dry_run`,
    all changes are written in one transaction. The report says what was (or would be)
    created, updated and left unchanged.

    `actor` None is the operator at the command line, who may import everything. Raises
    PermissionDenied for a membership that may not import (see `can_import_catalogue`).
    """
    if actor is not None:
        _require(can_import_catalogue(actor))
    owner = None if actor is None or actor.user.is_superuser else actor.organisation
    source = hsds.read(data, filename)
    with transaction.atomic():
        importer, report = hsds.check_import(source, owner=owner)
        report.dry_run = dry_run
        if report.ok and not dry_run:
            if actor is None:
                importer.apply()
            else:
                with audit.acting(actor):
                    importer.apply()
            report.written = True
    return report
