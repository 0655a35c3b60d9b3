"""Catalogue pages: browsing and filters, the service page, editing, import and export."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient

from polku.core.models import AccessLogEntry
from polku.core.roles import Role
from polku.plans import hsds
from polku.plans.models import Service, ServiceKind, ServiceStatus
from tests.factories import MembershipFactory
from tests.plans.test_catalogue_services import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.EVALUATOR, Role.AUDITOR])
def test_every_staff_member_browses_and_filters_the_catalogue(role: str, login: Login) -> None:
    viewer = MembershipFactory(role=role)
    debt = ServiceFactory(
        organisation__name="Velkalinja ry",
        name_en="Debt advice",
        kind=ServiceKind.DEBT_COUNSELLING,
        languages=["fi", "so"],
    )
    coach = ServiceFactory(name_en="Coaching club", kind=ServiceKind.JOB_COACHING, languages=["sv"])
    closed = ServiceFactory(name_en="Old course", status=ServiceStatus.INACTIVE)
    http = login(viewer)

    def found(**params: str) -> set[str]:
        response = http.get("/catalogue/", params)
        assert response.status_code == 200
        page = response.content.decode()
        return {s.name_en for s in (debt, coach, closed) if s.name_en in page}

    assert found() == {"Debt advice", "Coaching club"}
    assert found(kind="debt_counselling") == {"Debt advice"}
    assert found(language="so") == {"Debt advice"}
    assert found(q="coaching") == {"Coaching club"}
    assert found(q="velkalinja") == {"Debt advice"}
    assert found(organisation=str(coach.organisation_id)) == {"Coaching club"}
    assert found(status="inactive") == {"Old course"}
    assert found(status="all") == {"Debt advice", "Coaching club", "Old course"}
    # Not personal data: browsing leaves nothing in the read-access log.
    assert AccessLogEntry.objects.count() == 0


def test_the_catalogue_needs_a_membership(client: HttpClient) -> None:
    assert client.get("/catalogue/").status_code == 302  # to sign-in


def test_the_service_page_shows_what_a_referrer_needs(login: Login) -> None:
    viewer = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    service = ServiceFactory(
        name_en="Debt advice",
        description_en="We help with debts.",
        eligibility_en="Adults in Helsinki",
        languages=["fi", "sv"],
        phone="09 123",
        email="debt@example.invalid",
        schedule="Mon–Fri 9–15",
        fees="Free of charge",
        expected_response_days=5,
        referral_categories=["benefits", "social"],
    )
    office = LocationFactory(organisation=service.organisation, name="Itäkeskus office")
    service.at_locations.create(location=office)
    page = login(viewer).get(f"/catalogue/{service.pk}/").content.decode()
    for text in (
        "Debt advice",
        service.organisation.name_en,
        "We help with debts.",
        "Adults in Helsinki",
        "Finnish, Swedish",
        "09 123",
        "debt@example.invalid",
        "Mon–Fri 9–15",
        "Free of charge",
        "5 days from a referral to the first contact with the client",
        "Identity and contact details, benefits, social",
        "Itäkeskus office",
    ):
        assert text in page
    assert f"/catalogue/{service.pk}/edit/" not in page  # not an editor
    assert "To refer a client, open the client's page from the" in page
    assert login(viewer).get("/catalogue/999999/").status_code == 404


def test_the_referral_hint_is_for_those_who_work_with_clients(login: Login) -> None:
    service = ServiceFactory()
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    page = login(admin).get(f"/catalogue/{service.pk}/").content.decode()
    assert "To refer a client" not in page


def test_an_editor_adds_and_edits_a_service_with_field_errors(login: Login) -> None:
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    office = LocationFactory(organisation=coordinator.organisation, name="Main office")
    http = login(coordinator)
    form = http.get("/catalogue/new/").content.decode()
    assert "Main office" in form
    response = http.post(
        "/catalogue/new/",
        {"name_fi": "", "kind": "housing", "expected_response_days": "400", "languages": "xx1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_expected_response_days_error' in page or (
        "id_expected_response_days_error" in page
    )
    assert "Give the service&#x27;s name in at least one language." in page
    assert Service.objects.count() == 0
    response = http.post(
        "/catalogue/new/",
        {
            "name_fi": "Asumisneuvonta",
            "name_en": "Housing advice",
            "kind": "housing",
            "expected_response_days": "10",
            "languages": "fi, EN",
            "referral_categories": ["social"],
            "accepts_referrals": "on",
            "locations": [str(office.pk)],
        },
    )
    service = Service.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/{service.pk}/"
    assert (service.organisation, service.languages) == (coordinator.organisation, ["fi", "en"])
    assert [link.location for link in service.at_locations.all()] == [office]
    edit = http.get(f"/catalogue/{service.pk}/edit/").content.decode()
    assert 'value="Asumisneuvonta"' in edit
    assert 'value="fi, en"' in edit
    http.post(f"/catalogue/{service.pk}/status/", {"status": "inactive"})
    assert Service.objects.get().status == ServiceStatus.INACTIVE


def test_non_editors_get_403_on_edit_pages(login: Login) -> None:
    service = ServiceFactory()
    other_org_coordinator = MembershipFactory(role=Role.COORDINATOR)
    social_worker = MembershipFactory(role=Role.SOCIAL_WORKER, organisation=service.organisation)
    for member in (other_org_coordinator, social_worker):
        http = login(member)
        assert http.get(f"/catalogue/{service.pk}/edit/").status_code == 403
        assert (
            http.post(f"/catalogue/{service.pk}/status/", {"status": "inactive"}).status_code == 403
        )
    assert http.get("/catalogue/new/").status_code == 403  # the social worker's session
    assert Service.objects.get().status == ServiceStatus.ACTIVE


def test_an_editor_adds_a_location(login: Login) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    http = login(admin)
    response = http.post(
        "/catalogue/locations/new/",
        {"name": "Kallio", "country": "fi", "latitude": "60.18", "longitude": "24.95"},
    )
    assert response.status_code == 302
    location = admin.organisation.locations.get()
    assert (location.name, location.country) == ("Kallio", "FI")


def test_export_downloads_zip_and_json(login: Login) -> None:
    ServiceFactory(name_fi="Työhönvalmennus")
    http = login(MembershipFactory(role=Role.EVALUATOR))
    response = http.get("/catalogue/export/")
    assert response["Content-Type"] == "application/zip"
    assert response.content == hsds.export_zip()
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "Työhönvalmennus" in archive.read("services.csv").decode()
    response = http.get("/catalogue/export/?format=json")
    assert json.loads(response.content)["services"][0]["polku_name_fi"] == "Työhönvalmennus"


def _upload(http: HttpClient, data: bytes, name: str) -> str:
    upload = io.BytesIO(data)
    upload.name = name
    return http.post("/catalogue/import/", {"file": upload}).content.decode()


def test_import_previews_the_changes_then_imports_on_confirmation(login: Login) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    existing = ServiceFactory(organisation=admin.organisation, name_fi="Vanha nimi")
    org_id = admin.organisation.hsds_id
    text = (
        "id,organization_id,name,polku_name_fi\r\n"
        f"{existing.hsds_id},{org_id},Uusi nimi,Uusi nimi\r\n"
        f"7d7f5d7a-0000-4000-8000-000000000001,{org_id},Uusi palvelu,Uusi palvelu\r\n"
    )
    http = login(admin)
    page = _upload(http, text.encode(), "services.csv")
    assert "Nothing has been saved yet" in page
    assert "Uusi palvelu" in page
    assert "Vanha nimi" in page  # the diff: old → new
    assert Service.objects.count() == 1
    token = page.split('name="token" value="')[1].split('"')[0]
    response = http.post("/catalogue/import/", {"token": token})
    assert response.status_code == 302
    assert sorted(Service.objects.values_list("name_fi", flat=True)) == [
        "Uusi nimi",
        "Uusi palvelu",
    ]
    # The stashed file is gone: confirming twice does not import twice.
    response = http.post("/catalogue/import/", {"token": token}, follow=True)
    assert "The uploaded file has expired" in response.content.decode()


def test_import_shows_every_error_and_writes_nothing(login: Login) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    text = f"id,organization_id,name\r\nbad,{admin.organisation.hsds_id},X\r\n"
    page = _upload(login(admin), text.encode(), "services.csv")
    assert "services.csv, line 2, id: Not a UUID: bad." in page
    assert 'name="token"' not in page
    assert Service.objects.count() == 0


def test_a_confirmation_token_works_only_in_the_session_that_uploaded(
    login: Login, client: HttpClient
) -> None:
    admin = MembershipFactory(role=Role.ORGANISATION_ADMIN)
    text = (
        "id,organization_id,name\r\n"
        f"7d7f5d7a-0000-4000-8000-000000000001,{admin.organisation.hsds_id},X\r\n"
    )
    page = _upload(login(admin), text.encode(), "services.csv")
    token = page.split('name="token" value="')[1].split('"')[0]
    intruder = login(MembershipFactory(role=Role.ORGANISATION_ADMIN), HttpClient())
    intruder.post("/catalogue/import/", {"token": token})
    assert Service.objects.count() == 0


def test_only_admins_reach_the_import_page(login: Login) -> None:
    assert (
        login(MembershipFactory(role=Role.COORDINATOR)).get("/catalogue/import/").status_code == 403
    )


def test_the_navigation_links_the_catalogue(login: Login) -> None:
    page = login(MembershipFactory(role=Role.AUDITOR)).get("/catalogue/").content.decode()
    assert '<a href="/catalogue/" aria-current="page">Service catalogue</a>' in page
