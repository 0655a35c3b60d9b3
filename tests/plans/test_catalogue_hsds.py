"""HSDS export and import: round trip, atomicity, line-numbered errors, dry run, formats."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.core.categories import DataCategory
from polku.core.models import Organisation, OrganisationKind
from polku.plans import hsds
from polku.plans.models import Location, Service, ServiceAtLocation, ServiceKind, ServiceStatus
from polku.plans.services.catalogue import catalogue_import
from tests.factories import OrganisationFactory
from tests.plans.test_catalogue_services import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ORG_ID = "0e9c4a36-8c4e-4d6b-b7a1-000000000001"
SERVICE_ID = "0e9c4a36-8c4e-4d6b-b7a1-000000000002"


def build_catalogue() -> None:
    """Two organisations, services with every kind of value, locations, links."""
    city = OrganisationFactory(
        name_fi="Helsingin kaupunki",
        name_sv="Helsingfors stad",
        name_en="City of Helsinki",
        business_id="0201256-6",
        kind=OrganisationKind.MUNICIPAL_EMPLOYMENT,
        municipality="Helsinki",
    )
    provider = OrganisationFactory(
        name_fi="Sillat ry", name_sv=None, name_en=None, kind=OrganisationKind.SERVICE_PROVIDER
    )
    debt = ServiceFactory(
        organisation=city,
        name_fi="Talous- ja velkaneuvonta",
        name_sv="Ekonomi- och skuldrådgivning",
        name_en=None,
        description_fi='Monirivinen\r\nkuvaus, jossa "lainausmerkit" ja pilkku,',
        description_sv=None,
        description_en="Line one\nline two",
        eligibility_fi="Helsinkiläiset",
        kind=ServiceKind.DEBT_COUNSELLING,
        languages=["fi", "sv", "so"],
        email="velka@example.invalid",
        phone="+358 9 310 12345",
        url="https://example.invalid/velka",
        schedule="ma–pe 9–15",
        fees="Maksuton",
        expected_response_days=7,
        referral_categories=["benefits", "social"],
    )
    ServiceFactory(
        organisation=provider,
        name_fi="",
        name_sv=None,
        name_en="Work trial",
        description_fi="",
        eligibility_fi="",
        kind=ServiceKind.WORK_TRIAL,
        languages=[],
        status=ServiceStatus.INACTIVE,
        accepts_referrals=False,
        expected_response_days=0,
        referral_categories=["employment", "health"],
    )
    office = LocationFactory(
        organisation=city,
        name="Itäkeskus",
        latitude=Decimal("60.210000"),
        longitude=Decimal("25.081234"),
        accessibility="Esteetön sisäänkäynti",
    )
    online = LocationFactory(
        organisation=city,
        name="Verkossa",
        address="",
        postal_code="",
        city="",
        is_virtual=True,
        country="SE",
    )
    LocationFactory(organisation=provider, name="Workshop", latitude=None)
    ServiceAtLocation.objects.create(service=debt, location=office)
    ServiceAtLocation.objects.create(service=debt, location=online)


def empty_the_catalogue() -> None:
    ServiceAtLocation.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organisation.objects.all().delete()


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_export_has_the_hsds_tables_and_polku_columns() -> None:
    build_catalogue()
    files = unzip(hsds.export_zip())
    assert sorted(files) == sorted(["datapackage.json", *(f"{table}.csv" for table in hsds.TABLES)])
    package = json.loads(files["datapackage.json"])
    assert [r["path"] for r in package["resources"]] == [f"{t}.csv" for t in hsds.TABLES]
    services = list(csv.DictReader(io.StringIO(files["services.csv"], newline="")))
    debt = next(row for row in services if row["polku_kind"] == "debt_counselling")
    assert debt["name"] == "Talous- ja velkaneuvonta"
    assert debt["polku_name_sv"] == "Ekonomi- och skuldrådgivning"
    assert debt["polku_name_en"] == ""
    assert debt["polku_expected_response_days"] == "7"
    assert debt["polku_referral_categories"] == "benefits,social"
    assert debt["polku_accepts_referrals"] == "true"
    assert debt["description"] == 'Monirivinen\r\nkuvaus, jossa "lainausmerkit" ja pilkku,'
    # The English-only service is named in English where HSDS wants one name.
    trial = next(row for row in services if row["polku_kind"] == "work_trial")
    assert (trial["name"], trial["status"], trial["polku_name_fi"]) == (
        "Work trial",
        "inactive",
        "",
    )
    languages = list(csv.DictReader(io.StringIO(files["languages.csv"])))
    assert [(r["code"], r["name"]) for r in languages] == [
        ("fi", "Finnish"),
        ("sv", "Swedish"),
        ("so", "so"),
    ]
    assert len(list(csv.DictReader(io.StringIO(files["service_at_locations.csv"])))) == 2


def test_round_trip_into_an_empty_database_gives_identical_files() -> None:
    build_catalogue()
    first_zip, first_json = hsds.export_zip(), hsds.export_json()
    empty_the_catalogue()

    report = catalogue_import(actor=None, data=first_zip, filename="catalogue.zip")
    assert report.errors == []
    assert report.counts() == {
        "organizations": {"created": 2, "updated": 0, "unchanged": 0},
        "locations": {"created": 3, "updated": 0, "unchanged": 0},
        "services": {"created": 2, "updated": 0, "unchanged": 0},
        "service_at_locations": {"created": 2, "updated": 0, "unchanged": 0},
    }
    assert hsds.export_zip() == first_zip
    assert hsds.export_json() == first_json

    # Importing the same file again changes nothing.
    again = catalogue_import(actor=None, data=first_zip, filename="catalogue.zip")
    assert {t: c["unchanged"] for t, c in again.counts().items()} == {
        "organizations": 2,
        "locations": 3,
        "services": 2,
        "service_at_locations": 2,
    }
    assert all(c["created"] == c["updated"] == 0 for c in again.counts().values())


def test_json_round_trip_into_an_empty_database() -> None:
    build_catalogue()
    first_zip, first_json = hsds.export_zip(), hsds.export_json()
    empty_the_catalogue()
    report = catalogue_import(actor=None, data=first_json, filename="catalogue.json")
    assert report.errors == []
    assert hsds.export_json() == first_json
    assert hsds.export_zip() == first_zip


def test_the_json_export_nests_organisation_languages_and_locations() -> None:
    build_catalogue()
    document = json.loads(hsds.export_json())
    debt = next(s for s in document["services"] if s["polku_kind"] == "debt_counselling")
    assert debt["organization"]["name"] == "Helsingin kaupunki"
    assert [language["code"] for language in debt["languages"]] == ["fi", "sv", "so"]
    assert debt["phones"][0]["number"] == "+358 9 310 12345"
    assert debt["polku_referral_categories"] == ["benefits", "social"]
    assert debt["polku_expected_response_days"] == 7
    places = sorted(link["location"]["name"] for link in debt["service_at_locations"])
    assert places == ["Itäkeskus", "Verkossa"]
    office = next(loc for loc in document["locations"] if loc["name"] == "Itäkeskus")
    assert office["latitude"] == 60.21
    assert office["addresses"][0]["city"] == "Helsinki"
    assert office["accessibility"][0]["description"] == "Esteetön sisäänkäynti"


def test_one_bad_line_writes_nothing_and_every_error_is_named() -> None:
    build_catalogue()
    files = unzip(hsds.export_zip())
    empty_the_catalogue()
    lines = files["services.csv"].split("\r\n")
    header = lines[0].split(",")
    # Break the second service's response time (its row is the last line).
    days = header.index("polku_expected_response_days")
    rows = list(csv.reader(io.StringIO(files["services.csv"], newline="")))
    rows[2][days] = "soon"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    files["services.csv"] = out.getvalue()
    # Descriptions span lines: the broken row starts after every line of those before it.
    last_line = (
        len(files["services.csv"].splitlines())
        - len(files["services.csv"].split(rows[2][0], 1)[1].splitlines())
        + 1
    )
    # And link a service to a location that does not exist.
    files["service_at_locations.csv"] += f"{uuid.uuid4()},{rows[1][0]},{uuid.uuid4()}\r\n"
    sal_line = files["service_at_locations.csv"].count("\r\n")

    report = catalogue_import(actor=None, data=zip_of(files), filename="catalogue.zip")

    assert [str(error) for error in report.errors] == [
        f"services.csv, line {last_line}, polku_expected_response_days: "
        "Give a whole number, 0 or more.",
        f"service_at_locations.csv, line {sal_line}, location_id: No record has this id.",
    ]
    assert report.written is False
    assert report.changes == []
    assert Organisation.objects.count() == 0
    assert Service.objects.count() == Location.objects.count() == 0
    assert ServiceAtLocation.objects.count() == 0


def test_a_database_refusal_rolls_everything_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a write fails after the checks (a race, say), the earlier writes are undone too."""
    build_catalogue()
    data = hsds.export_zip()
    empty_the_catalogue()
    original = ServiceAtLocation.save

    def refuse(self: ServiceAtLocation, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ServiceAtLocation, "save", refuse)
    with pytest.raises(RuntimeError):
        catalogue_import(actor=None, data=data, filename="catalogue.zip")
    monkeypatch.setattr(ServiceAtLocation, "save", original)
    assert Organisation.objects.count() == Service.objects.count() == 0


def test_dry_run_reports_changes_and_writes_nothing() -> None:
    build_catalogue()
    data = hsds.export_zip()
    empty_the_catalogue()
    report = catalogue_import(actor=None, data=data, filename="c.zip", dry_run=True)
    assert report.ok
    assert not report.written
    assert report.counts()["services"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert Organisation.objects.count() == Service.objects.count() == 0

    catalogue_import(actor=None, data=data, filename="c.zip")
    files = unzip(data)
    files["services.csv"] = files["services.csv"].replace(
        "Talous- ja velkaneuvonta", "Velkaneuvonta"
    )
    report = catalogue_import(actor=None, data=zip_of(files), filename="c.zip", dry_run=True)
    updated = [c for c in report.changes if c.action == "updated"]
    assert [(c.table, c.label) for c in updated] == [("services", "Velkaneuvonta")]
    assert ("polku_name_fi", "Talous- ja velkaneuvonta", "Velkaneuvonta") in updated[0].fields
    assert Service.objects.filter(name_fi="Talous- ja velkaneuvonta").count() == 1


def test_a_plain_hsds_csv_creates_services_with_defaults_and_keeps_unnamed_columns() -> None:
    OrganisationFactory(hsds_id=uuid.UUID(ORG_ID))
    text = f"id,organization_id,name,description\n{SERVICE_ID},{ORG_ID},Job club,Weekly\n"
    report = catalogue_import(actor=None, data=text.encode(), filename="services.csv")
    assert report.errors == []
    service = Service.objects.get()
    assert Service.objects.values_list("name_fi", "description_fi", "kind").get() == (
        "Job club",
        "Weekly",
        ServiceKind.OTHER,
    )
    assert service.referral_categories == [DataCategory.EMPLOYMENT]
    service.schedule = "Tuesdays"
    service.save()
    # A later file without the column leaves the stored value alone.
    text = f"id,organization_id,name\n{SERVICE_ID},{ORG_ID},Job club\n"
    catalogue_import(actor=None, data=text.encode(), filename="services.csv")
    assert Service.objects.values_list("schedule", "description_fi").get() == (
        "Tuesdays",
        "Weekly",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id,name\n",
            ["services.csv, line 1, organization_id: The column is missing."],
        ),
        (
            f"id,organization_id,name\nnot-a-uuid,{ORG_ID},X\n",
            ["services.csv, line 2, id: Not a UUID: not-a-uuid."],
        ),
        (
            f"id,organization_id,name\n{SERVICE_ID},{ORG_ID},X\n{SERVICE_ID},{ORG_ID},Y\n",
            ["services.csv, line 3, id: The same id is on line 2."],
        ),
        (
            f"id,organization_id,name\n{SERVICE_ID},{uuid.UUID(int=5)},X\n",
            ["services.csv, line 2, organization_id: No organisation has this id."],
        ),
        (
            f'id,organization_id,name,status\n{SERVICE_ID},{ORG_ID},"two\nlines",closed\n',
            [
                "services.csv, line 2, status: Unknown value closed; give one of: active, "
                "inactive, defunct, temporarily closed."
            ],
        ),
        (
            f"id,organization_id,name,email\n{SERVICE_ID},{ORG_ID},X,nope\n",
            ["services.csv, line 2, email: Enter a valid email address."],
        ),
        (
            f"id,organization_id,name\n{SERVICE_ID},{ORG_ID}\n",
            ["services.csv, line 2: The row has 2 values; the header has 3."],
        ),
        (
            f"id,organization_id,name\n{SERVICE_ID},{ORG_ID},\n",
            ["services.csv, line 2, name: Give a name."],
        ),
    ],
)
def test_errors_name_the_file_line_and_column(text: str, expected: list[str]) -> None:
    OrganisationFactory(hsds_id=uuid.UUID(ORG_ID))
    report = catalogue_import(actor=None, data=text.encode(), filename="services.csv")
    assert [str(error) for error in report.errors] == expected
    assert Service.objects.count() == 0


def test_child_rows_report_their_own_lines() -> None:
    org = OrganisationFactory()
    files = {
        "services.csv": f"id,organization_id,name\r\n{SERVICE_ID},{org.hsds_id},Club\r\n",
        "languages.csv": (
            f"service_id,code\r\n{SERVICE_ID},fi\r\n{SERVICE_ID},Finnish\r\n"
            f"{uuid.UUID(int=9)},sv\r\n"
        ),
        "phones.csv": f"service_id,number\r\n{SERVICE_ID},1\r\n{SERVICE_ID},2\r\n",
        "notes.txt": "ignored",
    }
    report = catalogue_import(actor=None, data=zip_of(files), filename="c.zip")
    assert [str(e) for e in report.errors] == [
        "languages.csv, line 3, code: Give an ISO 639-1 language code, e.g. fi, sv, en.",
        "languages.csv, line 4, service_id: No row of services.csv has this id.",
        "phones.csv, line 3, number: Polku keeps one of these per record; the first is on line 2.",
    ]
    del files["languages.csv"], files["phones.csv"]
    files["languages.csv"] = f"service_id,code\r\n{SERVICE_ID},fi\r\n{SERVICE_ID},EN\r\n"
    report = catalogue_import(actor=None, data=zip_of(files), filename="c.zip")
    assert report.ignored == ["notes.txt"]
    assert Service.objects.get().languages == ["fi", "en"]


def test_json_errors_name_the_line_of_the_object() -> None:
    org = OrganisationFactory()
    document = {
        "services": [
            {"id": SERVICE_ID, "organization_id": str(org.hsds_id), "name": "Club"},
            {
                "id": str(uuid.UUID(int=3)),
                "organization_id": str(org.hsds_id),
                "name": "Coaching",
                "polku_expected_response_days": "soon",
                "languages": [{"code": "fi"}, {"code": 7}],
                "polku_referral_categories": {"not": "a list"},
            },
        ]
    }
    text = json.dumps(document, indent=2)
    lines = text.splitlines()
    # The second service's object opens on the second "    {" line.
    service_line = [n for n, line in enumerate(lines, 1) if line == "    {"][1]
    language_line = next(n for n, line in enumerate(lines, 1) if '"code": 7' in line) - 1
    report = catalogue_import(actor=None, data=text.encode(), filename="c.json")
    assert [str(e) for e in report.errors] == [
        f"c.json, line {service_line}, polku_referral_categories: The value has the wrong type.",
        f"c.json, line {service_line}, polku_expected_response_days: "
        "Give a whole number, 0 or more.",
        f"c.json, line {language_line}, code: Give an ISO 639-1 language code, e.g. fi, sv, en.",
    ]
    assert Service.objects.count() == 0


def test_json_objects_met_twice_must_agree() -> None:
    org = OrganisationFactory()
    nested = {"id": str(org.hsds_id), "name": "Another name"}
    document = {
        "organizations": [{"id": str(org.hsds_id), "name": "The name"}],
        "services": [{"id": SERVICE_ID, "name": "Club", "organization": nested}],
    }
    report = catalogue_import(
        actor=None, data=json.dumps(document, indent=1).encode(), filename="c.json"
    )
    assert [e.column for e in report.errors] == ["name"]
    assert "Differs from the same object on line 3." in str(report.errors[0])


def test_unreadable_files_are_reported() -> None:
    assert [str(e) for e in hsds.read(b"PK\x03\x04broken", "c.zip").errors] == [
        "c.zip: The zip file cannot be read."
    ]
    assert [str(e) for e in hsds.read(b'{"services": [}', "c.json").errors] == [
        "c.json, line 1: Not valid JSON: Expecting value."
    ]
    assert [str(e) for e in hsds.read(b"id\n\xff\n", "services.csv").errors] == [
        "services.csv, line 2: The file is not UTF-8 text."
    ]


# --- Properties -------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40
)


@given(cells=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=8))
def test_any_text_survives_csv_and_rows_keep_their_lines(cells: list[tuple[str, str]]) -> None:
    rows = {
        "services": [
            {"id": str(uuid.UUID(int=i + 1)), "name": name, "description": description}
            for i, (name, description) in enumerate(cells)
        ]
    }
    source = hsds.read(hsds.rows_to_zip(rows), "c.zip")
    assert source.errors == []
    read = source.tables["services"]
    assert [(r.values["name"], r.values["description"]) for r in read] == cells
    lines = [r.line for r in read]
    assert lines[0] == 2
    assert lines == sorted(set(lines))
    if not any(ch in name + text for name, text in cells for ch in "\r\n"):
        assert lines == list(range(2, len(cells) + 2))


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | TEXT,
        lambda c: st.lists(c, max_size=3) | st.dictionaries(TEXT, c, max_size=3),
        max_leaves=10,
    )
)
def test_the_positioned_json_reader_reads_what_json_reads(value: Any) -> None:
    text = json.dumps(value, indent=2)
    assert hsds.load_json(text) == json.loads(text)


SERVICE_TEXT = st.lists(
    st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from(["\r\n", "\n", ",", '"']),
    max_size=40,
).map("".join)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.fixed_dictionaries(
        {
            "name_fi": SERVICE_TEXT.filter(str.strip),
            "name_sv": SERVICE_TEXT.map(lambda text: text or None),
            "description_fi": SERVICE_TEXT,
            "schedule": st.text(
                alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
                max_size=50,
            ),
            "languages": st.lists(st.sampled_from(["fi", "sv", "en", "so", "ru"]), unique=True),
            "referral_categories": st.lists(
                st.sampled_from(["employment", "health", "social", "benefits", "education"]),
                unique=True,
                min_size=1,
            ),
            "expected_response_days": st.integers(min_value=0, max_value=365),
            "accepts_referrals": st.booleans(),
        }
    ),
    as_json=st.booleans(),
)
def test_round_trip_property(values: dict[str, Any], as_json: bool) -> None:
    """Any service survives export → import into an empty database → export unchanged."""
    with transaction.atomic():
        ServiceFactory(**values)
        exported = hsds.export_json() if as_json else hsds.export_zip()
        transaction.set_rollback(True)
    with transaction.atomic():
        assert Service.objects.count() == 0
        report = catalogue_import(
            actor=None, data=exported, filename="c.json" if as_json else "c.zip"
        )
        assert report.errors == []
        assert (hsds.export_json() if as_json else hsds.export_zip()) == exported
        transaction.set_rollback(True)
