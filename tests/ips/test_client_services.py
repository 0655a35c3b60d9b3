"""Writes of IPS work with the client: who may, which values the rules accept, and that a refused
or invalid call changes nothing. `make_world` and `start_case` are shared by the other IPS
client tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.clients.models import CareTeamMember, Client, Episode
from polku.core.categories import DataCategory
from polku.core.classifications import occupations
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.employers.models import Employer
from polku.ips.models import (
    BenefitsCounselling,
    CareerProfile,
    FollowAlongSupport,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
    TimeEntry,
)
from polku.ips.services import cases, counselling, job_search, placements, profiles
from polku.ips.services import time as time_services
from polku.ips.services.common import isco_codes, short_date
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    ConsentFactory,
    EmployerFactory,
    EpisodeFactory,
    MembershipFactory,
    OrganisationFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = timezone.localdate
COUNSELLOR_REFUSED = (
    "Choose yourself or an active member of the client's care team whose role covers benefits "
    "counselling."
)


def days_ago(days: int) -> dt.date:
    return TODAY() - dt.timedelta(days=days)


@dataclass
class World:
    """A client of "City employment services" in a programme since 60 days ago. On the care
    team: the key worker (an employment specialist, the coach). The city also has a coordinator,
    a second coach not on the team, a benefits counsellor and an employer liaison on the team,
    and there are two employers in the register (one no longer active)."""

    city: Organisation
    client: Client
    episode: Episode
    coach: Membership
    coordinator: Membership
    other_coach: Membership
    counsellor: Membership
    liaison: Membership
    employer: Employer
    closed_employer: Employer


def make_world() -> World:
    city = OrganisationFactory(name="City employment services")
    client = ClientFactory(recorded_by=city, first_name="Aino", last_name="Virtanen")
    episode = EpisodeFactory(client=client, start_date=days_ago(60))
    coach = MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=client, membership=coach, is_key_worker=True)
    counsellor = MembershipFactory(organisation=city, role=Role.BENEFITS_COUNSELLOR)
    CareTeamMemberFactory(client=client, membership=counsellor)
    liaison = MembershipFactory(organisation=city, role=Role.EMPLOYER_LIAISON)
    CareTeamMemberFactory(client=client, membership=liaison)
    return World(
        city=city,
        client=client,
        episode=episode,
        coach=coach,
        coordinator=MembershipFactory(organisation=city, role=Role.COORDINATOR),
        other_coach=MembershipFactory(organisation=city, role=Role.EMPLOYMENT_SPECIALIST),
        counsellor=counsellor,
        liaison=liaison,
        employer=EmployerFactory(name="Kauppa Oy"),
        closed_employer=EmployerFactory(name="Suljettu Oy", is_active=False),
    )


def start_case(w: World, *, days: int = 40) -> IpsCase:
    return cases.case_start(
        actor=w.coach,
        client=w.client,
        episode=w.episode,
        specialist=w.coach,
        start_date=days_ago(days),
    )


def record_job(w: World, **overrides: Any) -> JobPlacement:
    values: dict[str, Any] = {
        "employer": w.employer,
        "job_title": "Myyjä",
        "isco_code": "522",
        "competitive": True,
        "start_date": days_ago(20),
        "hours_per_week": Decimal("25"),
        "hourly_wage": Decimal("13.50"),
    } | overrides
    return placements.placement_record(actor=w.coach, client=w.client, **values)


def errors_of(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


@pytest.fixture
def w() -> World:
    return make_world()


# --- Cases -------------------------------------------------------------------------------------


def test_a_case_is_recorded_by_the_actors_organisation_and_audited(w: World) -> None:
    case = start_case(w)
    case.refresh_from_db()
    assert (case.client, case.episode, case.specialist) == (w.client, w.episode, w.coach)
    assert case.start_date == days_ago(40)
    assert (case.recorded_by, case.created_by) == (w.city, w.coach)
    entry = LogEntry.objects.get_for_object(case).get()
    assert entry.actor == w.coach.user


def test_a_coordinator_opens_a_case_and_the_specialist_joins_the_care_team(w: World) -> None:
    assert not CareTeamMember.objects.filter(client=w.client, membership=w.other_coach).exists()
    case = cases.case_start(
        actor=w.coordinator,
        client=w.client,
        episode=w.episode,
        specialist=w.other_coach,
        start_date=TODAY(),
    )
    assert case.specialist == w.other_coach
    member = CareTeamMember.objects.get(client=w.client, membership=w.other_coach)
    assert (member.removed_at, member.is_key_worker, member.added_by) == (
        None,
        False,
        w.coordinator,
    )


def test_a_team_member_who_may_not_manage_the_team_cannot_bring_in_another_specialist(
    w: World,
) -> None:
    errors = errors_of(
        cases.case_start,
        actor=w.liaison,
        client=w.client,
        episode=w.episode,
        specialist=w.other_coach,
        start_date=TODAY(),
    )
    assert list(errors) == ["specialist"]
    assert errors["specialist"][0].startswith(
        f"{w.other_coach.user.display_name()} is not on the client's care team"
    )
    assert IpsCase.objects.count() == 0
    assert not CareTeamMember.objects.filter(membership=w.other_coach).exists()


def test_one_open_case_per_client(w: World) -> None:
    start_case(w)
    errors = errors_of(
        cases.case_start,
        actor=w.coach,
        client=w.client,
        episode=w.episode,
        specialist=w.coach,
        start_date=TODAY(),
    )
    assert errors == {
        "client": ["The client already has an open IPS case. End it before starting a new one."]
    }
    assert IpsCase.objects.count() == 1


def test_a_case_starts_on_or_after_the_episode_and_not_in_the_future(w: World) -> None:
    base: dict[str, Any] = {
        "actor": w.coach,
        "client": w.client,
        "episode": w.episode,
        "specialist": w.coach,
    }
    early = errors_of(cases.case_start, **base, start_date=days_ago(61))
    assert list(early) == ["start_date"]
    assert early["start_date"][0].startswith("The IPS case cannot start before the programme")
    ahead = errors_of(cases.case_start, **base, start_date=TODAY() + dt.timedelta(days=1))
    assert ahead == {"start_date": ["The entry date cannot be in the future."]}
    assert cases.case_start(**base, start_date=days_ago(60)).start_date == w.episode.start_date
    assert IpsCase.objects.count() == 1


def test_the_episode_must_be_an_open_episode_of_the_client(w: World) -> None:
    ended = EpisodeFactory(
        client=w.client, start_date=days_ago(300), end_date=days_ago(200), end_reason="other"
    )
    someone_elses = EpisodeFactory(client=ClientFactory(recorded_by=w.city))
    for episode in (ended, someone_elses):
        errors = errors_of(
            cases.case_start,
            actor=w.coach,
            client=w.client,
            episode=episode,
            specialist=w.coach,
            start_date=TODAY(),
        )
        assert errors == {"episode": ["Choose one of the client's open programme episodes."]}
    assert IpsCase.objects.count() == 0


@pytest.mark.parametrize("who", ["coordinator", "other_org", "ended"])
def test_the_specialist_is_an_active_employment_specialist_of_the_organisation(
    w: World, who: str
) -> None:
    specialist = {
        "coordinator": w.coordinator,
        "other_org": MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST),
        "ended": MembershipFactory(
            organisation=w.city,
            role=Role.EMPLOYMENT_SPECIALIST,
            user__username="ended",
            valid_until=days_ago(1),
        ),
    }[who]
    errors = errors_of(
        cases.case_start,
        actor=w.coach,
        client=w.client,
        episode=w.episode,
        specialist=specialist,
        start_date=TODAY(),
    )
    assert errors == {
        "specialist": ["Choose an active employment specialist of your organisation."]
    }
    assert IpsCase.objects.count() == 0


def test_someone_who_may_not_work_on_the_client_cannot_start_a_case(w: World) -> None:
    for actor in (w.other_coach, MembershipFactory(role=Role.COORDINATOR)):
        with pytest.raises(PermissionDenied):
            cases.case_start(
                actor=actor,
                client=w.client,
                episode=w.episode,
                specialist=actor,
                start_date=TODAY(),
            )
    assert IpsCase.objects.count() == 0


def test_ending_a_case_needs_a_date_in_range_and_a_reason(w: World) -> None:
    case = start_case(w, days=40)
    before = errors_of(
        cases.case_end, actor=w.coach, case=case, end_date=days_ago(41), end_reason=""
    )
    assert set(before) == {"end_date", "end_reason"}
    assert before["end_reason"] == ["Choose why the case ended."]
    ahead = errors_of(
        cases.case_end,
        actor=w.coach,
        case=case,
        end_date=TODAY() + dt.timedelta(days=1),
        end_reason="moved",
    )
    assert ahead == {"end_date": ["The end date cannot be in the future."]}
    case.refresh_from_db()
    assert case.end_date is None
    cases.case_end(actor=w.coach, case=case, end_date=TODAY(), end_reason="moved")
    ended = IpsCase.objects.get(pk=case.pk)
    assert (ended.end_date, ended.end_reason) == (TODAY(), "moved")
    again = errors_of(
        cases.case_end, actor=w.coach, case=case, end_date=TODAY(), end_reason="moved"
    )
    assert again == {"end_date": ["This IPS case has already ended."]}


def test_only_the_recording_organisation_ends_a_case(w: World) -> None:
    case = start_case(w)
    partner = MembershipFactory(role=Role.COORDINATOR)
    ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    with pytest.raises(PermissionDenied):
        cases.case_end(actor=partner, case=case, end_date=TODAY(), end_reason="moved")


# --- Career profile -----------------------------------------------------------------------------


def test_each_save_of_the_profile_is_a_new_version(w: World) -> None:
    first = profiles.profile_save(
        actor=w.coach,
        client=w.client,
        work_history="  Warehouse 2015–2019  ",
        preferred_occupations=["932", "93", "932"],
        disclosure="partly",
    )
    second = profiles.profile_save(
        actor=w.coach, client=w.client, preferred_occupations=["522"], strengths="Punctual"
    )
    assert CareerProfile.objects.count() == 2
    first.refresh_from_db()
    assert first.work_history == "Warehouse 2015–2019"
    assert first.preferred_occupations == ["932", "93"]
    assert first.disclosure == "partly"
    assert (second.preferred_occupations, second.strengths, second.work_history) == (
        ["522"],
        "Punctual",
        "",
    )


def test_preferred_occupations_must_be_isco_groups(w: World) -> None:
    errors = errors_of(
        profiles.profile_save, actor=w.coach, client=w.client, preferred_occupations=["522", "5229"]
    )
    assert errors == {"preferred_occupations": ["5229 is not an ISCO-08 occupation group code."]}
    bad_choices = errors_of(
        profiles.profile_save,
        actor=w.coach,
        client=w.client,
        preferred_hours="nights",
        disclosure="maybe",
        preferred_places="x" * 301,
    )
    assert set(bad_choices) == {"preferred_hours", "disclosure", "preferred_places"}
    assert CareerProfile.objects.count() == 0


@given(
    codes=st.lists(
        st.sampled_from(sorted(occupations())) | st.text(max_size=5), min_size=0, max_size=6
    )
)
def test_isco_codes_pass_exactly_when_every_code_is_a_shipped_group(codes: list[str]) -> None:
    errors: dict[str, str] = {}
    cleaned = isco_codes(codes, "field", errors)
    known = all(code.strip() in occupations() for code in codes)
    assert (errors == {}) is known
    assert cleaned == list(dict.fromkeys(code.strip() for code in codes))


def test_a_profile_needs_write_access(w: World) -> None:
    with pytest.raises(PermissionDenied):
        profiles.profile_save(actor=w.other_coach, client=w.client)
    assert CareerProfile.objects.count() == 0


# --- Benefits counselling -----------------------------------------------------------------------


def test_counselling_is_benefits_data_recorded_by_whom_the_role_permits(w: World) -> None:
    record = counselling.counselling_record(
        actor=w.coach,
        client=w.client,
        date=days_ago(3),
        topics=["earnings_adjustment", "housing_allowance"],
        calculation_made=True,
        counsellor=w.counsellor,
    )
    record.refresh_from_db()
    assert (record.counsellor, record.topics, record.calculation_made) == (
        w.counsellor,
        ["earnings_adjustment", "housing_allowance"],
        True,
    )
    assert record.recorded_by == w.city
    own = counselling.counselling_record(
        actor=w.counsellor, client=w.client, date=TODAY(), topics=["taxation"]
    )
    assert own.counsellor == w.counsellor


def test_an_employer_liaison_may_not_record_counselling(w: World) -> None:
    with pytest.raises(PermissionDenied):
        counselling.counselling_record(
            actor=w.liaison, client=w.client, date=TODAY(), topics=["taxation"]
        )
    assert BenefitsCounselling.objects.count() == 0


def test_counselling_checks_date_topics_and_counsellor(w: World) -> None:
    errors = errors_of(
        counselling.counselling_record,
        actor=w.coach,
        client=w.client,
        date=TODAY() + dt.timedelta(days=1),
        topics=[],
        counsellor=w.liaison,
    )
    assert errors == {
        "date": ["The date cannot be in the future."],
        "topics": ["Choose at least one topic discussed."],
        "counsellor": [COUNSELLOR_REFUSED],
    }
    unknown = errors_of(
        counselling.counselling_record,
        actor=w.coach,
        client=w.client,
        date=TODAY(),
        topics=["lottery"],
    )
    assert unknown == {"topics": ["Choose topics from the list."]}
    assert BenefitsCounselling.objects.count() == 0


def test_the_counsellor_is_the_actor_or_on_the_clients_care_team(w: World) -> None:
    # Any benefits role of any organisation used to pass: the record would then name someone
    # who has nothing to do with the client.
    strangers = [
        MembershipFactory(role=Role.BENEFITS_COUNSELLOR),  # another organisation
        MembershipFactory(organisation=w.city, role=Role.BENEFITS_COUNSELLOR),  # not on the team
    ]
    for stranger in strangers:
        errors = errors_of(
            counselling.counselling_record,
            actor=w.coach,
            client=w.client,
            date=TODAY(),
            topics=["taxation"],
            counsellor=stranger,
        )
        assert errors == {"counsellor": [COUNSELLOR_REFUSED]}
    assert BenefitsCounselling.objects.count() == 0
    removed = MembershipFactory(organisation=w.city, role=Role.BENEFITS_COUNSELLOR)
    CareTeamMemberFactory(client=w.client, membership=removed, removed_at=timezone.now())
    assert errors_of(
        counselling.counselling_record,
        actor=w.coach,
        client=w.client,
        date=TODAY(),
        topics=["taxation"],
        counsellor=removed,
    ) == {"counsellor": [COUNSELLOR_REFUSED]}
    # What the page offers is exactly what the service accepts.
    offered = {m.pk for m in counselling.counsellors_for(w.coach, w.client)}
    assert offered == {w.coach.pk, w.counsellor.pk}
    record = counselling.counselling_record(
        actor=w.coach,
        client=w.client,
        date=TODAY(),
        topics=["taxation"],
        counsellor=w.counsellor,
    )
    assert record.counsellor == w.counsellor


# --- Job search ---------------------------------------------------------------------------------


def test_a_new_job_search_plan_is_recorded_beside_the_old(w: World) -> None:
    old = job_search.plan_create(
        actor=w.coach, client=w.client, agreed_on=days_ago(30), goal="Any job"
    )
    new = job_search.plan_create(
        actor=w.coach,
        client=w.client,
        agreed_on=TODAY(),
        goal=" Warehouse work ",
        target_occupations=["933"],
        review_on=TODAY() + dt.timedelta(days=30),
    )
    assert JobSearchPlan.objects.count() == 2
    assert (new.goal, new.target_occupations) == ("Warehouse work", ["933"])
    old.refresh_from_db()
    assert old.goal == "Any job"


def test_a_job_search_plan_checks_its_values(w: World) -> None:
    errors = errors_of(
        job_search.plan_create,
        actor=w.coach,
        client=w.client,
        agreed_on=TODAY(),
        goal="   ",
        target_occupations=["X"],
        review_on=days_ago(1),
    )
    assert set(errors) == {"goal", "target_occupations", "review_on"}
    assert errors["goal"] == ["Write down the goal of the job search."]
    assert JobSearchPlan.objects.count() == 0


def test_an_activity_with_an_employer_names_one_from_the_register(w: World) -> None:
    vacancy = VacancyFactory(employer=w.employer)
    activity = job_search.activity_record(
        actor=w.coach,
        client=w.client,
        date=TODAY(),
        kind="interview",
        vacancy=vacancy,
        specialist_present=True,
    )
    assert (activity.employer, activity.vacancy, activity.specialist_present) == (
        w.employer,
        vacancy,
        True,
    )
    application = job_search.activity_record(
        actor=w.coach, client=w.client, date=TODAY(), kind="application"
    )
    assert application.employer is None


def test_an_activity_checks_kind_date_employer_and_vacancy(w: World) -> None:
    missing = errors_of(
        job_search.activity_record,
        actor=w.coach,
        client=w.client,
        date=TODAY() + dt.timedelta(days=1),
        kind="employer_meeting",
    )
    assert missing == {
        "date": ["The date cannot be in the future."],
        "employer": ["Choose the employer the contact was with."],
    }
    mixed = errors_of(
        job_search.activity_record,
        actor=w.coach,
        client=w.client,
        date=TODAY(),
        kind="dancing",
        employer=w.closed_employer,
        vacancy=VacancyFactory(),
    )
    assert mixed == {
        "kind": ["Choose the kind of activity from the list."],
        "vacancy": ["Choose a vacancy of the employer chosen."],
        "employer": ["Choose an active employer from the register."],
    }
    assert JobSearchActivity.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "filled", "closed"])
def test_a_new_activity_names_only_an_open_vacancy(w: World, status: str) -> None:
    vacancy = VacancyFactory(employer=w.employer, status=status)
    errors = errors_of(
        job_search.activity_record,
        actor=w.coach,
        client=w.client,
        date=TODAY(),
        kind="interview",
        employer=w.employer,
        vacancy=vacancy,
    )
    assert errors == {"vacancy": ["The vacancy is not open. Choose an open vacancy, or none."]}
    assert JobSearchActivity.objects.count() == 0


def test_an_activity_cannot_be_dated_before_the_clients_entry(w: World) -> None:
    # Rapid job search is measured from entry: an activity dated before it is a typing error.
    case = start_case(w, days=40)
    activity: dict[str, Any] = {
        "actor": w.coach,
        "client": w.client,
        "kind": "interview",
        "employer": w.employer,
    }
    errors = errors_of(job_search.activity_record, **activity, date=days_ago(41))
    assert errors == {
        "date": [
            "The activity cannot be dated before the client's entry to IPS "
            f"({short_date(case.start_date)})."
        ]
    }
    assert JobSearchActivity.objects.count() == 0
    assert job_search.activity_record(**activity, date=days_ago(40)).date == case.start_date


def test_without_an_open_case_an_activity_has_no_entry_to_be_before(w: World) -> None:
    activity = job_search.activity_record(
        actor=w.coach, client=w.client, date=days_ago(100), kind="application"
    )
    assert activity.date == days_ago(100)


# --- Placements ---------------------------------------------------------------------------------


def test_a_job_is_recorded_in_the_open_case_with_its_facts(w: World) -> None:
    case = start_case(w)
    job = record_job(w, subsidised=True)
    job.refresh_from_db()
    assert (job.case, job.client, job.employer, job.specialist) == (
        case,
        w.client,
        w.employer,
        w.coach,
    )
    assert (job.job_title, job.isco_code, job.competitive, job.subsidised) == (
        "Myyjä",
        "522",
        True,
        True,
    )
    assert (job.hours_per_week, job.hourly_wage) == (Decimal("25.0"), Decimal("13.50"))
    assert job.follow_along_ended_on is None
    assert (job.end_date, job.end_reason) == (None, "")


def test_a_job_needs_an_open_case(w: World) -> None:
    errors = errors_of(record_job, w=w)
    assert errors == {
        "client": [
            "The client has no open IPS case. Start the case first: a job is recorded in it."
        ]
    }


def test_a_coordinator_records_a_job_for_the_cases_specialist(w: World) -> None:
    start_case(w)
    job = placements.placement_record(
        actor=w.coordinator,
        client=w.client,
        employer=w.employer,
        job_title="Varastotyöntekijä",
        isco_code="933",
        competitive=False,
        start_date=TODAY(),
        hours_per_week=Decimal("0.5"),
    )
    assert (job.specialist, job.competitive, job.hourly_wage) == (w.coach, False, None)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"employer": None}, {"employer": ["Choose the employer from the register."]}),
        ({"competitive": None}, {"competitive": ["Answer whether the job is competitive."]}),
        ({"isco_code": "5221"}, {"isco_code": ["Choose the occupation from the ISCO-08 list."]}),
        (
            {"hours_per_week": Decimal("0.4")},
            {"hours_per_week": ["Give the hours per week, from 0.5 to 60."]},
        ),
        (
            {"hours_per_week": Decimal("60.5")},
            {"hours_per_week": ["Give the hours per week, from 0.5 to 60."]},
        ),
        (
            {"hourly_wage": Decimal("-0.01")},
            {"hourly_wage": ["Give the hourly wage in euros, from 0 to 500."]},
        ),
        ({"job_title": " "}, {"job_title": ["Give the job title."]}),
        ({"end_date": days_ago(5)}, {"end_reason": ["Choose why the job ended."]}),
        ({"end_reason": "quit"}, {"end_date": ["Give the date the job ended."]}),
        (
            {"end_date": TODAY() + dt.timedelta(days=1), "end_reason": "quit"},
            {"end_date": ["The end date cannot be in the future."]},
        ),
        (
            {"start_date": TODAY() + dt.timedelta(days=366)},
            {"start_date": ["The start date is more than a year ahead."]},
        ),
    ],
)
def test_a_job_breaking_a_rule_is_refused_field_by_field(
    w: World, overrides: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    start_case(w)
    assert errors_of(record_job, w=w, **overrides) == expected
    assert JobPlacement.objects.count() == 0


def test_a_job_ends_before_its_start_is_refused_with_the_start_date(w: World) -> None:
    start_case(w)
    errors = errors_of(record_job, w=w, end_date=days_ago(21), end_reason="fired")
    assert list(errors) == ["end_date"]
    assert errors["end_date"][0].startswith("The end date is before the start date")


def test_the_employer_must_be_active(w: World) -> None:
    start_case(w)
    errors = errors_of(record_job, w=w, employer=w.closed_employer)
    assert errors == {"employer": ["Choose an active employer from the register."]}


@pytest.mark.parametrize(
    ("status", "accepted"),
    [("open", True), ("filled", True), ("draft", False), ("closed", False)],
)
def test_a_job_names_an_open_or_filled_vacancy_of_its_employer(
    w: World, status: str, accepted: bool
) -> None:
    # The vacancy this very client filled is the normal case; a draft or closed one never was
    # a job anyone got.
    start_case(w)
    vacancy = VacancyFactory(employer=w.employer, status=status)
    if accepted:
        assert record_job(w, vacancy=vacancy).vacancy == vacancy
        return
    errors = errors_of(record_job, w=w, vacancy=vacancy)
    assert errors == {
        "vacancy": ["The vacancy is a draft or closed. Choose an open or filled vacancy, or none."]
    }
    assert JobPlacement.objects.count() == 0


def test_a_job_names_a_vacancy_of_the_employer_chosen(w: World) -> None:
    start_case(w)
    errors = errors_of(record_job, w=w, vacancy=VacancyFactory(status="filled"))
    assert errors == {"vacancy": ["Choose a vacancy of the employer chosen."]}


def test_a_job_cannot_start_before_the_clients_entry(w: World) -> None:
    # Outcomes count jobs from entry and fidelity counts every job: a start before entry was
    # saved silently and then counted by one and not the other.
    case = start_case(w, days=40)
    errors = errors_of(record_job, w=w, start_date=days_ago(41))
    assert errors == {
        "start_date": [
            "The job cannot start before the client's entry to IPS "
            f"({short_date(case.start_date)})."
        ]
    }
    assert JobPlacement.objects.count() == 0
    assert record_job(w, start_date=days_ago(40)).start_date == case.start_date


WAGE_REFUSED = (
    "A competitive job pays at least the collectively agreed wage; check the wage or mark the "
    "job not competitive."
)


@pytest.mark.parametrize(
    ("competitive", "wage", "accepted"),
    [
        (True, "4.50", False),
        (True, "0", False),
        (True, "8.99", False),
        (True, "9.00", True),
        (True, "13.50", True),
        (True, None, True),
        (False, "4.50", True),
    ],
)
def test_a_competitive_job_pays_at_least_the_agreed_wage(
    w: World, competitive: bool, wage: str | None, accepted: bool
) -> None:
    start_case(w)
    hourly_wage = Decimal(wage) if wage is not None else None
    job: dict[str, Any] = {"competitive": competitive, "hourly_wage": hourly_wage}
    if accepted:
        assert record_job(w, **job).hourly_wage == hourly_wage
        return
    assert errors_of(record_job, w=w, **job) == {"hourly_wage": [WAGE_REFUSED]}
    assert JobPlacement.objects.count() == 0


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(wage=st.decimals(min_value=0, max_value=500, places=2))
def test_a_competitive_wage_is_refused_exactly_below_the_floor(w: World, wage: Decimal) -> None:
    if not w.client.ips_cases.exists():
        start_case(w)
    if wage < placements.COMPETITIVE_MIN_HOURLY_WAGE:
        assert errors_of(record_job, w=w, hourly_wage=wage) == {"hourly_wage": [WAGE_REFUSED]}
    else:
        assert record_job(w, hourly_wage=wage).hourly_wage == wage


def _details(job: JobPlacement, **changes: Any) -> dict[str, Any]:
    """A job's correctable details as `placement_update` takes them, with `changes`."""
    return {
        "employer": job.employer,
        "vacancy": job.vacancy,
        "job_title": job.job_title,
        "isco_code": job.isco_code,
        "competitive": job.competitive,
        "subsidised": job.subsidised,
        "start_date": job.start_date,
        "hours_per_week": job.hours_per_week,
        "hourly_wage": job.hourly_wage,
        "end_date": job.end_date,
        "end_reason": job.end_reason,
    } | changes


def test_correcting_a_job_replaces_its_details_and_is_audited(w: World) -> None:
    case = start_case(w)
    job = record_job(w)
    other = EmployerFactory(name="Varasto Oy")
    vacancy = VacancyFactory(employer=other, status="filled")
    audited = LogEntry.objects.get_for_object(job).count()
    placements.placement_update(
        actor=w.coach,
        placement=job,
        **_details(
            job,
            employer=other,
            vacancy=vacancy,
            job_title=" Varastotyöntekijä ",
            isco_code="933",
            competitive=False,
            subsidised=True,
            start_date=days_ago(25),
            hours_per_week=Decimal("30"),
            hourly_wage=Decimal("12.00"),
            end_date=days_ago(3),
            end_reason="temporary_ended",
        ),
    )
    job.refresh_from_db()
    assert (job.employer, job.vacancy, job.job_title, job.isco_code) == (
        other,
        vacancy,
        "Varastotyöntekijä",
        "933",
    )
    assert (job.competitive, job.subsidised, job.start_date) == (False, True, days_ago(25))
    assert (job.hours_per_week, job.hourly_wage) == (Decimal("30"), Decimal("12.00"))
    assert (job.end_date, job.end_reason) == (days_ago(3), "temporary_ended")
    assert (job.case, job.specialist, job.recorded_by) == (case, w.coach, w.city)
    entries = LogEntry.objects.get_for_object(job)
    assert entries.count() == audited + 1
    assert entries.latest("timestamp").actor == w.coach.user
    # An end recorded by mistake is taken back with its reason.
    placements.placement_update(
        actor=w.coach, placement=job, **_details(job, end_date=None, end_reason="")
    )
    job.refresh_from_db()
    assert (job.end_date, job.end_reason) == (None, "")


def test_a_correction_follows_the_rules_of_a_new_job(w: World) -> None:
    case = start_case(w, days=40)
    job = record_job(w)
    errors = errors_of(
        placements.placement_update,
        actor=w.coach,
        placement=job,
        **_details(
            job,
            start_date=days_ago(41),
            hourly_wage=Decimal("4.50"),
            job_title=" ",
            isco_code="5221",
        ),
    )
    assert errors == {
        "start_date": [
            "The job cannot start before the client's entry to IPS "
            f"({short_date(case.start_date)})."
        ],
        "hourly_wage": [WAGE_REFUSED],
        "job_title": ["Give the job title."],
        "isco_code": ["Choose the occupation from the ISCO-08 list."],
    }
    unchanged = JobPlacement.objects.get()
    assert (unchanged.start_date, unchanged.hourly_wage, unchanged.job_title) == (
        days_ago(20),
        Decimal("13.50"),
        "Myyjä",
    )


def test_a_correction_may_keep_an_employer_and_vacancy_no_longer_open(w: World) -> None:
    start_case(w)
    vacancy = VacancyFactory(employer=w.employer, status="open")
    job = record_job(w, vacancy=vacancy)
    w.employer.is_active = False
    w.employer.save()
    vacancy.status = "closed"
    vacancy.save()
    placements.placement_update(
        actor=w.coach, placement=job, **_details(job, hours_per_week=Decimal("20"))
    )
    job.refresh_from_db()
    assert (job.employer, job.vacancy, job.hours_per_week) == (
        w.employer,
        vacancy,
        Decimal("20"),
    )
    # Another employer or vacancy is held to the rules of a new job.
    moved = errors_of(
        placements.placement_update,
        actor=w.coach,
        placement=job,
        **_details(job, employer=w.closed_employer, vacancy=None),
    )
    assert moved == {"employer": ["Choose an active employer from the register."]}
    closed = VacancyFactory(employer=w.employer, status="closed")
    other_vacancy = errors_of(
        placements.placement_update, actor=w.coach, placement=job, **_details(job, vacancy=closed)
    )
    assert other_vacancy == {
        "vacancy": ["The vacancy is a draft or closed. Choose an open or filled vacancy, or none."]
    }


def test_a_corrected_start_stays_before_the_follow_along(w: World) -> None:
    start_case(w)
    job = record_job(w, start_date=days_ago(20))
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    support: dict[str, Any] = {
        "placement": job,
        "with_whom": "client",
        "mode": "phone",
        "content": "Call",
    }
    placements.support_record(actor=partner, **support, date=days_ago(15))
    placements.support_record(actor=w.coach, **support, date=days_ago(10))
    correct: dict[str, Any] = {"actor": w.coach, "placement": job}
    # The partner's support is not the city's to read: its date is not given.
    hidden = errors_of(
        placements.placement_update, **correct, **_details(job, start_date=days_ago(12))
    )
    assert hidden == {"start_date": ["Follow-along support was recorded before this start."]}
    shown = errors_of(
        placements.placement_update, **correct, **_details(job, start_date=days_ago(5))
    )
    assert shown == {
        "start_date": [
            f"Follow-along support was recorded on {short_date(days_ago(10))}, before this start."
        ]
    }
    placements.placement_update(**correct, **_details(job, start_date=days_ago(15)))
    ended = record_job(w, job_title="Kesätyö", start_date=days_ago(20))
    placements.follow_along_end(
        actor=w.coach, placement=ended, ended_on=days_ago(15), client_chose=True
    )
    after_end = errors_of(
        placements.placement_update,
        actor=w.coach,
        placement=ended,
        **_details(ended, start_date=days_ago(12)),
    )
    assert after_end == {
        "start_date": [
            "Follow-along support of this job ended on "
            f"{short_date(days_ago(15))}, before this start."
        ]
    }


def test_only_the_recording_organisation_corrects_a_job(w: World) -> None:
    start_case(w)
    job = record_job(w)
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    for outsider in (partner, w.other_coach):
        with pytest.raises(PermissionDenied):
            placements.placement_update(
                actor=outsider, placement=job, **_details(job, job_title="Changed")
            )
    assert JobPlacement.objects.get().job_title == "Myyjä"


def test_a_past_job_is_recorded_with_its_end(w: World) -> None:
    start_case(w)
    job = record_job(w, end_date=days_ago(2), end_reason="temporary_ended")
    assert (job.end_date, job.end_reason) == (days_ago(2), "temporary_ended")


def test_ending_a_job_keeps_follow_along_going(w: World) -> None:
    start_case(w)
    job = record_job(w)
    placements.placement_end(actor=w.coach, placement=job, end_date=TODAY(), end_reason="promoted")
    job.refresh_from_db()
    assert (job.end_date, job.end_reason, job.follow_along_ended_on) == (TODAY(), "promoted", None)
    again = errors_of(
        placements.placement_end, actor=w.coach, placement=job, end_date=TODAY(), end_reason="quit"
    )
    assert again == {"end_date": ["This job has already ended."]}
    support = placements.support_record(
        actor=w.coach,
        placement=job,
        date=TODAY(),
        with_whom="client",
        mode="phone",
        content="Next steps after the promotion",
    )
    assert support.client == w.client


def test_ending_a_job_needs_a_reason(w: World) -> None:
    start_case(w)
    job = record_job(w)
    errors = errors_of(
        placements.placement_end, actor=w.coach, placement=job, end_date=TODAY(), end_reason=""
    )
    assert errors == {"end_reason": ["Choose why the job ended."]}


def test_follow_along_support_starts_with_the_job(w: World) -> None:
    start_case(w)
    job = record_job(w, start_date=days_ago(10))
    base: dict[str, Any] = {
        "actor": w.coach,
        "placement": job,
        "with_whom": "both",
        "mode": "in_person",
    }
    early = errors_of(placements.support_record, **base, date=days_ago(11), content="Visit")
    assert list(early) == ["date"]
    assert early["date"][0].startswith("Follow-along support starts with the job")
    bad = errors_of(
        placements.support_record,
        actor=w.coach,
        placement=job,
        date=days_ago(1),
        with_whom="cat",
        mode="pigeon",
        content=" ",
    )
    assert set(bad) == {"with_whom", "mode", "content"}
    support = placements.support_record(**base, date=days_ago(10), content=" Met the supervisor ")
    support.refresh_from_db()
    assert (support.placement, support.client, support.specialist) == (job, w.client, w.coach)
    assert support.content == "Met the supervisor"
    assert FollowAlongSupport.objects.count() == 1


def test_follow_along_ends_only_by_the_clients_choice(w: World) -> None:
    start_case(w)
    job = record_job(w, start_date=days_ago(10))
    placements.support_record(
        actor=w.coach,
        placement=job,
        date=days_ago(3),
        with_whom="client",
        mode="phone",
        content="Call",
    )
    unconfirmed = errors_of(
        placements.follow_along_end,
        actor=w.coach,
        placement=job,
        ended_on=TODAY(),
        client_chose=False,
    )
    assert unconfirmed == {
        "client_chose": [
            "Follow-along support ends only when the client chooses so. Confirm that they did."
        ]
    }
    before_support = errors_of(
        placements.follow_along_end,
        actor=w.coach,
        placement=job,
        ended_on=days_ago(4),
        client_chose=True,
    )
    assert list(before_support) == ["ended_on"]
    job.refresh_from_db()
    assert job.follow_along_ended_on is None
    placements.follow_along_end(
        actor=w.coach, placement=job, ended_on=days_ago(1), client_chose=True
    )
    job.refresh_from_db()
    assert job.follow_along_ended_on == days_ago(1)
    after = errors_of(
        placements.support_record,
        actor=w.coach,
        placement=job,
        date=TODAY(),
        with_whom="client",
        mode="phone",
        content="Call",
    )
    assert list(after) == ["date"]
    assert after["date"][0].startswith("The client chose to end the follow-along support")


def test_ending_follow_along_before_a_support_gives_only_a_date_the_actor_may_read(
    w: World,
) -> None:
    # Another organisation on the team (by consent) supports the client; the city may not read
    # that support, so its refusal must not carry the support's date.
    start_case(w)
    job = record_job(w, start_date=days_ago(10))
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    support: dict[str, Any] = {
        "placement": job,
        "with_whom": "client",
        "mode": "phone",
        "content": "Call",
    }
    placements.support_record(actor=w.coach, **support, date=days_ago(8))
    placements.support_record(actor=partner, **support, date=days_ago(2))
    end: dict[str, Any] = {"actor": w.coach, "placement": job, "client_chose": True}
    hidden = errors_of(placements.follow_along_end, **end, ended_on=days_ago(5))
    assert hidden == {"ended_on": ["Support was recorded after this date."]}
    shown = errors_of(placements.follow_along_end, **end, ended_on=days_ago(9))
    assert shown == {
        "ended_on": [f"Support was recorded on {short_date(days_ago(8))}, after this date."]
    }
    job.refresh_from_db()
    assert job.follow_along_ended_on is None
    placements.follow_along_end(**end, ended_on=days_ago(2))
    job.refresh_from_db()
    assert job.follow_along_ended_on == days_ago(2)


def test_an_employer_liaison_records_jobs_but_only_the_recording_organisation_ends_them(
    w: World,
) -> None:
    start_case(w)
    job = placements.placement_record(
        actor=w.liaison,
        client=w.client,
        employer=w.employer,
        job_title="Siivooja",
        isco_code="911",
        competitive=True,
        start_date=TODAY(),
        hours_per_week=Decimal("20"),
    )
    assert job.specialist == w.coach  # the case's specialist: a liaison carries no caseload
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    CareTeamMemberFactory(client=w.client, membership=partner)
    with pytest.raises(PermissionDenied):
        placements.placement_end(actor=partner, placement=job, end_date=TODAY(), end_reason="quit")
    with pytest.raises(PermissionDenied):
        placements.follow_along_end(
            actor=partner, placement=job, ended_on=TODAY(), client_chose=True
        )
    # Support may come from any organisation that works on the client.
    support = placements.support_record(
        actor=partner,
        placement=job,
        date=TODAY(),
        with_whom="client",
        mode="video",
        content="Check-in",
    )
    assert (support.recorded_by, support.specialist) == (partner.organisation, partner)


# --- Time ---------------------------------------------------------------------------------------


def test_a_specialist_records_their_own_time(w: World) -> None:
    entry = time_services.time_entry_record(
        actor=w.coach, date=TODAY(), activity="job_development", minutes=90, in_community=True
    )
    entry.refresh_from_db()
    assert (entry.membership, entry.minutes, entry.in_community) == (w.coach, 90, True)
    assert LogEntry.objects.get_for_object(entry).get().actor == w.coach.user


def test_only_employment_specialists_record_time(w: World) -> None:
    for actor in (w.coordinator, w.liaison):
        with pytest.raises(PermissionDenied):
            time_services.time_entry_record(actor=actor, date=TODAY(), activity="admin", minutes=30)
    assert TimeEntry.objects.count() == 0


def test_time_entries_check_the_day_and_its_total(w: World) -> None:
    errors = errors_of(
        time_services.time_entry_record,
        actor=w.coach,
        date=TODAY() + dt.timedelta(days=1),
        activity="sleeping",
        minutes=4,
    )
    assert errors == {
        "date": ["The date cannot be in the future."],
        "activity": ["Choose the activity from the list."],
        "minutes": ["Give the minutes, from 5 to 1440."],
    }
    old = errors_of(
        time_services.time_entry_record,
        actor=w.coach,
        date=days_ago(367),
        activity="admin",
        minutes=5,
    )
    assert old == {"date": ["Record time within a year of the day."]}
    time_services.time_entry_record(actor=w.coach, date=TODAY(), activity="team", minutes=1400)
    full = errors_of(
        time_services.time_entry_record, actor=w.coach, date=TODAY(), activity="admin", minutes=41
    )
    assert full == {
        "minutes": ["1400 minutes are already recorded for that day: a day has 24 hours."]
    }
    time_services.time_entry_record(actor=w.coach, date=TODAY(), activity="admin", minutes=40)
    assert TimeEntry.objects.filter(membership=w.coach).count() == 2
