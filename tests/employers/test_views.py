"""The employer pages: list and filters, an employer's page, the forms, contacts, vacancies,
the import page and the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.employers.importer import MAX_FILE_BYTES
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
    Vacancy,
)
from tests.employers.test_importer import EMPLOYERS, csv_bytes
from tests.factories import (
    EmployerFactory,
    EmployerInteractionFactory,
    JobPlacementFactory,
    MembershipFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
TODAY = timezone.localdate


@pytest.fixture
def liaison() -> Membership:
    return MembershipFactory(
        role=Role.EMPLOYER_LIAISON, user=UserFactory(first_name="Liisa", last_name="Lehto")
    )


def page_of(http: HttpClient, url: str, **params: str) -> str:
    response = http.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The list ------------------------------------------------------------------------------------


def test_the_list_searches_and_filters(login: Login) -> None:
    shop = EmployerFactory(
        name="Kauppa Oy", business_id="0112038-9", industry="G", size_class="small"
    )
    EmployerLocation.objects.create(employer=shop, municipality="Helsinki")
    cleaner = EmployerFactory(
        name="Siivous Osuuskunta", industry="N", size_class="micro", is_social_enterprise=True
    )
    EmployerLocation.objects.create(employer=cleaner, municipality="Vantaa")
    closed = EmployerFactory(name="Lopettanut Oy", industry="G", is_active=False)
    http = login(MembershipFactory(role=Role.SOCIAL_WORKER))
    names = {"Kauppa Oy", "Siivous Osuuskunta", "Lopettanut Oy"}

    def found(**params: str) -> set[str]:
        page = page_of(http, "/employers/", **params)
        return {name for name in names if name in page}

    assert found() == {"Kauppa Oy", "Siivous Osuuskunta"}
    assert found(q="kauppa") == {"Kauppa Oy"}
    assert found(q="112038-9") == {"Kauppa Oy"}  # a Business ID, even without its zero
    assert found(q="0112038") == {"Kauppa Oy"}
    assert found(industry="N") == {"Siivous Osuuskunta"}
    assert found(size_class="small") == {"Kauppa Oy"}
    assert found(social_enterprise="yes") == {"Siivous Osuuskunta"}
    assert found(social_enterprise="no") == {"Kauppa Oy"}
    assert found(municipality="Vantaa") == {"Siivous Osuuskunta"}
    assert found(status="inactive") == {"Lopettanut Oy"}
    assert found(status="all") == names
    assert closed.pk
    # Not client data: browsing leaves nothing in the read-access log.
    assert AccessLogEntry.objects.count() == 0


def test_the_list_pages_by_25(login: Login) -> None:
    for n in range(30):
        EmployerFactory(name=f"Firma {n:02d} Oy")
    http = login(MembershipFactory(role=Role.COORDINATOR))
    first = page_of(http, "/employers/")
    assert "30 employers found" in first
    assert "Firma 24 Oy" in first
    assert "Firma 25 Oy" not in first
    assert "Firma 29 Oy" in page_of(http, "/employers/", page="2")


def test_the_list_needs_a_signed_in_reader(client: HttpClient, login: Login) -> None:
    assert client.get("/employers/").status_code == 302  # to sign-in
    auditor = login(MembershipFactory(role=Role.AUDITOR))
    assert auditor.get("/employers/").status_code == 403


# --- An employer's page --------------------------------------------------------------------------


def test_the_employers_page_shows_its_facts_in_the_users_language(login: Login) -> None:
    employer = EmployerFactory(name="Kauppa Oy", business_id="0112038-9", industry="G")
    EmployerLocation.objects.create(employer=employer, name="Myymälä", municipality="Espoo")
    EmployerPerson.objects.create(employer=employer, name="Maija Mallikas", is_primary=True)
    EmployerInteractionFactory(employer=employer, outcome="Kaksi paikkaa auki.")
    VacancyFactory(employer=employer, title="Myyjä")
    JobPlacementFactory(employer=employer)
    JobPlacementFactory(employer=employer)
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    page = page_of(http, f"/employers/{employer.pk}/")
    for text in (
        "Kauppa Oy",
        "0112038-9",
        "G – Wholesale and retail trade",
        "Myymälä",
        "Maija Mallikas",
        "Kaksi paikkaa auki.",
        "Myyjä",
        "Placements: &lt;5",
    ):
        assert text in page, text
    finnish = http.get(f"/employers/{employer.pk}/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "G – Tukku- ja vähittäiskauppa" in finnish
    # The placements are a count: no client appears, and nothing is logged.
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize(("placements", "shown"), [(0, "0"), (1, "&lt;5"), (4, "&lt;5"), (5, "5")])
def test_the_placement_count_shows_1_to_4_as_fewer_than_5(
    login: Login, placements: int, shown: str
) -> None:
    """Every register reader, programme staff included, sees the count: a single placement at
    an employer would tell them where a programme client works."""
    employer = EmployerFactory()
    for _ in range(placements):
        JobPlacementFactory(employer=employer)
    http = login(MembershipFactory(role=Role.PROGRAMME_MANAGER))
    page = page_of(http, f"/employers/{employer.pk}/")
    assert f'data-testid="placement-count">Placements: {shown}</p>' in page
    assert "From 1 to 4 the count is shown as “&lt;5”" in page


def test_an_unknown_employer_is_not_found(login: Login) -> None:
    http = login(MembershipFactory(role=Role.EMPLOYER_LIAISON))
    assert http.get("/employers/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_a_liaison_adds_and_corrects_an_employer(login: Login, liaison: Membership) -> None:
    http = login(liaison)
    response = http.post(
        "/employers/new/",
        {"name": "Uusi Oy", "country": "FI", "business_id": "0112038-8", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "The check digit (after the hyphen) does not match" in response.content.decode()
    assert Employer.objects.count() == 0
    response = http.post(
        "/employers/new/",
        {
            "name": "Uusi Oy",
            "country": "FI",
            "business_id": "0112038-9",
            "industry": "C",
            "is_active": "on",
        },
    )
    employer = Employer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/employers/{employer.pk}/"
    response = http.post(
        "/employers/new/", {"name": "Toinen Oy", "country": "FI", "business_id": "112038-9"}
    )
    assert "This Business ID is already in the register: Uusi Oy." in response.content.decode()
    edit = http.get(f"/employers/{employer.pk}/edit/").content.decode()
    assert 'value="0112038-9"' in edit
    http.post(
        f"/employers/{employer.pk}/edit/",
        {"name": "Uusi Oy", "country": "FI", "business_id": "0112038-9", "industry": "C"},
    )
    employer.refresh_from_db()
    assert employer.is_active is False  # the unticked box


def test_readers_who_do_not_keep_the_register_get_no_forms(login: Login) -> None:
    employer = EmployerFactory()
    http = login(MembershipFactory(role=Role.PROGRAMME_MANAGER))
    page = page_of(http, f"/employers/{employer.pk}/")
    assert "Record a contact" not in page
    assert "Add a workplace" not in page
    for url in (
        "/employers/new/",
        f"/employers/{employer.pk}/edit/",
        f"/employers/{employer.pk}/workplaces/new/",
        f"/employers/{employer.pk}/people/new/",
        f"/employers/{employer.pk}/services/new/",
        f"/employers/{employer.pk}/contacts/new/",
        f"/employers/{employer.pk}/vacancies/new/",
        "/employers/contacts/new/",
        "/employers/vacancies/new/",
        "/employers/import/",
    ):
        assert http.get(url).status_code == 403, url


def test_workplaces_people_and_services_from_the_employers_page(
    login: Login, liaison: Membership
) -> None:
    employer = EmployerFactory()
    http = login(liaison)
    http.post(
        f"/employers/{employer.pk}/workplaces/new/",
        {
            "name": "Varasto",
            "street_address": "Satamatie 2",
            "postal_code": "00980",
            "municipality": "Helsinki",
        },
    )
    place = EmployerLocation.objects.get()
    http.post(
        f"/employers/{employer.pk}/workplaces/{place.pk}/edit/",
        {
            "name": "Varasto",
            "street_address": "Satamatie 4",
            "postal_code": "00980",
            "municipality": "Helsinki",
        },
    )
    place.refresh_from_db()
    assert place.street_address == "Satamatie 4"
    http.post(
        f"/employers/{employer.pk}/people/new/",
        {"name": "Pekka Esimies", "title": "Varastopäällikkö", "phone": "040 123 4567"},
    )
    person = EmployerPerson.objects.get()
    assert http.get(f"/employers/{employer.pk}/people/{person.pk}/remove/").status_code == 405
    http.post(f"/employers/{employer.pk}/people/{person.pk}/remove/")
    assert EmployerPerson.objects.count() == 0
    other = EmployerFactory()
    assert http.get(f"/employers/{other.pk}/workplaces/{place.pk}/edit/").status_code == 404
    response = http.post(
        f"/employers/{employer.pk}/services/new/",
        {"kind": "wage_subsidy_advice", "start_date": "2026-03-01", "end_date": "2026-02-01"},
    )
    assert "The end date cannot be before the start date." in response.content.decode()
    http.post(
        f"/employers/{employer.pk}/services/new/",
        {"kind": "wage_subsidy_advice", "start_date": "2026-03-01", "description": "Palkkatuki"},
    )
    assert EmployerAgreement.objects.get().description == "Palkkatuki"
    assert "Wage subsidy advice" in page_of(http, f"/employers/{employer.pk}/")


# --- Employer contacts ---------------------------------------------------------------------------


def test_the_quick_contact_form_defaults_to_todays_job_development_visit(login: Login) -> None:
    me = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    lately = EmployerFactory(name="Lately Oy")
    EmployerInteractionFactory(employer=lately, specialist=me, date=TODAY() - dt.timedelta(days=3))
    EmployerFactory(name="Other Oy")
    EmployerFactory(name="Closed Oy", is_active=False)
    http = login(me)
    form = page_of(http, "/employers/contacts/new/")
    assert f'value="{TODAY().isoformat()}"' in form
    assert 'value="visit" required id="id_kind_0" checked>' in form
    assert 'value="job_development" required id="id_purpose_0" checked>' in form
    assert '<optgroup label="Contacted lately">' in form
    assert "Closed Oy" not in form
    response = http.post(
        "/employers/contacts/new/",
        {
            "employer": str(lately.pk),
            "date": TODAY().isoformat(),
            "kind": "visit",
            "purpose": "job_development",
            "outcome": "Met the shop manager.",
            "another": "1",
        },
    )
    assert response["Location"] == "/employers/contacts/new/"
    contact = EmployerInteraction.objects.filter(outcome="Met the shop manager.").get()
    assert (contact.employer, contact.specialist, contact.kind, contact.purpose) == (
        lately,
        me,
        "visit",
        "job_development",
    )
    response = http.post(
        "/employers/contacts/new/",
        {
            "employer": str(lately.pk),
            "date": (TODAY() + dt.timedelta(days=1)).isoformat(),
            "kind": "visit",
            "purpose": "job_development",
        },
    )
    assert "The date cannot be in the future." in response.content.decode()


def test_both_contact_forms_warn_that_the_outcome_is_visible_to_every_organisation(
    login: Login,
) -> None:
    """A follow-along contact is about a placed client, and the register is read network-wide."""
    employer = EmployerFactory()
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    warning = (
        "Do not name the client or give their health or personal details: this note is "
        "visible to every organisation."
    )
    for url in (f"/employers/{employer.pk}/contacts/new/", "/employers/contacts/new/"):
        form = page_of(http, url)
        assert warning in form, url
        # Tied to the field, so that a screen reader reads it with the field.
        assert 'aria-describedby="id_outcome_helptext"' in form, url


def test_a_contact_from_the_employers_page_may_name_who_was_met(login: Login) -> None:
    me = MembershipFactory(role=Role.EMPLOYER_LIAISON)
    employer = EmployerFactory()
    boss = EmployerPerson.objects.create(employer=employer, name="Boss")
    http = login(me)
    response = http.post(
        f"/employers/{employer.pk}/contacts/new/",
        {
            "date": TODAY().isoformat(),
            "kind": "phone",
            "purpose": "employer_service",
            "person": str(boss.pk),
        },
    )
    assert response["Location"] == f"/employers/{employer.pk}/"
    assert EmployerInteraction.objects.get().person == boss


def test_the_contact_list_filters(login: Login) -> None:
    me = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    mine = EmployerInteractionFactory(specialist=me, employer__name="Mine Oy")
    EmployerInteractionFactory(employer__name="Theirs Oy", kind="phone")
    old = EmployerInteractionFactory(employer__name="Old Oy", date=TODAY() - dt.timedelta(days=40))
    http = login(me)

    def found(**params: str) -> set[str]:
        page = page_of(http, "/employers/contacts/", **params)
        return {n for n in ("Mine Oy", "Theirs Oy", "Old Oy") if n in page}

    assert found() == {"Mine Oy", "Theirs Oy", "Old Oy"}
    assert found(mine="on") == {"Mine Oy"}
    assert found(kind="phone") == {"Theirs Oy"}
    assert found(date_from=(TODAY() - dt.timedelta(days=7)).isoformat()) == {"Mine Oy", "Theirs Oy"}
    assert found(employer=str(old.employer_id)) == {"Old Oy"}
    assert mine.pk
    assert http.get("/employers/contacts/", {"employer": "not-a-uuid"}).status_code == 404


# --- Vacancies -----------------------------------------------------------------------------------


def test_the_vacancy_list_shows_open_vacancies_by_default_and_filters(login: Login) -> None:
    helsinki = EmployerLocation.objects.create(employer=EmployerFactory(), municipality="Helsinki")
    VacancyFactory(
        title="Myyjä",
        isco_code="522",
        languages=["fi"],
        working_time="part_time",
        location=helsinki,
        employer=helsinki.employer,
    )
    VacancyFactory(title="Kokki", isco_code="512", languages=["fi", "en"], working_time="either")
    VacancyFactory(
        title="Siivooja",
        isco_code="911",
        working_time="full_time",
        deadline=TODAY() - dt.timedelta(days=1),
    )
    VacancyFactory(title="Ohjelmoija", isco_code="251", status="filled")
    http = login(MembershipFactory(role=Role.COORDINATOR))
    titles = {"Myyjä", "Kokki", "Siivooja", "Ohjelmoija"}

    def found(**params: str) -> set[str]:
        page = page_of(http, "/employers/vacancies/", **params)
        return {t for t in titles if f">{t}</a>" in page}

    assert found() == {"Myyjä", "Kokki"}
    assert found(include_past_deadline="on") == {"Myyjä", "Kokki", "Siivooja"}
    assert found(status="filled") == {"Ohjelmoija"}
    assert found(status="all") == titles
    assert found(isco="5") == {"Myyjä", "Kokki"}
    assert found(isco="52") == {"Myyjä"}
    assert found(municipality="Helsinki") == {"Myyjä"}
    assert found(working_time="part_time") == {"Myyjä", "Kokki"}  # "either" suits part-time
    assert found(working_time="full_time") == {"Kokki"}
    assert found(language="en") == {"Kokki"}
    assert found(q="kok") == {"Kokki"}


def test_a_vacancy_is_added_with_its_languages_and_shown(login: Login, liaison: Membership) -> None:
    employer = EmployerFactory(name="Ravintola Oy")
    kitchen = EmployerLocation.objects.create(employer=employer, municipality="Helsinki")
    http = login(liaison)
    form = page_of(http, f"/employers/{employer.pk}/vacancies/new/")
    assert '<optgroup label="51 – Personal service workers">' in form
    values = {
        "title": "Kokki",
        "isco_code": "512",
        "offered_languages": ["fi", "en"],
        "other_languages": "ru, xx",
        "working_time": "full_time",
        "hours_per_week": "37.5",
        "location": str(kitchen.pk),
        "positions": "2",
        "start_date": "2026-09-01",
        "deadline": "2026-08-15",
        "status": "open",
        "adjustments": "Lyhyemmät vuorot aluksi",
    }
    response = http.post(f"/employers/{employer.pk}/vacancies/new/", values)
    assert "Not ISO 639-1 language codes: xx." in response.content.decode()
    response = http.post(
        f"/employers/{employer.pk}/vacancies/new/", values | {"other_languages": "ru"}
    )
    vacancy = Vacancy.objects.get()
    assert response["Location"] == f"/employers/vacancies/{vacancy.pk}/"
    assert (vacancy.languages, vacancy.hours_per_week) == (["fi", "en", "ru"], Decimal("37.5"))
    page = page_of(http, f"/employers/vacancies/{vacancy.pk}/")
    for text in (
        "Kokki",
        "512 – Cooks",
        "Finnish, English, Russian",
        "37.5 h/week",
        "Lyhyemmät vuorot aluksi",
    ):
        assert text in page, text
    edit = page_of(http, f"/employers/vacancies/{vacancy.pk}/edit/")
    assert 'value="ru"' in edit


def test_a_vacancy_is_started_from_the_list_by_choosing_the_employer(
    login: Login, liaison: Membership
) -> None:
    employer = EmployerFactory(name="Kauppa Oy")
    http = login(liaison)
    assert "Kauppa Oy" in page_of(http, "/employers/vacancies/new/")
    response = http.get("/employers/vacancies/new/", {"employer": str(employer.pk)})
    assert response["Location"] == f"/employers/{employer.pk}/vacancies/new/"
    assert "Choose an employer from the list." in page_of(
        http, "/employers/vacancies/new/", employer="x"
    )


# --- Import --------------------------------------------------------------------------------------


def upload(data: bytes, name: str = "employers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_import_page_previews_then_imports_exactly_that_file(
    login: Login, liaison: Membership
) -> None:
    http = login(liaison)
    assert "Columns for employers" in page_of(http, "/employers/import/")
    response = http.post("/employers/import/", {"file": upload(csv_bytes(EMPLOYERS))})
    page = response.content.decode()
    assert "Preview of employers.csv" in page
    assert "Kauppa Oy" in page
    assert Employer.objects.count() == 0
    token = http.session["polku_employers_import"]
    response = http.post("/employers/import/", {"token": token})
    assert response["Location"] == "/employers/"
    assert Employer.objects.count() == 2
    # The token is spent: confirming again imports nothing more.
    response = http.post("/employers/import/", {"token": token}, follow=True)
    assert "The uploaded file has expired. Upload it again." in response.content.decode()


def test_the_import_page_lists_every_error(login: Login, liaison: Membership) -> None:
    http = login(liaison)
    data = csv_bytes([["name", "industry"], ["A Oy", "Q"], ["B Oy", "ZZ"], ["", "G"]])
    page = http.post("/employers/import/", {"file": upload(data)}).content.decode()
    assert "employers.csv: 2 errors. Nothing was imported." in page, page
    assert "Line 3, column industry:" in page
    assert "Line 4, column name: Give a value." in page
    assert "polku_employers_import" not in http.session


def test_the_import_page_lists_200_errors_and_counts_the_rest(
    login: Login, liaison: Membership
) -> None:
    """The security review's probe made a 102 MB page of 1.3 million errors."""
    http = login(liaison)
    data = b"name\n" + b"a,b\n" * 3000
    page = http.post("/employers/import/", {"file": upload(data)}).content.decode()
    assert "employers.csv: 3000 errors. Nothing was imported." in page
    assert page.count("The row has more values than the header has columns.") == 200
    assert "<li>…and 2800 more errors.</li>" in page


def test_the_import_page_refuses_a_file_over_5_mb_before_reading_it(
    login: Login, liaison: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form checks the upload's size: the file is never read, let alone checked."""
    checked: list[bytes] = []
    monkeypatch.setattr(
        "polku.employers.views.imports.employers_import",
        lambda **kwargs: checked.append(kwargs["data"]),
    )
    http = login(liaison)
    big = upload(b"name\n" + b"x" * MAX_FILE_BYTES)
    page = http.post("/employers/import/", {"file": big}).content.decode()
    assert "The file is too large (at most 5 MB)." in page
    assert checked == []
    assert Employer.objects.count() == 0


def test_a_stale_preview_is_shown_again(login: Login, liaison: Membership) -> None:
    http = login(liaison)
    http.post("/employers/import/", {"file": upload(csv_bytes(EMPLOYERS))})
    token = http.session["polku_employers_import"]
    EmployerFactory(name="Kauppa Oy", business_id="0112038-9", industry="C")
    page = http.post("/employers/import/", {"token": token}).content.decode()
    assert "The register changed after your preview." in page
    assert "industry" in page  # the fresh diff: C → G
    assert Employer.objects.count() == 1


# --- Dashboard -----------------------------------------------------------------------------------


def test_the_dashboard_shows_hiring_employers_and_contacts(login: Login) -> None:
    coach = MembershipFactory(
        role=Role.EMPLOYMENT_SPECIALIST, user=UserFactory(first_name="Kaisa", last_name="Koutsi")
    )
    JobPlacementFactory(employer=EmployerFactory(), start_date=TODAY() - dt.timedelta(days=5))
    EmployerInteractionFactory(specialist=coach)
    http = login(MembershipFactory(role=Role.PROGRAMME_MANAGER))
    page = page_of(http, "/employers/dashboard/")
    # One employer: "<5", with no progress bar or chart to give the number away.
    assert "&lt;5 of the target 60 employers" in page
    assert "<progress" not in page
    assert "Employers who have hired programme clients, by month</title>" not in page
    assert "Kaisa Koutsi" in page
    assert "Face-to-face job development contacts per specialist, by week</title>" in page
    assert AccessLogEntry.objects.count() == 0
    for _ in range(5):
        JobPlacementFactory(employer=EmployerFactory(), start_date=TODAY() - dt.timedelta(days=5))
    page = page_of(http, "/employers/dashboard/")
    assert "6 of the target 60 employers" in page
    assert 'value="6">10 %</progress>' in page
    assert "Employers who have hired programme clients, by month</title>" in page
    # Social workers read the register but not the programme's figures.
    assert (
        login(MembershipFactory(role=Role.SOCIAL_WORKER)).get("/employers/dashboard/").status_code
        == 403
    )


def test_the_lists_make_as_many_queries_for_twenty_rows_as_for_five(login: Login) -> None:
    """Workplaces, open vacancies, latest contacts, employers and specialists are read in one
    query each, whatever the number of rows on the page."""
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    urls = ["/employers/", "/employers/vacancies/", "/employers/contacts/", "/employers/dashboard/"]

    def add(count: int) -> dict[str, int]:
        for _ in range(count):
            employer = EmployerFactory()
            EmployerLocation.objects.create(employer=employer, municipality="Helsinki")
            VacancyFactory(employer=employer)
            EmployerInteractionFactory(employer=employer)
        queries = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert http.get(url).status_code == 200
            queries[url] = len(captured.captured_queries)
        return queries

    assert add(5) == add(15)
