"""The catalogue's REST endpoints and management commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from polku.core.models import AccessLogEntry
from polku.core.roles import Role
from polku.plans import hsds
from polku.plans.models import Service, ServiceKind, ServiceStatus
from tests.api.test_api import api_for
from tests.factories import MembershipFactory
from tests.plans.test_catalogue_services import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_services_list_filters_like_the_page() -> None:
    api = api_for(MembershipFactory(role=Role.EMPLOYER_LIAISON))
    debt = ServiceFactory(kind=ServiceKind.DEBT_COUNSELLING, languages=["fi", "so"])
    coach = ServiceFactory(name_en="Coaching club", kind=ServiceKind.JOB_COACHING, languages=["sv"])
    closed = ServiceFactory(status=ServiceStatus.INACTIVE)
    office = LocationFactory(organisation=debt.organisation)
    debt.at_locations.create(location=office)

    def ids(query: str = "") -> list[int]:
        response = api.get(f"/api/v1/services/{query}")
        assert response.status_code == 200, response.content
        return sorted(item["id"] for item in response.json()["results"])

    assert ids() == sorted([debt.pk, coach.pk])
    assert ids("?kind=debt_counselling") == [debt.pk]
    assert ids("?language=so") == [debt.pk]
    assert ids(f"?organisation={coach.organisation_id}") == [coach.pk]
    assert ids("?active=false") == [closed.pk]
    assert ids("?q=club") == [coach.pk]
    detail = api.get(f"/api/v1/services/{debt.pk}/").json()
    assert detail["locations"] == [office.pk]
    assert detail["main_category"] == "employment"
    assert detail["referral_categories"] == ["employment"]
    assert api.get(f"/api/v1/services/{closed.pk}/").status_code == 200
    assert api.get("/api/v1/services/?active=maybe").status_code == 400
    assert AccessLogEntry.objects.count() == 0


def test_services_are_read_only() -> None:
    api = api_for(MembershipFactory(role=Role.COORDINATOR))
    assert api.post("/api/v1/services/", {}, format="json").status_code == 405


def test_locations_list_and_filter() -> None:
    api = api_for(MembershipFactory(role=Role.EVALUATOR))
    here = LocationFactory(name="Kallio office")
    LocationFactory(name="Espoo office")
    response = api.get("/api/v1/locations/?q=kallio").json()
    assert [item["id"] for item in response["results"]] == [here.pk]
    response = api.get(f"/api/v1/locations/?organisation={here.organisation_id}").json()
    assert [item["name"] for item in response["results"]] == ["Kallio office"]


def test_hsds_json_export_through_the_api() -> None:
    ServiceFactory(name_fi="Työkokeilu")
    api = api_for(MembershipFactory(role=Role.AUDITOR))
    response = api.get("/api/v1/catalogue/hsds/")
    assert response.status_code == 200
    assert response.json() == json.loads(hsds.export_json())


def test_the_api_needs_a_token() -> None:
    assert APIClient().get("/api/v1/services/").status_code == 401


def test_import_command_reports_errors_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "services.csv"
    bad.write_text("id,organization_id,name\nnope,also-nope,X\n")
    with pytest.raises(CommandError) as error:
        call_command("catalogue_import", str(bad))
    assert error.value.returncode == 1
    err = capsys.readouterr().err
    assert "services.csv, line 2, id: Not a UUID: nope." in err
    assert "services.csv, line 2, organization_id: Not a UUID: also-nope." in err
    assert Service.objects.count() == 0


def test_export_then_dry_run_then_import_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ServiceFactory(name_fi="Velkaneuvonta")
    target = tmp_path / "catalogue.zip"
    call_command("catalogue_export", str(target))
    assert target.read_bytes() == hsds.export_zip()
    Service.objects.all().delete()
    capsys.readouterr()
    call_command("catalogue_import", str(target), "--dry-run")
    out = capsys.readouterr().out
    assert "services: 1 created, 0 updated, 0 unchanged" in out
    assert "Dry run: nothing was written." in out
    assert Service.objects.count() == 0
    call_command("catalogue_import", str(target))
    assert Service.objects.values_list("name_fi", flat=True).get() == "Velkaneuvonta"


def test_json_export_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    ServiceFactory()
    call_command("catalogue_export", "-", "--format", "json")
    assert json.loads(capsys.readouterr().out) == json.loads(hsds.export_json())
