"""The encounter pages: the person's encounters tab, recording and correcting an encounter, the
form's errors, what each page writes to the read-access log, and constant queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polku.clients.models import Client
from polku.core.categories import DataCategory
from polku.core.models import AccessLogEntry, Membership, Organisation
from polku.core.roles import Role
from polku.plans.models import Attendance, Encounter, EncounterKind
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
Login = Callable[..., HttpClient]
C = DataCategory


def _url(person: Client, *parts: object) -> str:
    return "/".join([f"/clients/{person.pk}/encounters", *map(str, parts)]) + "/"


def _logged(membership: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=membership)
    )


def _encounter(person: Client, organisation: Organisation, **values: object) -> Encounter:
    fields: dict[str, object] = {
        "kind": EncounterKind.MEETING,
        "category": C.EMPLOYMENT,
        "started_at": timezone.now() - dt.timedelta(days=1),
        "duration_minutes": 30,
        "notes": "Discussed the job search.",
    }
    return Encounter.objects.create(client=person, recorded_by=organisation, **(fields | values))


@pytest.fixture
def city() -> Organisation:
    return OrganisationFactory(name="City employment services")


@pytest.fixture
def person(city: Organisation) -> Client:
    return ClientFactory(recorded_by=city, first_name="Aino", last_name="Virtanen")


@pytest.fixture
def coach(city: Organisation, person: Client) -> Membership:
    membership = MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=person, membership=membership, is_key_worker=True)
    return membership


def _form_data(**overrides: object) -> dict[str, object]:
    started = timezone.localtime() - dt.timedelta(hours=3)
    return {
        "kind": EncounterKind.HOME_VISIT,
        "started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "50",
        "attendance": Attendance.ATTENDED,
        "category": C.EMPLOYMENT,
        "notes": "Visited at home; talked about a work trial.",
    } | overrides


def test_the_tab_lists_the_encounters_newest_first_and_logs_them(
    coach: Membership, person: Client, city: Organisation, login: Login
) -> None:
    older = _encounter(person, city, started_at=timezone.now() - dt.timedelta(days=9))
    newer = _encounter(person, city, kind=EncounterKind.PHONE, category=C.BENEFITS)
    response = login(coach).get(_url(person))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(f'id="encounter-{newer.pk}"') < body.index(f'id="encounter-{older.pk}"')
    assert "Phone call" in body
    assert 'aria-current="page">Encounters' in body
    assert body.count("Correct<span") == 2
    assert _logged(coach) == sorted(
        [
            (str(person.pk), C.BENEFITS, "view"),
            (str(person.pk), C.EMPLOYMENT, "view"),
            (str(person.pk), C.IDENTITY, "view"),
        ]
    )


def test_the_tab_has_a_clear_empty_state(coach: Membership, person: Client, login: Login) -> None:
    body = login(coach).get(_url(person)).content.decode()
    assert "No encounters that you may see have been recorded." in body
    assert "Record an encounter" in body
    assert _logged(coach) == [(str(person.pk), C.IDENTITY, "view")]


def test_the_number_of_queries_does_not_grow_with_the_encounters(
    coach: Membership, person: Client, city: Organisation, login: Login
) -> None:
    http = login(coach)
    http.get(_url(person))  # the first request of a session does extra work of its own

    def queries_with(rows: int) -> int:
        while Encounter.objects.count() < rows:
            encounter = _encounter(person, city)
            encounter.participants.add(coach)
            encounter.organisations.add(city)
        with CaptureQueriesContext(connection) as queries:
            assert http.get(_url(person)).status_code == 200
        return len(queries.captured_queries)

    # Session, user and membership (3); the client (1); the count and the rows (2); the
    # organisations and professionals present, their users, who recorded each (4); the log in
    # one insert under the chain's lock (5); whether the viewer works on the client (2); the
    # page frame and the session's save (4). Rows add none: all are fetched in bulk.
    few = queries_with(2)
    assert few <= 25
    assert queries_with(10) == few


def test_recording_an_encounter(
    coach: Membership, person: Client, city: Organisation, login: Login
) -> None:
    http = login(coach)
    form = http.get(_url(person, "new"))
    assert form.status_code == 200
    # The category offered is limited to what the role may read: no health or social data.
    choices = [value for value, _label in form.context["form"].fields["category"].choices]
    assert choices == [C.IDENTITY, C.CONTACT, C.EMPLOYMENT, C.EDUCATION, C.BENEFITS]
    # The form page shows the person's name: an identity read.
    assert _logged(coach) == [(str(person.pk), C.IDENTITY, "view")]
    response = http.post(_url(person, "new"), _form_data(participants=[coach.pk]))
    assert response.status_code == 302
    assert response["Location"] == _url(person)
    encounter = Encounter.objects.get()
    assert encounter.kind == EncounterKind.HOME_VISIT
    assert encounter.duration_minutes == 50
    assert encounter.recorded_by == city
    assert list(encounter.participants.all()) == [coach]
    assert list(encounter.organisations.all()) == [city]


def test_form_errors_are_shown_at_their_fields(
    coach: Membership, person: Client, login: Login
) -> None:
    ahead = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = login(coach).post(
        _url(person, "new"),
        _form_data(started_at=ahead, kind=EncounterKind.NETWORK_MEETING, duration_minutes="0"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"duration_minutes"}  # the form's own check comes first
    response = login(coach).post(
        _url(person, "new"), _form_data(started_at=ahead, kind=EncounterKind.NETWORK_MEETING)
    )
    form = response.context["form"]
    assert set(form.errors) == {"started_at", "organisations"}  # the service's rules
    body = response.content.decode()
    assert 'aria-describedby="id_started_at_error' in body
    assert Encounter.objects.count() == 0


def test_a_category_the_role_may_not_read_is_not_accepted(
    coach: Membership, person: Client, login: Login
) -> None:
    response = login(coach).post(_url(person, "new"), _form_data(category=C.HEALTH))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"category"}
    assert Encounter.objects.count() == 0


def test_correcting_an_encounter(
    coach: Membership, person: Client, city: Organisation, login: Login
) -> None:
    encounter = _encounter(person, city, category=C.BENEFITS)
    http = login(coach)
    form = http.get(_url(person, encounter.pk, "edit"))
    assert form.status_code == 200
    assert form.context["form"]["notes"].value() == "Discussed the job search."
    assert _logged(coach) == [
        (str(person.pk), C.BENEFITS, "view"),
        (str(person.pk), C.IDENTITY, "view"),
    ]
    response = http.post(
        _url(person, encounter.pk, "edit"),
        _form_data(notes="Corrected notes.", attendance=Attendance.NO_SHOW),
    )
    assert response.status_code == 302
    encounter.refresh_from_db()
    assert (encounter.notes, encounter.attendance) == ("Corrected notes.", Attendance.NO_SHOW)


def test_another_organisations_encounter_is_read_but_not_corrected(
    coach: Membership, person: Client, login: Login
) -> None:
    partner = OrganisationFactory()
    ConsentFactory(client=person, organisations=[partner], categories=[C.IDENTITY, C.EMPLOYMENT])
    theirs = _encounter(person, partner)
    # The city reads the partner's employment encounter only with a consent to the city.
    ConsentFactory(client=person, organisations=[coach.organisation], categories=[C.EMPLOYMENT])
    http = login(coach)
    body = http.get(_url(person)).content.decode()
    assert f'id="encounter-{theirs.pk}"' in body
    assert "Correct<span" not in body
    assert http.get(_url(person, theirs.pk, "edit")).status_code == 403


def test_invisible_encounters_and_clients_answer_404(
    coach: Membership, person: Client, city: Organisation, login: Login
) -> None:
    health = _encounter(person, city, category=C.HEALTH)
    stranger = ClientFactory()
    http = login(coach)
    assert http.get(_url(person, health.pk, "edit")).status_code == 404
    assert http.get(_url(stranger)).status_code == 404
    assert http.get(_url(stranger, "new")).status_code == 404
    assert _logged(coach) == []


def test_someone_who_may_not_work_on_the_client_cannot_record(
    person: Client, city: Organisation, login: Login
) -> None:
    other = OrganisationFactory()
    ConsentFactory(client=person, organisations=[other], categories=[C.IDENTITY, C.EMPLOYMENT])
    reader = MembershipFactory(organisation=other, role=Role.EMPLOYMENT_SPECIALIST)
    http = login(reader)
    assert "Record an encounter" not in http.get(_url(person)).content.decode()
    assert http.get(_url(person, "new")).status_code == 403
    assert http.post(_url(person, "new"), _form_data()).status_code == 403
    assert Encounter.objects.count() == 0
