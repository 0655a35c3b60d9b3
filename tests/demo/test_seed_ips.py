"""The demo's employer register and IPS work: deterministic, and shaped like the Helsinki pilot
the issue describes — 60–120 employers with valid Business IDs, six specialists with caseloads
around the IPS limit of 20, jobs for 30–45 % of the clients, two completed fidelity reviews —
so that a specialist's week and a programme manager's fidelity and outcome pages have
something true to show."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from auditlog.context import disable_auditlog
from django.core.management import call_command
from django.db.models import Count, Model, Q, Sum
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.clients.models import CareTeamMember, Client, Consent, Episode, Programme
from polku.clients.services import can_work_on
from polku.core import access
from polku.core.categories import DataCategory, Purpose
from polku.core.classifications import industries, occupations
from polku.core.models import Membership, Organisation, User
from polku.core.roles import Role
from polku.core.validators import normalise_business_id
from polku.demo import generator
from polku.demo.employers import EmployersGenerator, employer_count
from polku.demo.generator import SeedResult
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
    InteractionKind,
    InteractionPurpose,
    Vacancy,
    VacancyStatus,
)
from polku.ips.forms import BENEFIT_TOPICS
from polku.ips.models import (
    CASELOAD_LIMIT,
    FACE_TO_FACE_KINDS,
    BenefitsCounselling,
    CareerProfile,
    CaseEndReason,
    FidelityReview,
    FidelityScore,
    FollowAlongSupport,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
    ReviewStatus,
    TimeEntry,
)
from polku.plans.models import (
    Action,
    Assessment,
    DomainEntry,
    Encounter,
    Goal,
    Location,
    Notification,
    Plan,
    PlanReview,
    PlanRevision,
    Referral,
    ReferralEvent,
    Service,
    ServiceAtLocation,
)
from tests.demo.test_seed_evaluation import wipe_evaluation

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = dt.date(2026, 11, 27)
# The pilot's size: six specialists' caseloads come out around 20 at 350 clients.
CLIENTS = 350


@pytest.fixture
def seeded() -> SeedResult:
    return generator.seed(clients=CLIENTS, seed=2026, today=TODAY)


# The employer register's and the IPS app's tables, children first.
IPS_AND_EMPLOYER_MODELS: list[type[Model]] = [
    FidelityScore,
    FidelityReview,
    TimeEntry,
    FollowAlongSupport,
    JobSearchActivity,
    JobPlacement,
    JobSearchPlan,
    BenefitsCounselling,
    CareerProfile,
    IpsCase,
    EmployerInteraction,
    EmployerAgreement,
    Vacancy,
    EmployerPerson,
    EmployerLocation,
    Employer,
]


def wipe_ips_and_employers() -> None:
    """Empty the tables the demo's employers.py and ips.py fill, so that a test can seed again
    (test_seed.py and test_seed_plans.py call it too). Without the change audit: thousands of
    deletions would each write an audit entry."""
    wipe_evaluation()  # the evaluation app's demo rows protect episodes and programmes
    with disable_auditlog():
        for model in IPS_AND_EMPLOYER_MODELS:
            model.objects.all().delete()  # type: ignore[attr-defined]


def _wipe() -> None:
    wipe_ips_and_employers()
    with disable_auditlog():
        for model in [
            Notification,
            ReferralEvent,
            Referral,
            Encounter,
            PlanRevision,
            PlanReview,
            Action,
            Goal,
            Plan,
            DomainEntry,
            Assessment,
            ServiceAtLocation,
            Service,
            Location,
            CareTeamMember,
            Consent,
            Episode,
            Client,
            Membership,
            User,
            Programme,
            Organisation,
        ]:
            model.objects.all().delete()  # type: ignore[attr-defined]


def _coaches() -> list[Membership]:
    return list(
        Membership.objects.filter(
            organisation__name_en="Työpolku IPS Coaching", role=Role.EMPLOYMENT_SPECIALIST
        ).select_related("user")
    )


# --- The employer register -------------------------------------------------------------------


def test_employers_have_valid_unique_business_ids_industries_workplaces_and_people(
    seeded: SeedResult,
) -> None:
    employers = list(Employer.objects.all())
    assert 60 <= len(employers) <= 120
    assert seeded.employers.employers == len(employers)
    business_ids = [e.business_id for e in employers]
    assert len(set(business_ids)) == len(business_ids)
    for employer in employers:
        assert normalise_business_id(employer.business_id) == employer.business_id
        assert employer.country == "FI"
        employer.full_clean()
    sections = Counter(e.industry for e in employers)
    assert set(sections) <= set(industries())
    # Retail, hospitality, logistics, cleaning, care, construction and manufacturing at least.
    assert {"G", "I", "H", "N", "Q", "F", "C"} <= set(sections)
    assert 3 <= sum(e.is_social_enterprise for e in employers) <= 10
    assert len({e.name for e in employers}) == len(employers)

    places = Counter(EmployerLocation.objects.values_list("employer", flat=True))
    assert all(1 <= places[e.pk] <= 3 for e in employers)
    for location in EmployerLocation.objects.all():
        assert location.municipality in {"Helsinki", "Espoo", "Vantaa"}
        assert location.postal_code.isdigit()
        assert len(location.postal_code) == 5
        assert location.street_address
    people = Counter(EmployerPerson.objects.values_list("employer", flat=True))
    assert all(1 <= people[e.pk] <= 2 for e in employers)
    for person in EmployerPerson.objects.all():
        assert person.email.endswith("@example.invalid")
        person.full_clean()
    assert EmployerPerson.objects.filter(is_primary=True).count() == len(employers)
    agreements = EmployerAgreement.objects.all()
    assert len(agreements) >= 20
    for agreement in agreements:
        assert agreement.start_date <= TODAY
        assert agreement.end_date is None or agreement.end_date >= agreement.start_date
        assert agreement.agreed_by.role in {Role.EMPLOYMENT_SPECIALIST, Role.EMPLOYER_LIAISON}


def test_vacancies_name_fixture_occupations_and_are_mostly_open_with_deadlines_ahead(
    seeded: SeedResult,
) -> None:
    vacancies = list(Vacancy.objects.select_related("location", "employer"))
    employers = Employer.objects.count()
    assert employers <= len(vacancies) <= 3 * employers
    for vacancy in vacancies:
        assert vacancy.isco_code in occupations()
        assert len(vacancy.isco_code) == 3
        assert vacancy.location is None or vacancy.location.employer_id == vacancy.employer_id
        assert set(vacancy.languages) <= {"fi", "sv", "en"}
        assert vacancy.title
        assert vacancy.description
        vacancy.full_clean()
        if vacancy.status == VacancyStatus.OPEN:
            assert vacancy.deadline is not None
            assert vacancy.deadline >= TODAY
            assert vacancy.employer.is_active
    statuses = Counter(v.status for v in vacancies)
    assert statuses[VacancyStatus.OPEN] > len(vacancies) / 2
    assert statuses[VacancyStatus.FILLED]
    assert statuses[VacancyStatus.CLOSED]
    assert len({v.isco_code for v in vacancies}) >= 20


# --- Cases and caseloads ---------------------------------------------------------------------


def test_six_specialists_have_open_caseloads_around_20_and_one_is_over(
    seeded: SeedResult,
) -> None:
    coaches = _coaches()
    assert len(coaches) == 6
    open_cases = Counter(
        IpsCase.objects.filter(end_date__isnull=True).values_list("specialist", flat=True)
    )
    loads = [open_cases[coach.pk] for coach in coaches]
    assert all(15 <= load <= 25 for load in loads), loads
    over = [coach for coach in coaches if open_cases[coach.pk] > CASELOAD_LIMIT]
    assert len(over) == 1
    assert open_cases[over[0].pk] <= CASELOAD_LIMIT + 2
    # The printed demo login shows the warning on their own caseload page.
    assert over[0].user.username == "coach"
    assert seeded.ips.open_cases == sum(loads)


def test_every_case_is_an_ips_pilot_episode_of_a_client_the_specialist_works_with(
    seeded: SeedResult,
) -> None:
    ips = Organisation.objects.get(name_en="Työpolku IPS Coaching")
    cases = list(IpsCase.objects.select_related("episode__programme", "specialist"))
    assert len(cases) == seeded.ips.cases >= 100
    assert len({case.client_id for case in cases}) == len(cases)
    on_team = set(
        CareTeamMember.objects.filter(membership__organisation=ips).values_list(
            "client", "membership"
        )
    )
    for case in cases:
        assert case.episode.programme.code == "ips-pilot"
        assert case.episode.client_id == case.client_id
        assert case.recorded_by_id == ips.pk
        assert case.created_by_id == case.specialist_id
        assert case.specialist.role == Role.EMPLOYMENT_SPECIALIST
        assert case.episode.start_date <= case.start_date <= TODAY
        assert (case.client_id, case.specialist_id) in on_team
        if case.episode.end_date is not None:
            assert case.end_date == case.episode.end_date
            assert case.end_reason
        if case.end_date is None:
            assert not case.end_reason
        else:
            assert case.start_date <= case.end_date <= TODAY
            assert case.end_reason in CaseEndReason.values


def test_each_specialist_may_work_on_and_read_their_open_cases_today() -> None:
    # The access policy decides with today's date: seed on it.
    today = timezone.localdate()
    generator.seed(clients=CLIENTS, seed=2026, today=today)
    for coach in _coaches():
        mine = IpsCase.objects.filter(specialist=coach, end_date__isnull=True)
        assert mine.exists()
        readable = access.scope(
            mine, coach, category=C.EMPLOYMENT, purpose=Purpose.SERVICE, client_path="client"
        )
        assert readable.count() == mine.count()
        for case in mine.select_related("client"):
            assert can_work_on(coach, case.client)
    # A Kela counsellor on the team reads the counselling records Kela recorded.
    for record in BenefitsCounselling.objects.filter(
        counsellor__role=Role.BENEFITS_COUNSELLOR
    ).select_related("counsellor", "client")[:20]:
        assert record.recorded_by_id == record.counsellor.organisation_id
        assert access.role_permits(record.counsellor, C.BENEFITS)


# --- Placements and follow-along -------------------------------------------------------------


def test_placements_cover_30_to_45_percent_of_ips_clients_with_diverse_competitive_jobs(
    seeded: SeedResult,
) -> None:
    clients = IpsCase.objects.values("client").distinct().count()
    placements = list(JobPlacement.objects.select_related("case", "employer", "vacancy"))
    placed = {p.client_id for p in placements}
    assert 0.30 <= len(placed) / clients <= 0.45
    assert seeded.ips.placements == len(placements)
    for placement in placements:
        placement.full_clean()
        assert placement.isco_code in occupations()
        assert placement.case is not None
        assert placement.case.client_id == placement.client_id
        assert placement.specialist_id == placement.case.specialist_id
        assert placement.case.start_date <= placement.start_date <= TODAY
        assert placement.employer.is_active
        assert Decimal(10) <= placement.hours_per_week <= Decimal("37.5")
        assert placement.hourly_wage is not None
        assert Decimal(11) <= placement.hourly_wage <= Decimal(18)
        assert (placement.end_date is None) == (placement.end_reason == "")
        if placement.vacancy is not None:
            assert placement.vacancy.employer_id == placement.employer_id
        if placement.case.end_reason == CaseEndReason.EMPLOYED:
            assert placement.follow_along_ended_on == placement.case.end_date
    # Every case that ended in work has the job.
    employed = IpsCase.objects.filter(end_reason=CaseEndReason.EMPLOYED)
    assert not employed.exclude(client__in=placed).exists()
    competitive = sum(p.competitive for p in placements) / len(placements)
    assert 0.8 <= competitive < 1  # mostly competitive (IPS item 21)
    assert any(p.subsidised for p in placements)
    assert len({p.isco_code for p in placements}) >= 15
    assert len({p.employer_id for p in placements}) >= 30
    assert any(p.end_date for p in placements)
    # Men are a little more often employed (the pilot's male-differentiated approach) and
    # both genders have enough people for the outcome page's breakdown.
    by_gender = Counter(p.client.gender for p in JobPlacement.objects.select_related("client"))
    assert by_gender["man"] >= 5
    assert by_gender["woman"] >= 5


def test_follow_along_supports_come_after_each_job_and_continue_beyond_a_year(
    seeded: SeedResult,
) -> None:
    supports = defaultdict(list)
    for support in FollowAlongSupport.objects.select_related("placement"):
        placement = support.placement
        assert support.client_id == placement.client_id
        assert support.specialist_id == placement.specialist_id
        assert placement.start_date <= support.date <= TODAY
        if placement.end_date:
            assert support.date <= placement.end_date
        if placement.follow_along_ended_on:
            assert support.date <= placement.follow_along_ended_on
        assert support.content
        supports[placement.pk].append(support.date)
    started = JobPlacement.objects.filter(start_date__lte=TODAY - dt.timedelta(days=14))
    assert all(supports[p.pk] for p in started)
    beyond_a_year = [
        p
        for p in started
        if any(day >= p.start_date + dt.timedelta(days=365) for day in supports[p.pk])
    ]
    assert len(beyond_a_year) >= 5
    # Follow-along contacts with the employer are in the employer register too.
    assert EmployerInteraction.objects.filter(purpose=InteractionPurpose.FOLLOW_ALONG).exists()


# --- Job search, counselling, profiles -------------------------------------------------------


def test_rapid_job_search_counselling_profiles_and_plans_look_like_ips_practice(
    seeded: SeedResult,
) -> None:
    cases = {case.client_id: case for case in IpsCase.objects.all()}
    first: dict[object, dt.date] = {}
    for activity in JobSearchActivity.objects.filter(kind__in=FACE_TO_FACE_KINDS).order_by("date"):
        first.setdefault(activity.client_id, activity.date)
    days = [(first[c] - case.start_date).days for c, case in cases.items() if c in first]
    assert min(days) >= 0
    # Most within 30 days of entry (IPS item 15), some later, some none yet.
    assert 0.55 <= sum(d <= 30 for d in days) / len(days) <= 0.85
    assert statistics.median(days) <= 30
    assert len(days) < len(cases)
    for activity in JobSearchActivity.objects.all()[:300]:
        assert cases[activity.client_id].start_date <= activity.date <= TODAY
        if activity.kind in FACE_TO_FACE_KINDS:
            assert activity.employer_id is not None

    counselled = set(BenefitsCounselling.objects.values_list("client", flat=True))
    assert 0.7 <= len(counselled) / len(cases) <= 0.9
    topics = {code for code, _label in BENEFIT_TOPICS}
    for record in BenefitsCounselling.objects.select_related("counsellor"):
        assert set(record.topics) <= topics
        assert access.role_permits(record.counsellor, C.BENEFITS)
        assert record.recorded_by_id == record.counsellor.organisation_id

    versions = Counter(CareerProfile.objects.values_list("client", flat=True))
    assert set(versions.values()) <= {1, 2, 3}
    assert sum(n >= 2 for n in versions.values()) >= len(versions) / 3
    for profile in CareerProfile.objects.all():
        assert set(profile.preferred_occupations) <= set(occupations())
    latest = {
        p.client_id: p.disclosure for p in CareerProfile.objects.order_by("client", "created_at")
    }
    assert sum(d != "undecided" for d in latest.values()) / len(latest) >= 0.75
    assert JobSearchPlan.objects.values("client").distinct().count() >= len(cases) * 0.9
    # Texts are in the client's language.
    swedish = JobSearchPlan.objects.filter(client__preferred_language="sv").first()
    finnish = JobSearchPlan.objects.filter(client__preferred_language="fi").first()
    assert swedish is not None
    assert swedish.goal.startswith("Lönearbete")
    assert finnish is not None
    assert finnish.goal.startswith("Palkkatyö")


# --- The specialists' employer contacts and time ---------------------------------------------


def test_specialists_visit_employers_at_least_four_times_a_week_and_work_in_the_community(
    seeded: SeedResult,
) -> None:
    since = TODAY - dt.timedelta(weeks=26)
    contacts = EmployerInteraction.objects.filter(date__gt=since)
    assert not EmployerInteraction.objects.filter(date__gt=TODAY).exists()
    for coach in _coaches():
        visits = contacts.filter(
            specialist=coach,
            kind=InteractionKind.VISIT,
            purpose=InteractionPurpose.JOB_DEVELOPMENT,
        ).count()
        assert visits / 26 >= 4, coach.user.username
        assert contacts.filter(specialist=coach).exclude(kind=InteractionKind.VISIT).exists()
        assert contacts.filter(specialist=coach).values("employer").distinct().count() >= 20
    liaison = Membership.objects.get(role=Role.EMPLOYER_LIAISON)
    assert contacts.filter(specialist=liaison, organisation=liaison.organisation).exists()
    for contact in EmployerInteraction.objects.select_related("person", "specialist")[:500]:
        assert contact.person is None or contact.person.employer_id == contact.employer_id
        assert contact.organisation_id == contact.specialist.organisation_id
        assert contact.outcome

    time = TimeEntry.objects.filter(membership__in=_coaches())
    assert time.values("membership").distinct().count() == 6
    assert time.filter(date__gte=TODAY - dt.timedelta(days=7)).exists()
    totals = time.aggregate(all=Sum("minutes"), out=Sum("minutes", filter=Q(in_community=True)))
    assert 0.6 <= totals["out"] / totals["all"] <= 0.7
    per_day = time.values("membership", "date").annotate(m=Sum("minutes"))
    assert all(300 <= row["m"] <= 600 for row in per_day)
    for entry in time[:200]:
        entry.full_clean()


# --- Fidelity reviews -------------------------------------------------------------------------


def _band(total: int) -> str:
    """The bands of ../shared/domain/IPS.md."""
    if total >= 115:
        return "exemplary"
    if total >= 100:
        return "good"
    if total >= 74:
        return "fair"
    return "not IPS"


def test_two_completed_fidelity_reviews_a_year_apart_fair_then_good(seeded: SeedResult) -> None:
    reviews = list(
        FidelityReview.objects.order_by("review_date").annotate(
            total=Sum("scores__score"), items=Count("scores")
        )
    )
    assert len(reviews) == seeded.ips.fidelity_reviews == 2
    older, newer = reviews
    assert 330 <= (TODAY - older.review_date).days <= 400
    assert 20 <= (TODAY - newer.review_date).days <= 45
    for review in reviews:
        assert review.programme.code == "ips-pilot"
        assert review.status == ReviewStatus.COMPLETED
        assert review.completed_at is not None
        assert review.completed_at.date() <= TODAY
        assert review.created_by.role == Role.PROGRAMME_MANAGER
        assert review.period_start <= review.period_end < review.review_date
        assert review.items == 25
        assert "," in review.reviewers
        scores = list(review.scores.order_by("item"))
        assert [s.item for s in scores] == list(range(1, 26))
        for score in scores:
            assert score.score is not None
            assert 1 <= score.score <= 5
            assert score.evidence
            score.full_clean()
        # The data's suggestions are kept beside the reviewers' scores (items it informs).
        assert sum(s.suggested is not None for s in scores) >= 10
    assert _band(older.total) == "fair"
    assert 85 <= older.total <= 95
    assert _band(newer.total) == "good"
    assert 100 <= newer.total <= 108


# --- Reproducible, printed, scalable ---------------------------------------------------------


def _fingerprint(result: SeedResult) -> dict[str, object]:
    return {
        "counts": (result.employers, result.ips),
        "employers": sorted(Employer.objects.values_list("business_id", "name", "industry")),
        "cases": sorted(
            IpsCase.objects.values_list(
                "client__reference", "specialist__user__username", "start_date", "end_date"
            )
        ),
        "placements": sorted(
            JobPlacement.objects.values_list(
                "client__reference", "employer__business_id", "isco_code", "start_date"
            )
        ),
        "contacts": sorted(
            EmployerInteraction.objects.values_list(
                "employer__business_id", "date", "kind", "purpose", "specialist__user__username"
            )
        ),
    }


def test_the_same_seed_gives_the_same_register_and_ips_work_and_another_seed_does_not() -> None:
    first = _fingerprint(generator.seed(clients=40, seed=9, today=TODAY))
    _wipe()
    again = _fingerprint(generator.seed(clients=40, seed=9, today=TODAY))
    assert first == again
    _wipe()
    other = _fingerprint(generator.seed(clients=40, seed=10, today=TODAY))
    assert other["employers"] != first["employers"]
    assert other["cases"] != first["cases"]


def test_the_command_prints_the_register_and_ips_counts() -> None:
    out = StringIO()
    call_command("seed_demo", clients=20, seed=1, today=TODAY, stdout=out)
    text = out.getvalue()
    assert "62 employers" in text
    assert "2 fidelity reviews" in text
    assert "IPS cases" in text


@given(clients=st.integers(min_value=0, max_value=200_000))
def test_the_register_grows_mildly_with_the_clients(clients: int) -> None:
    count = employer_count(clients)
    assert 60 <= count <= 320
    if clients <= 540:
        assert count <= 120
    assert employer_count(clients + 1000) >= count


@settings(max_examples=25)
@given(seed=st.integers())
def test_generated_business_ids_validate_and_never_repeat(seed: int) -> None:
    register = EmployersGenerator(
        seed=seed, today=TODAY, orgs={}, staff={f"ips:{Role.EMPLOYMENT_SPECIALIST}": []}
    )
    codes = [register.business_id() for _ in range(200)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert normalise_business_id(code) == code
