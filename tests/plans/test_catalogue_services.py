"""Catalogue writes: who may change an organisation's services and locations, validation, audit.

The factories here are shared by the other catalogue test modules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from polku.core.models import Membership
from polku.core.roles import Role
from polku.plans.models import Location, Service, ServiceAtLocation, ServiceKind, ServiceStatus
from polku.plans.services import catalogue as services
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name_fi = factory.Sequence(lambda n: f"Palvelu {n}")
    name_sv = factory.Sequence(lambda n: f"Tjänst {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    description_fi = "Kuvaus"
    eligibility_fi = "Kaikille"
    kind = ServiceKind.JOB_COACHING
    languages = factory.LazyFunction(lambda: ["fi", "en"])
    referral_categories = factory.LazyFunction(lambda: ["employment"])


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    address = "Työpajankatu 1"
    postal_code = "00580"
    city = "Helsinki"


def member(role: str = Role.COORDINATOR, **kwargs: Any) -> Membership:
    return MembershipFactory(role=role, **kwargs)


def service_values(**overrides: Any) -> dict[str, Any]:
    return {
        "name_fi": "Velkaneuvonta",
        "name_sv": "Skuldrådgivning",
        "name_en": "Debt counselling",
        "kind": ServiceKind.DEBT_COUNSELLING,
        "languages": ["FI", " sv ", "fi"],
        "phone": "09 310 1234",
        "expected_response_days": 10,
        "referral_categories": ["benefits"],
    } | overrides


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORGANISATION_ADMIN])
def test_coordinators_and_admins_add_services_of_their_organisation(role: str) -> None:
    actor = member(role)
    service = services.service_save(
        actor=actor, organisation=actor.organisation, **service_values()
    )
    assert Service.objects.values_list("name_fi", "name_sv", "name_en").get() == (
        "Velkaneuvonta",
        "Skuldrådgivning",
        "Debt counselling",
    )
    assert service.languages == ["fi", "sv"]
    assert service.referral_categories == ["benefits"]
    assert service.status == ServiceStatus.ACTIVE
    entry = LogEntry.objects.get_for_object(service).get()
    assert entry.actor == actor.user


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.EMPLOYMENT_SPECIALIST, Role.EVALUATOR, Role.AUDITOR],
)
def test_other_roles_may_not_change_the_catalogue(role: str) -> None:
    actor = member(role)
    existing = ServiceFactory(organisation=actor.organisation)
    with pytest.raises(PermissionDenied):
        services.service_save(actor=actor, organisation=actor.organisation, **service_values())
    with pytest.raises(PermissionDenied):
        services.service_deactivate(actor=actor, service=existing)
    assert Service.objects.count() == 1
    assert Service.objects.get().status == ServiceStatus.ACTIVE


def test_a_coordinator_may_not_change_another_organisations_service() -> None:
    actor = member()
    theirs = ServiceFactory()
    with pytest.raises(PermissionDenied):
        services.service_save(
            actor=actor, service=theirs, organisation=theirs.organisation, **service_values()
        )
    with pytest.raises(PermissionDenied):
        # Nor move it into their own organisation.
        services.service_save(
            actor=actor, service=theirs, organisation=actor.organisation, **service_values()
        )
    theirs.refresh_from_db()
    assert theirs.name_en.startswith("Service ")
    assert theirs.organisation_id != actor.organisation_id


def test_an_expired_membership_may_not_edit() -> None:
    import datetime as dt

    actor = member(valid_until=dt.date(2020, 1, 1), valid_from=dt.date(2019, 1, 1))
    with pytest.raises(PermissionDenied):
        services.service_save(actor=actor, organisation=actor.organisation, **service_values())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_fi": "", "name_sv": " ", "name_en": ""}, "name_fi"),
        ({"referral_categories": []}, "referral_categories"),
        ({"referral_categories": ["gossip"]}, "referral_categories"),
        ({"languages": ["finnish"]}, "languages"),
        ({"expected_response_days": 400}, "expected_response_days"),
        ({"email": "not an address"}, "email"),
        ({"kind": "astrology"}, "kind"),
    ],
)
def test_invalid_values_are_refused_by_field_and_nothing_is_saved(
    overrides: dict[str, Any], field: str
) -> None:
    actor = member()
    with pytest.raises(ValidationError) as error:
        services.service_save(
            actor=actor, organisation=actor.organisation, **service_values(**overrides)
        )
    assert field in error.value.message_dict
    assert Service.objects.count() == 0


def test_locations_are_set_and_must_be_the_organisations_own() -> None:
    actor = member()
    here, there = LocationFactory(organisation=actor.organisation), LocationFactory()
    service = services.service_save(
        actor=actor, organisation=actor.organisation, locations=[here], **service_values()
    )
    assert [link.location for link in service.at_locations.all()] == [here]
    with pytest.raises(ValidationError) as error:
        services.service_save(
            actor=actor,
            service=service,
            organisation=actor.organisation,
            locations=[here, there],
            **service_values(),
        )
    assert "locations" in error.value.message_dict
    services.service_save(
        actor=actor,
        service=service,
        organisation=actor.organisation,
        locations=[],
        **service_values(),
    )
    assert ServiceAtLocation.objects.count() == 0


def test_deactivate_and_activate_again() -> None:
    actor = member(Role.ORGANISATION_ADMIN)
    service = ServiceFactory(organisation=actor.organisation)
    services.service_deactivate(actor=actor, service=service)
    assert Service.objects.get().status == ServiceStatus.INACTIVE
    services.service_activate(actor=actor, service=service)
    assert Service.objects.get().status == ServiceStatus.ACTIVE


def test_location_save_checks_coordinates_and_permission() -> None:
    actor = member()
    location = services.location_save(
        actor=actor,
        organisation=actor.organisation,
        name=" Itäkeskus office ",
        country="se",
        latitude=Decimal("60.21"),
        longitude=Decimal("25.08"),
    )
    location.refresh_from_db()
    assert (location.name, location.country, location.latitude) == (
        "Itäkeskus office",
        "SE",
        Decimal("60.210000"),
    )
    with pytest.raises(ValidationError) as error:
        services.location_save(
            actor=actor,
            location=location,
            organisation=actor.organisation,
            name="X",
            latitude=Decimal("91"),
        )
    assert "latitude" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.location_save(
            actor=member(), location=location, organisation=location.organisation, name="Y"
        )
    location.refresh_from_db()
    assert location.name == "Itäkeskus office"


@pytest.mark.parametrize(
    ("role", "superuser", "allowed"),
    [
        (Role.ORGANISATION_ADMIN, False, True),
        (Role.COORDINATOR, False, False),
        (Role.SOCIAL_WORKER, False, False),
        (Role.COORDINATOR, True, True),
    ],
)
def test_who_may_import(role: str, superuser: bool, allowed: bool) -> None:
    actor = member(role, user=UserFactory(is_superuser=superuser))
    assert services.can_import_catalogue(actor) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.catalogue_import(actor=actor, data=b"{}", filename="x.json")


def test_an_organisation_admin_imports_only_their_own_organisations_records() -> None:
    admin = member(Role.ORGANISATION_ADMIN)
    other = OrganisationFactory()
    own_org = str(admin.organisation.hsds_id)
    csv_text = (
        "id,organization_id,name\r\n"
        f"4f0c3f57-3f4c-4a39-8a47-1d1b8f8d0001,{own_org},Ours\r\n"
        f"4f0c3f57-3f4c-4a39-8a47-1d1b8f8d0002,{other.hsds_id},Theirs\r\n"
    )
    report = services.catalogue_import(actor=admin, data=csv_text.encode(), filename="services.csv")
    assert [str(e) for e in report.errors] == [
        "services.csv, line 3, organization_id: You may import only your own organisation's "
        "records."
    ]
    assert Service.objects.count() == 0
    report = services.catalogue_import(
        actor=admin, data=csv_text.encode().rsplit(b"\r\n", 2)[0] + b"\r\n", filename="services.csv"
    )
    assert report.errors == []
    service = Service.objects.get()
    assert Service.objects.values_list("name_fi", "organisation").get() == (
        "Ours",
        admin.organisation_id,
    )
    assert LogEntry.objects.get_for_object(service).get().actor == admin.user


def test_an_organisation_admin_cannot_take_over_another_organisations_service() -> None:
    admin = member(Role.ORGANISATION_ADMIN)
    theirs = ServiceFactory()
    csv_text = f"id,organization_id,name\r\n{theirs.hsds_id},{admin.organisation.hsds_id},Mine\r\n"
    report = services.catalogue_import(actor=admin, data=csv_text.encode(), filename="services.csv")
    assert [str(e) for e in report.errors] == [
        "services.csv, line 2, id: A record with this id belongs to another organisation."
    ]
    theirs.refresh_from_db()
    assert theirs.organisation_id != admin.organisation_id
