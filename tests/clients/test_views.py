"""Client pages: search, filters, the log they leave, forms with field errors, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polku.clients.models import CareTeamMember, Client, Consent
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]


@pytest.fixture
def coordinator() -> Membership:
    return MembershipFactory(role=Role.COORDINATOR)


def _logged(**filters: object) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action) for e in AccessLogEntry.objects.filter(**filters)
    )


def test_search_by_name_reference_and_full_identity_code(
    coordinator: Membership, login: Login
) -> None:
    org = coordinator.organisation
    aino = ClientFactory(recorded_by=org, first_name="Aino", last_name="Virtanen")
    aino.set_identity_code("fi_hetu", "131052-308T")
    aino.save()
    other = ClientFactory(recorded_by=org, first_name="Mikko", last_name="Aaltonen")
    http = login(coordinator)

    def found(query: str) -> set[str]:
        page = http.post("/clients/", {"q": query}, follow=True).content.decode()
        return {str(c.pk) for c in (aino, other) if str(c.pk) in page}

    assert found("virtanen aino") == {str(aino.pk)}
    assert found("131052-308t") == {str(aino.pk)}
    assert found("131052") == set()  # part of a code finds nothing: no guessing by birth date
    assert found(other.reference.lower()) == {str(other.pk)}
    assert found("") == {str(aino.pk), str(other.pk)}


def test_filters_by_programme_and_status(coordinator: Membership, login: Login) -> None:
    org = coordinator.organisation
    ips = ProgrammeFactory()
    active = EpisodeFactory(client__recorded_by=org, programme=ips).client
    ended = EpisodeFactory(
        client__recorded_by=org, programme=ips, end_date=timezone.localdate(), end_reason="employed"
    ).client
    none = ClientFactory(recorded_by=org)
    http = login(coordinator)

    def found(**params: str | int) -> set[str]:
        page = http.get("/clients/", params).content.decode()
        return {c.reference for c in (active, ended, none) if str(c.pk) in page}

    assert found(programme=ips.pk) == {active.reference, ended.reference}
    assert found(status="active") == {active.reference}
    assert found(status="ended") == {ended.reference}
    assert found(status="none") == {none.reference}


def test_htmx_search_returns_only_the_results_fragment(
    coordinator: Membership, login: Login
) -> None:
    ClientFactory(recorded_by=coordinator.organisation, last_name="Lindqvist")
    response = login(coordinator).post("/clients/", {"q": "lindq"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lindqvist" in body
    assert "<html" not in body
    # The address bar gets a key to the search, never the words searched for.
    assert re.fullmatch(r"/clients/\?s=[\w-]{8}", response["HX-Replace-Url"])


def test_searched_words_never_appear_in_a_url(coordinator: Membership, login: Login) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation, last_name="Lindqvist")
    client.set_identity_code("fi_hetu", "131052-308T")
    client.save()
    http = login(coordinator)
    for words in ("Lindqvist", "131052-308T"):
        response = http.post("/clients/", {"q": words, "status": ""})
        assert response.status_code == 303
        assert words.lower() not in response["Location"].lower()
        page = http.get(response["Location"])
        assert page.context["form"]["q"].value() == words
        assert page.context["page"].paginator.count == 1
        assert words not in page.context["query"]
    # A key from another session finds nothing: searches are not shared.
    other = login(
        MembershipFactory(organisation=coordinator.organisation, role=Role.COORDINATOR),
        HttpClient(),
    )
    assert other.get(response["Location"]).context["form"]["q"].value() == ""


def test_a_list_page_logs_exactly_its_rows_in_one_insert(
    coordinator: Membership, login: Login
) -> None:
    org = coordinator.organisation
    clients = [ClientFactory(recorded_by=org, last_name=f"Name{i:02d}") for i in range(30)]
    http = login(coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = http.get("/clients/")
    assert response.status_code == 200
    inserts = [
        q
        for q in captured.captured_queries
        if q["sql"].upper().startswith('INSERT INTO "CORE_ACCESSLOGENTRY"')
    ]
    assert len(inserts) == 1
    first_page = sorted(clients, key=lambda c: c.last_name)[:25]
    assert _logged() == sorted((str(c.pk), "identity", "list") for c in first_page)


def test_the_client_page_logs_each_category_it_shows(coordinator: Membership, login: Login) -> None:
    episode = EpisodeFactory(client__recorded_by=coordinator.organisation)
    client = episode.client
    response = login(coordinator).get(f"/clients/{client.pk}/")
    assert response.status_code == 200
    assert _logged() == [(str(client.pk), c, "view") for c in ("contact", "employment", "identity")]


def test_a_consent_for_identity_only_shows_and_logs_identity_only(login: Login) -> None:
    recorder, partner = OrganisationFactory(), OrganisationFactory()
    client = EpisodeFactory(client__recorded_by=recorder, client__phone="040 999 8888").client
    coach = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(client=client, organisations=[partner], categories=["identity"])
    body = login(coach).get(f"/clients/{client.pk}/").content.decode()
    assert client.last_name in body
    assert "040 999 8888" not in body
    assert _logged() == [(str(client.pk), "identity", "view")]


def test_an_invisible_client_answers_exactly_like_a_missing_one(login: Login) -> None:
    hidden = ClientFactory()
    http = login(MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST))
    invisible = http.get(f"/clients/{hidden.pk}/")
    missing = http.get("/clients/00000000-0000-4000-8000-000000000000/")
    assert invisible.status_code == missing.status_code == 404

    def without_tokens(body: bytes) -> str:  # CSP nonces and CSRF tokens differ per response
        return re.sub(r'(nonce|value|X-CSRFToken)(=|": )"[^"]*"', "", body.decode())

    assert without_tokens(invisible.content) == without_tokens(missing.content)
    assert AccessLogEntry.objects.count() == 0


def test_register_form_shows_field_errors_and_saves_nothing(
    coordinator: Membership, login: Login
) -> None:
    response = login(coordinator).post(
        "/clients/new/",
        {
            "first_name": "Aino",
            "last_name": "",
            "identity_code_type": "fi_hetu",
            "identity_code": "131052-308U",
            "gender": "woman",
            "preferred_language": "fi",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_last_name_error"' in body
    assert 'aria-invalid="true"' in body
    assert Client.objects.count() == 0


def test_service_errors_land_on_their_field(coordinator: Membership, login: Login) -> None:
    response = login(coordinator).post(
        "/clients/new/",
        {
            "first_name": "Aino",
            "last_name": "Virtanen",
            "identity_code_type": "fi_hetu",
            "identity_code": "131052-308U",
            "gender": "woman",
            "preferred_language": "fi",
        },
    )
    form = response.context["form"]
    assert list(form.errors) == ["identity_code"]
    assert "control character" in form.errors["identity_code"][0]


def test_registration_in_finnish_gives_finnish_field_messages(
    coordinator: Membership, login: Login
) -> None:
    response = login(coordinator).post(
        "/clients/new/",
        {
            "first_name": "Aino",
            "last_name": "Virtanen",
            "identity_code_type": "fi_hetu",
            "identity_code": "131052-308U",
            "gender": "woman",
            "preferred_language": "fi",
        },
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    message = response.context["form"].errors["identity_code"][0]
    assert message.startswith("Tarkiste")


def test_near_duplicate_asks_for_confirmation_then_registers(
    coordinator: Membership, login: Login
) -> None:
    ClientFactory(first_name="Aino", last_name="Virtanen", date_of_birth=dt.date(1980, 1, 2))
    data = {
        "first_name": "Aino",
        "last_name": "Virtanen",
        "identity_code_type": "",
        "date_of_birth": "1980-01-02",
        "gender": "woman",
        "preferred_language": "fi",
        "as_key_worker": "on",
    }
    http = login(coordinator)
    warned = http.post("/clients/new/", data)
    assert warned.status_code == 200
    assert warned.context["possible_duplicate"] is True
    assert 'type="checkbox" name="confirm_possible_duplicate"' in warned.content.decode()
    assert Client.objects.count() == 1

    created = http.post("/clients/new/", data | {"confirm_possible_duplicate": "on"})
    new = Client.objects.get(created_by=coordinator)
    assert created.status_code == 302
    assert created["Location"] == f"/clients/{new.pk}/"
    assert CareTeamMember.objects.get(client=new).is_key_worker is True


def test_csv_export_is_logged_as_export_and_neutralises_formulas(
    coordinator: Membership, login: Login
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation, first_name="=HYPERLINK(1)")
    http = login(coordinator)
    assert http.get("/clients/export.csv").status_code == 405  # a link cannot trigger it
    response = http.post("/clients/export.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[1][0] == client.reference
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert _logged() == [(str(client.pk), "identity", "export")]


def test_consent_form_records_and_withdraw_asks_first(
    coordinator: Membership, login: Login
) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    partner = OrganisationFactory()
    http = login(coordinator)
    response = http.post(
        f"/clients/{client.pk}/consents/new/",
        {
            "organisations": [partner.pk],
            "categories": ["identity", "health"],
            "purpose": "service",
            "method": "written",
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    confirm = http.get(f"/clients/{client.pk}/consents/{consent.pk}/withdraw/")
    assert confirm.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    http.post(f"/clients/{client.pk}/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_by_id == coordinator.pk


def test_empty_consent_form_names_each_missing_field(coordinator: Membership, login: Login) -> None:
    client = ClientFactory(recorded_by=coordinator.organisation)
    response = login(coordinator).post(f"/clients/{client.pk}/consents/new/", {})
    assert set(response.context["form"].errors) == {
        "organisations",
        "categories",
        "purpose",
        "method",
        "valid_from",
    }
    assert Consent.objects.count() == 0


def test_care_team_page_is_for_those_who_manage_the_team(login: Login) -> None:
    org = OrganisationFactory()
    client = ClientFactory(recorded_by=org)
    key = MembershipFactory(organisation=org, role=Role.EMPLOYMENT_SPECIALIST)
    member = MembershipFactory(organisation=org, role=Role.EMPLOYER_LIAISON)
    CareTeamMemberFactory(client=client, membership=key, is_key_worker=True)
    CareTeamMemberFactory(client=client, membership=member)
    colleague = MembershipFactory(organisation=org, role=Role.BENEFITS_COUNSELLOR)

    assert login(member, HttpClient()).get(f"/clients/{client.pk}/team/").status_code == 403
    http = login(key, HttpClient())
    page = http.get(f"/clients/{client.pk}/team/")
    assert page.status_code == 200
    assert colleague.user.last_name in page.content.decode()
    http.post(f"/clients/{client.pk}/team/", {"membership": colleague.pk})
    assert CareTeamMember.objects.filter(
        client=client, membership=colleague, removed_at__isnull=True
    ).exists()


def test_programme_overview_suppresses_small_counts_and_is_for_managers(login: Login) -> None:
    programme = ProgrammeFactory()
    for _ in range(6):
        EpisodeFactory(programme=programme, client__gender="man")
    for _ in range(2):
        EpisodeFactory(programme=programme, client__gender="woman")
    manager = MembershipFactory(role=Role.PROGRAMME_MANAGER)
    response = login(manager, HttpClient()).get("/clients/programmes/")
    row = next(r for r in response.context["rows"] if r["programme"] == programme)
    assert (row["participants"], row["active"]) == ("8", "8")
    # 2 women beside 6 men and a total of 8 would give the women away: men are hidden too.
    assert dict(row["by_gender"]) == {
        "Woman": "<5",
        "Man": "≥5",
        "Other": "0",
        "Not disclosed": "0",
    }
    assert AccessLogEntry.objects.count() == 0
    coach = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    assert login(coach, HttpClient()).get("/clients/programmes/").status_code == 403


def test_name_search_ignores_case_of_finnish_and_swedish_letters(
    coordinator: Membership, login: Login
) -> None:
    client = ClientFactory(
        recorded_by=coordinator.organisation, last_name="Mäkinen", first_name="Åsa"
    )
    http = login(coordinator)
    for query in ("MÄKI", "mäkinen åSA", "ÅSA"):
        found = http.post("/clients/", {"q": query}, follow=True).content.decode()
        assert str(client.pk) in found, query


def test_a_reader_by_consent_sees_only_the_consents_that_name_its_organisation(
    login: Login,
) -> None:
    recorder, partner, clinic = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    client = ClientFactory(recorded_by=recorder)
    ConsentFactory(client=client, organisations=[partner], categories=["identity"], note="ours")
    ConsentFactory(client=client, organisations=[clinic], categories=["health"], note="health")
    coach = MembershipFactory(organisation=partner, role=Role.EMPLOYMENT_SPECIALIST)
    coordinator = MembershipFactory(organisation=recorder, role=Role.COORDINATOR)

    def notes(member: Membership) -> list[str]:
        detail = login(member, HttpClient()).get(f"/clients/{client.pk}/").context["detail"]
        return sorted(c.note for c in detail.consents)

    assert notes(coach) == ["ours"]
    assert notes(coordinator) == ["health", "ours"]
