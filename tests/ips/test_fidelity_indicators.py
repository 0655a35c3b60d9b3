"""The computed fidelity indicators, each on a small hand-built programme with a known answer
(IPS-25 anchors, ../shared/domain/IPS.md).

The period is 1 January – 30 June 2025 (181 days) unless a test says otherwise; every record
outside the programme, the period or the rule is there to show that it is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.models import Client, Programme
from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.core.roles import Role
from polku.employers.models import Employer, InteractionKind, InteractionPurpose
from polku.ips.fidelity import indicators
from polku.ips.fidelity.indicators import (
    CASELOAD_ANCHORS,
    COMMUNITY_ANCHORS,
    COMPETITIVE_ANCHORS,
    DIVERSITY_ANCHORS,
    EMPLOYER_CONTACT_ANCHORS,
    EXCLUSION_ANCHORS,
    GENERALIST_ANCHORS,
    RAPID_SEARCH_ANCHORS,
    SERVICE_ANCHORS,
    STAFF_ANCHORS,
    TEAM_ANCHORS,
    FidelityIndicators,
    Indicator,
    Unit,
    add_months,
    at_least,
    at_most,
    compute,
    default_period,
)
from polku.ips.models import (
    ActivityKind,
    BenefitsCounselling,
    CareerProfile,
    CaseEndReason,
    Disclosure,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    TimeActivity,
    TimeEntry,
)
from polku.plans.models import (
    Attendance,
    DeclineReason,
    Encounter,
    EncounterKind,
    Referral,
    ReferralStatus,
    ServiceKind,
)
from tests.factories import (
    CareTeamMemberFactory,
    ClientFactory,
    EmployerFactory,
    EmployerInteractionFactory,
    EpisodeFactory,
    FollowAlongSupportFactory,
    IpsCaseFactory,
    JobPlacementFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.plans.test_catalogue_services import ServiceFactory

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)
END = dt.date(2025, 6, 30)
BEFORE = dt.date(2024, 12, 1)  # an entry before the period, for cases open throughout it


def day(month: int, day_of_month: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day_of_month)


def at(date: dt.date, hour: int = 12) -> dt.datetime:
    """Noon of `date` in the local time zone."""
    return dt.datetime.combine(date, dt.time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    """An IPS programme of "City" with one employment specialist (`coach`)."""

    city: Organisation
    programme: Programme
    coach: Membership

    def specialist(self, first_name: str = "Coach") -> Membership:
        return MembershipFactory(
            organisation=self.city,
            role=Role.EMPLOYMENT_SPECIALIST,
            user=UserFactory(first_name=first_name, last_name="Specialist"),
        )

    def case(
        self,
        *,
        start: dt.date = BEFORE,
        end: dt.date | None = None,
        end_reason: str = "",
        specialist: Membership | None = None,
        programme: Programme | None = None,
    ) -> IpsCase:
        client = ClientFactory(recorded_by=self.city)
        episode = EpisodeFactory(
            client=client, programme=programme or self.programme, start_date=start
        )
        return IpsCaseFactory(
            episode=episode,
            specialist=specialist or self.coach,
            start_date=start,
            end_date=end,
            end_reason=end_reason or (CaseEndReason.OTHER if end else ""),
        )

    def placement(self, case: IpsCase, start: dt.date, **values: Any) -> JobPlacement:
        return JobPlacementFactory(case=case, start_date=start, **values)

    def profile(
        self,
        client: Client,
        made: dt.date,
        *,
        disclosure: str = Disclosure.UNDECIDED,
        occupations: list[str] | None = None,
        by: Membership | None = None,
    ) -> CareerProfile:
        return CareerProfile.objects.create(
            client=client,
            recorded_by=self.city,
            created_by=by or self.coach,
            created_at=at(made),
            disclosure=disclosure,
            preferred_occupations=occupations or [],
        )

    def activity(
        self, client: Client, date: dt.date, kind: str, by: Membership | None = None
    ) -> JobSearchActivity:
        return JobSearchActivity.objects.create(
            client=client, recorded_by=self.city, created_by=by or self.coach, date=date, kind=kind
        )

    def time(
        self,
        minutes: int,
        *,
        activity: str = TimeActivity.CLIENT_WORK,
        outside: bool = False,
        date: dt.date = dt.date(2025, 3, 3),
        who: Membership | None = None,
    ) -> TimeEntry:
        return TimeEntry.objects.create(
            membership=who or self.coach,
            date=date,
            activity=activity,
            minutes=minutes,
            in_community=outside,
        )

    def compute(self, start: dt.date = START, end: dt.date = END) -> FidelityIndicators:
        return compute(self.programme, start, end)

    def indicator(self, item: int, start: dt.date = START, end: dt.date = END) -> Indicator:
        found = self.compute(start, end).for_item(item)
        assert found is not None
        return found


def values(indicator: Indicator) -> dict[str, float | None]:
    return {m.key: m.value for m in indicator.values}


def counts(indicator: Indicator) -> dict[str, float | None]:
    return {m.key: m.value for m in indicator.counts}


def make_world() -> World:
    """The programme of "City" and its employment specialist Aino Coach."""
    city = OrganisationFactory(name="City")
    coach = MembershipFactory(
        organisation=city,
        role=Role.EMPLOYMENT_SPECIALIST,
        user=UserFactory(first_name="Aino", last_name="Coach"),
    )
    return World(city=city, programme=ProgrammeFactory(organisation=city), coach=coach)


@pytest.fixture
def world() -> World:
    return make_world()


def test_an_empty_programme_suggests_nothing(world: World) -> None:
    result = world.compute()
    assert [i.item for i in result.indicators] == [
        1, 2, 3, 4, 5, 9, 10, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 25,
    ]  # fmt: skip
    assert (result.cases, result.specialists, result.placements) == (0, 0, 0)
    assert set(result.suggestions().values()) == {None}
    # Items 10 and 25 only inform the reviewers; they never suggest.
    assert set(result.suggestions()) == {
        1, 2, 3, 4, 5, 9, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24,
    }  # fmt: skip


def test_cases_count_when_active_in_the_period_of_the_programme(world: World) -> None:
    world.case(start=BEFORE)  # open throughout
    world.case(start=day(6, 30))  # starts on the last day
    world.case(start=day(10, 1, 2024), end=START, end_reason=CaseEndReason.MOVED)  # ends day 1
    world.case(start=day(7, 1))  # after the period
    world.case(start=day(1, 1, 2024), end=day(12, 31, 2024))  # before the period
    world.case(start=BEFORE, programme=ProgrammeFactory())  # another programme
    result = world.compute()
    assert result.cases == 3
    assert result.specialists == 1


def test_the_default_period_is_six_whole_months_and_the_current_month_so_far() -> None:
    assert default_period(day(7, 15)) == (day(1, 1), day(7, 15))
    assert default_period(day(6, 30)) == (day(12, 1, 2024), day(6, 30))
    assert default_period(day(3, 1)) == (day(9, 1, 2024), day(3, 1))


def test_every_figure_names_the_counts_it_rests_on_and_which_counts_are_of_people(
    world: World,
) -> None:
    """Disclosure control where the figures are shown (fidelity.published) relies on these:
    a share resting on a count that does not exist, or a count of clients marked as staff,
    would show what must be hidden."""
    result = world.compute()
    staff_or_time = set()
    for indicator in result.indicators:
        keys = {m.key for m in indicator.counts}
        for measure in (*indicator.values, *indicator.counts):
            assert set(measure.basis) <= keys, (indicator.item, measure.key)
            if measure.unit == Unit.SHARE and measure.basis:
                assert len(measure.basis) == 2, (indicator.item, measure.key)  # of / out of
        staff_or_time |= {(indicator.item, m.key) for m in indicator.counts if not m.people}
        assert indicator.suggesting_value() is not None, indicator.item
    # Only staff, their time, employer contacts and the occupations and employers of the jobs
    # are not counts of people; everything else is shown as "<5" when 1–4.
    assert staff_or_time == {
        (1, "specialists"), (1, "over_limit"),
        (2, "minutes"), (2, "employment_minutes"), (2, "specialists"),
        (3, "specialists"), (3, "all_phases_specialists"),
        (17, "specialists"), (17, "visits"), (17, "contacts"),
        (19, "occupations"), (20, "employers"),
        (24, "minutes"), (24, "outside_minutes"),
    }  # fmt: skip
    assert add_months(day(3, 31), -1) == day(2, 28)
    assert add_months(day(1, 31, 2024), 1) == day(2, 29, 2024)
    assert add_months(day(11, 15, 2024), 14) == day(1, 15, 2026)


@given(
    date=st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2098, 12, 31)),
    months=st.integers(min_value=-36, max_value=36),
)
def test_adding_months_moves_to_the_month_and_never_past_its_end(
    date: dt.date, months: int
) -> None:
    moved = add_months(date, months)
    assert (moved.year * 12 + moved.month) - (date.year * 12 + date.month) == months
    assert moved.day == date.day or (
        moved.day < date.day and (moved + dt.timedelta(days=1)).day == 1
    )


@pytest.mark.parametrize(
    ("anchors", "rule", "value", "score"),
    [
        # Item 1: mean clients per specialist, 5 = 20 or fewer.
        (CASELOAD_ANCHORS, at_most, Fraction(20), 5),
        (CASELOAD_ANCHORS, at_most, Fraction(41, 2), 4),
        (CASELOAD_ANCHORS, at_most, Fraction(30), 4),
        (CASELOAD_ANCHORS, at_most, Fraction(31), 3),
        (CASELOAD_ANCHORS, at_most, Fraction(50), 2),
        (CASELOAD_ANCHORS, at_most, Fraction(51), 1),
        # Item 2: 100 % employment work is 5.
        (STAFF_ANCHORS, at_least, Fraction(1), 5),
        (STAFF_ANCHORS, at_least, Fraction(99, 100), 4),
        (STAFF_ANCHORS, at_least, Fraction(9, 10), 4),
        (STAFF_ANCHORS, at_least, Fraction(6, 10), 3),
        (STAFF_ANCHORS, at_least, Fraction(2, 5), 2),
        (STAFF_ANCHORS, at_least, Fraction(39, 100), 1),
        (GENERALIST_ANCHORS, at_least, Fraction(4, 5), 4),
        (GENERALIST_ANCHORS, at_least, Fraction(79, 100), 3),
        (TEAM_ANCHORS, at_least, Fraction(9, 10), 5),
        (TEAM_ANCHORS, at_least, Fraction(8, 10), 4),
        (TEAM_ANCHORS, at_least, Fraction(59, 100), 2),
        # Item 9: the share screened out, 0 is 5.
        (EXCLUSION_ANCHORS, at_most, Fraction(0), 5),
        (EXCLUSION_ANCHORS, at_most, Fraction(1, 100), 4),
        (EXCLUSION_ANCHORS, at_most, Fraction(1, 20), 4),
        (EXCLUSION_ANCHORS, at_most, Fraction(1, 10), 3),
        (EXCLUSION_ANCHORS, at_most, Fraction(1, 5), 2),
        (EXCLUSION_ANCHORS, at_most, Fraction(21, 100), 1),
        (SERVICE_ANCHORS, at_least, Fraction(9, 10), 5),
        (SERVICE_ANCHORS, at_least, Fraction(3, 4), 4),
        (SERVICE_ANCHORS, at_least, Fraction(1, 2), 3),
        (SERVICE_ANCHORS, at_least, Fraction(1, 4), 2),
        (SERVICE_ANCHORS, at_least, Fraction(24, 100), 1),
        # Item 15: mean days to the first employer contact.
        (RAPID_SEARCH_ANCHORS, at_most, Fraction(30), 5),
        (RAPID_SEARCH_ANCHORS, at_most, Fraction(61, 2), 4),
        (RAPID_SEARCH_ANCHORS, at_most, Fraction(120), 2),
        (RAPID_SEARCH_ANCHORS, at_most, Fraction(121), 1),
        # Item 17: contacts per specialist per week.
        (EMPLOYER_CONTACT_ANCHORS, at_least, Fraction(6), 5),
        (EMPLOYER_CONTACT_ANCHORS, at_least, Fraction(5), 4),
        (EMPLOYER_CONTACT_ANCHORS, at_least, Fraction(3), 3),
        (EMPLOYER_CONTACT_ANCHORS, at_least, Fraction(2), 2),
        (EMPLOYER_CONTACT_ANCHORS, at_least, Fraction(199, 100), 1),
        (DIVERSITY_ANCHORS, at_least, Fraction(17, 20), 4),
        (DIVERSITY_ANCHORS, at_least, Fraction(7, 10), 3),
        (DIVERSITY_ANCHORS, at_least, Fraction(1, 2), 2),
        (DIVERSITY_ANCHORS, at_least, Fraction(49, 100), 1),
        (COMPETITIVE_ANCHORS, at_least, Fraction(19, 20), 5),
        (COMPETITIVE_ANCHORS, at_least, Fraction(94, 100), 4),
        (COMPETITIVE_ANCHORS, at_least, Fraction(13, 20), 2),
        (COMPETITIVE_ANCHORS, at_least, Fraction(64, 100), 1),
        (COMMUNITY_ANCHORS, at_least, Fraction(13, 20), 5),
        (COMMUNITY_ANCHORS, at_least, Fraction(1, 2), 4),
        (COMMUNITY_ANCHORS, at_least, Fraction(7, 20), 3),
        (COMMUNITY_ANCHORS, at_least, Fraction(1, 5), 2),
        (COMMUNITY_ANCHORS, at_least, Fraction(19, 100), 1),
    ],
)
def test_anchors_score_their_boundaries_as_the_manual_says(
    anchors: indicators.Anchors, rule: Any, value: Fraction, score: int
) -> None:
    assert rule(value, anchors) == score


@given(a=st.fractions(min_value=0, max_value=1), b=st.fractions(min_value=0, max_value=1))
def test_a_larger_share_never_scores_lower(a: Fraction, b: Fraction) -> None:
    low, high = sorted((a, b))
    for anchors in (SERVICE_ANCHORS, TEAM_ANCHORS, DIVERSITY_ANCHORS, COMPETITIVE_ANCHORS):
        assert 1 <= at_least(low, anchors) <= at_least(high, anchors) <= 5
    assert at_most(low, EXCLUSION_ANCHORS) >= at_most(high, EXCLUSION_ANCHORS)


def test_item_1_caseload_is_open_cases_per_specialist_at_the_period_end(world: World) -> None:
    bertta = world.specialist("Bertta")
    for _n in range(22):
        world.case()
    for _n in range(10):
        world.case(specialist=bertta)
    world.case(specialist=bertta, end=day(5, 31))  # ended before the last day: not open
    world.case(specialist=bertta, end=END)  # ends on the last day: still open that day
    world.case(specialist=bertta, programme=ProgrammeFactory())  # another programme
    indicator = world.indicator(1)
    assert values(indicator) == {"mean": 16.5, "max": 22}
    assert counts(indicator) == {"specialists": 2, "open_cases": 33, "over_limit": 1}
    assert indicator.suggested == 5
    assert indicator.notes == ("Aino Coach has 22 open cases, more than the IPS limit of 20.",)


def test_item_1_suggests_four_for_a_mean_just_over_twenty(world: World) -> None:
    bertta = world.specialist("Bertta")
    for _n in range(21):
        world.case()
        world.case(specialist=bertta)
    indicator = world.indicator(1)
    assert values(indicator) == {"mean": 21.0, "max": 21}
    assert indicator.suggested == 4
    assert len(indicator.notes) == 2


def test_item_2_share_of_time_on_employment_services(world: World) -> None:
    world.case()
    world.time(600)
    world.time(60, activity=TimeActivity.OTHER_DUTIES)
    world.time(120, activity=TimeActivity.OTHER_DUTIES, date=day(7, 1))  # after the period
    world.time(480, who=MembershipFactory(organisation=world.city))  # not a specialist of it
    indicator = world.indicator(2)
    assert values(indicator) == {"share": 600 / 660}
    assert counts(indicator) == {"minutes": 660, "employment_minutes": 600, "specialists": 1}
    assert indicator.suggested == 4  # 90.9 %: at least 90 %, not all


def test_item_2_has_no_suggestion_without_time_records(world: World) -> None:
    world.case()
    indicator = world.indicator(2)
    assert values(indicator) == {"share": None}
    assert indicator.suggested is None


def test_item_3_specialists_who_record_every_phase_for_their_own_cases(world: World) -> None:
    bertta = world.specialist("Bertta")
    own = world.case()
    theirs = world.case(specialist=bertta)
    # Aino records every phase for her client in the period.
    world.profile(own.client, day(2, 1))
    world.activity(own.client, day(2, 10), ActivityKind.APPLICATION)
    placement = world.placement(own, day(3, 1))
    FollowAlongSupportFactory(placement=placement, date=day(3, 15))
    # Bertta places her client, but the profile she records is of Aino's client, and her
    # job-search activity lies before the period.
    world.placement(theirs, day(4, 1))
    world.profile(own.client, day(2, 2), by=bertta)
    world.activity(theirs.client, day(12, 20, 2024), ActivityKind.APPLICATION, by=bertta)
    indicator = world.indicator(3)
    assert values(indicator) == {
        "all_phases": 0.5,
        "engagement": 1.0,
        "assessment": 0.5,
        "job_search": 0.5,
        "placement": 1.0,
        "follow_along": 0.5,
    }
    assert counts(indicator) == {"specialists": 2, "all_phases_specialists": 1}
    assert indicator.suggested == 2  # 50 %: at least 40 %


def test_item_4_open_cases_whose_care_team_has_another_organisation(world: World) -> None:
    health = MembershipFactory(organisation=OrganisationFactory(), role=Role.HEALTH_PROFESSIONAL)
    colleague = MembershipFactory(organisation=world.city, role=Role.SOCIAL_WORKER)
    integrated = world.case()
    CareTeamMemberFactory(client=integrated.client, membership=health, added_at=at(BEFORE))
    left_later = world.case()  # the nurse left after the period: integrated on its last day
    CareTeamMemberFactory(
        client=left_later.client, membership=health, added_at=at(BEFORE), removed_at=at(day(7, 5))
    )
    left = world.case()  # the nurse left during the period
    CareTeamMemberFactory(
        client=left.client, membership=health, added_at=at(BEFORE), removed_at=at(day(3, 1))
    )
    own_only = world.case()  # only the specialist's own organisation
    CareTeamMemberFactory(client=own_only.client, membership=colleague, added_at=at(BEFORE))
    joined_later = world.case()  # joined after the period
    CareTeamMemberFactory(client=joined_later.client, membership=health, added_at=at(day(7, 2)))
    ended = world.case(end=day(4, 30))  # not open at the end
    CareTeamMemberFactory(client=ended.client, membership=health, added_at=at(BEFORE))
    indicator = world.indicator(4)
    assert values(indicator) == {"share": 0.4}
    assert counts(indicator) == {"open_cases": 5, "integrated": 2}
    assert indicator.suggested == 2


def _encounter(
    world: World,
    client: Client,
    when: dt.date,
    *,
    kind: str = EncounterKind.NETWORK_MEETING,
    attendance: str = Attendance.ATTENDED,
    participants: list[Membership],
) -> Encounter:
    encounter = Encounter.objects.create(
        client=client,
        kind=kind,
        category=DataCategory.EMPLOYMENT,
        started_at=at(when),
        duration_minutes=60,
        attendance=attendance,
        recorded_by=world.city,
        created_by=world.coach,
    )
    encounter.participants.set(participants)
    return encounter


def test_item_5_cases_with_a_network_meeting_the_specialist_attended(world: World) -> None:
    nurse = MembershipFactory(organisation=OrganisationFactory(), role=Role.HEALTH_PROFESSIONAL)
    met = world.case()
    _encounter(world, met.client, day(2, 3), participants=[world.coach, nurse])
    absent = world.case()  # the specialist was not there
    _encounter(world, absent.client, day(2, 3), participants=[nurse])
    cancelled = world.case()
    _encounter(
        world,
        cancelled.client,
        day(2, 3),
        attendance=Attendance.CANCELLED,
        participants=[world.coach, nurse],
    )
    ordinary = world.case()  # a meeting, not a network meeting
    _encounter(
        world, ordinary.client, day(2, 3), kind=EncounterKind.MEETING, participants=[world.coach]
    )
    earlier = world.case()  # before the period
    _encounter(world, earlier.client, day(12, 3, 2024), participants=[world.coach, nurse])
    indicator = world.indicator(5)
    assert values(indicator) == {"share": 0.2}
    assert counts(indicator) == {"cases": 5, "with_meeting": 1}
    assert indicator.suggested == 1


def _referral(
    world: World,
    service: Any,
    decided: dt.date,
    *,
    reason: str = "",
) -> Referral:
    return Referral.objects.create(
        client=ClientFactory(recorded_by=world.city),
        service=service,
        receiving_organisation=service.organisation,
        category=DataCategory.EMPLOYMENT,
        carried_categories=[DataCategory.IDENTITY, DataCategory.EMPLOYMENT],
        message="Wants to work",
        expected_response_days=14,
        sent_at=at(decided - dt.timedelta(days=5)),
        decided_at=at(decided),
        status=ReferralStatus.DECLINED if reason else ReferralStatus.ACCEPTED,
        decline_reason=reason,
        recorded_by=world.city,
        created_by=world.coach,
    )


def test_item_9_share_of_referrals_screened_out_as_not_ready(world: World) -> None:
    world.case()
    coaching = ServiceFactory(organisation=world.city, kind=ServiceKind.JOB_COACHING)
    _referral(world, coaching, day(2, 1), reason=DeclineReason.NOT_READY)
    _referral(world, coaching, day(2, 2), reason=DeclineReason.NO_CAPACITY)
    for n in range(8):
        _referral(world, coaching, day(3, 1 + n))
    # Left out: answered after the period, another kind of service, another organisation's
    # job coaching.
    _referral(world, coaching, day(7, 2), reason=DeclineReason.NOT_ELIGIBLE)
    debt = ServiceFactory(organisation=world.city, kind=ServiceKind.DEBT_COUNSELLING)
    _referral(world, debt, day(2, 1), reason=DeclineReason.NOT_READY)
    elsewhere = ServiceFactory(kind=ServiceKind.JOB_COACHING)
    _referral(world, elsewhere, day(2, 1), reason=DeclineReason.NOT_READY)
    indicator = world.indicator(9)
    assert values(indicator) == {"share": 0.1}
    assert counts(indicator) == {"answered": 10, "screened_out": 1}
    assert indicator.suggested == 3  # 10 %: at most 10 %


def test_item_9_counts_not_eligible_and_suggests_five_for_none(world: World) -> None:
    world.case()
    coaching = ServiceFactory(organisation=world.city, kind=ServiceKind.JOB_COACHING)
    _referral(world, coaching, day(2, 1))
    assert world.indicator(9).suggested == 5
    _referral(world, coaching, day(2, 2), reason=DeclineReason.NOT_ELIGIBLE)
    indicator = world.indicator(9)
    assert values(indicator) == {"share": 0.5}
    assert indicator.suggested == 1


def test_item_9_has_no_suggestion_without_referrals(world: World) -> None:
    world.case()
    indicator = world.indicator(9)
    assert values(indicator) == {"share": None}
    assert indicator.suggested is None


def test_items_10_19_20_21_diversity_and_competitive_share_of_placements(world: World) -> None:
    employers: list[Employer] = [EmployerFactory() for _n in range(4)]
    jobs = [
        ("522", employers[0], True),
        ("522", employers[0], True),
        ("911", employers[1], True),
        ("432", employers[2], True),
        ("512", employers[3], False),
    ]
    for n, (code, employer, open_market) in enumerate(jobs):
        world.placement(
            world.case(), day(2, 1 + n), isco_code=code, employer=employer, competitive=open_market
        )
    world.placement(world.case(), day(12, 1, 2024), isco_code="111", competitive=False)  # before
    result = world.compute()
    assert result.placements == 5
    diversity, employers_share, competitive, focus = (
        result.for_item(19),
        result.for_item(20),
        result.for_item(21),
        result.for_item(10),
    )
    assert diversity is not None
    assert employers_share is not None
    assert competitive is not None
    assert focus is not None
    assert values(diversity) == {"share": 0.8}
    assert counts(diversity) == {"placements": 5, "occupations": 4}
    assert diversity.suggested == 3
    assert values(employers_share) == {"share": 0.8}
    assert counts(employers_share) == {"placements": 5, "employers": 4}
    assert employers_share.suggested == 3
    assert values(competitive) == {"share": 0.8}
    assert counts(competitive) == {"placements": 5, "competitive": 4}
    assert competitive.suggested == 3  # 80 %: at least 75 %
    assert values(focus) == {"share": 0.8}
    assert (focus.suggested, focus.suggests) == (None, False)


def _counsel(world: World, client: Client, date: dt.date) -> BenefitsCounselling:
    return BenefitsCounselling.objects.create(
        client=client, recorded_by=world.city, date=date, counsellor=world.coach
    )


def test_item_12_benefits_counselling_and_before_the_job(world: World) -> None:
    before_job = world.case()
    _counsel(world, before_job.client, day(12, 15, 2024))
    world.placement(before_job, day(3, 1))
    after_job = world.case()
    world.placement(after_job, day(2, 1))
    _counsel(world, after_job.client, day(2, 20))
    world.case()  # never counselled
    too_late = world.case()
    _counsel(world, too_late.client, day(7, 5))  # after the period
    indicator = world.indicator(12)
    assert values(indicator) == {"share": 0.5, "before_job": 0.5}
    assert counts(indicator) == {
        "cases": 4,
        "counselled": 2,
        "placed": 2,
        "counselled_before_job": 1,
    }
    assert indicator.suggested == 3


def test_item_12_judges_before_the_job_by_the_first_job_in_the_period(world: World) -> None:
    case = world.case()
    world.placement(case, day(2, 1))
    _counsel(world, case.client, day(3, 1))
    world.placement(case, day(4, 1))  # a second job, after the counselling
    indicator = world.indicator(12)
    assert values(indicator) == {"share": 1.0, "before_job": 0.0}
    assert indicator.suggested == 5


def test_item_13_disclosure_decision_in_the_latest_profile(world: World) -> None:
    decided = world.case()
    world.profile(decided.client, day(1, 5))
    world.profile(decided.client, day(2, 5), disclosure=Disclosure.PARTLY)
    reverted = world.case()
    world.profile(reverted.client, day(1, 5), disclosure=Disclosure.DISCLOSE)
    world.profile(reverted.client, day(2, 5), disclosure=Disclosure.UNDECIDED)
    world.case()  # no profile: no decision recorded
    later = world.case()
    world.profile(later.client, day(1, 5))
    world.profile(later.client, day(7, 5), disclosure=Disclosure.NOT_DISCLOSE)  # after the end
    indicator = world.indicator(13)
    assert values(indicator) == {"share": 0.25}
    assert counts(indicator) == {"cases": 4, "with_profile": 3, "decided": 1}
    assert indicator.suggested == 2


def test_item_13_has_no_suggestion_without_profiles(world: World) -> None:
    world.case()
    indicator = world.indicator(13)
    assert values(indicator) == {"share": None}
    assert indicator.suggested is None


def test_item_14_profiles_updated_over_time_or_after_a_job(world: World) -> None:
    twice = world.case()
    world.profile(twice.client, day(11, 1, 2024))
    world.profile(twice.client, day(2, 1))
    after_job = world.case()
    world.placement(after_job, day(2, 1))
    world.profile(after_job.client, day(2, 1))  # the day the job started
    before_job = world.case()
    world.profile(before_job.client, day(1, 20))
    world.placement(before_job, day(2, 1))
    late = world.case()
    world.profile(late.client, day(1, 20))
    world.profile(late.client, day(7, 20))  # after the period
    indicator = world.indicator(14)
    assert values(indicator) == {"share": 0.5}
    assert counts(indicator) == {"cases": 4, "updated": 2}
    assert indicator.suggested == 3


def test_item_15_days_from_entry_to_the_first_face_to_face_employer_contact(
    world: World,
) -> None:
    quick = world.case(start=day(1, 10))
    world.activity(quick.client, day(1, 15), ActivityKind.EMPLOYER_CALL)  # not face to face
    world.activity(quick.client, day(1, 30), ActivityKind.INTERVIEW)  # 20 days
    world.activity(quick.client, day(2, 5), ActivityKind.EMPLOYER_MEETING)
    slower = world.case(start=day(2, 1))
    world.activity(slower.client, day(1, 20), ActivityKind.EMPLOYER_MEETING)  # before entry
    world.activity(slower.client, day(3, 13), ActivityKind.WORK_TRIAL)  # 40 days
    world.case(start=day(6, 20))  # 10 days in: still within 30 days
    world.case(start=day(3, 1))  # none for 121 days
    after_end = world.case(start=day(4, 1))  # the contact came after the period
    world.activity(after_end.client, day(7, 3), ActivityKind.INTERVIEW)
    earlier = world.case(start=day(12, 1, 2024))  # entered before the period
    world.activity(earlier.client, day(1, 2), ActivityKind.INTERVIEW)
    indicator = world.indicator(15)
    assert values(indicator) == {"mean_days": 30.0, "median_days": 30.0}
    assert counts(indicator) == {
        "entered": 5,
        "with_contact": 2,
        "within_30_days": 1,
        "without_contact": 3,
        "overdue": 2,
    }
    assert indicator.suggested == 5  # a mean of 30 days is within 30


def test_item_15_suggests_by_the_mean_days(world: World) -> None:
    for entry, contact in [(day(1, 1), day(2, 15)), (day(2, 1), day(3, 20))]:
        case = world.case(start=entry)
        world.activity(case.client, contact, ActivityKind.EMPLOYER_MEETING)
    indicator = world.indicator(15)
    assert values(indicator) == {"mean_days": 46.0, "median_days": 46.0}  # 45 and 47 days
    assert indicator.suggested == 4


def test_item_16_placements_in_a_preferred_occupational_field(world: World) -> None:
    matching = world.case()
    world.profile(matching.client, day(1, 5), occupations=["911", "52"])
    world.placement(matching, day(2, 1), isco_code="522")  # 52 = 52
    other_field = world.case()
    world.profile(other_field.client, day(1, 5), occupations=["522"])
    world.placement(other_field, day(2, 1), isco_code="911")
    no_profile = world.case()
    world.placement(no_profile, day(2, 1), isco_code="432")
    major_group = world.case()
    world.profile(major_group.client, day(1, 5), occupations=["21"])
    world.placement(major_group, day(2, 1), isco_code="2")  # a major group: compares one digit
    changed_later = world.case()  # preferences at the start are what count
    world.profile(changed_later.client, day(1, 5), occupations=["611"])
    world.placement(changed_later, day(2, 1), isco_code="522")
    world.profile(changed_later.client, day(2, 10), occupations=["522"])
    indicator = world.indicator(16)
    assert values(indicator) == {"share": 0.4}
    assert counts(indicator) == {"placements": 5, "matching": 2, "without_profile": 1}
    assert indicator.suggested == 2


def test_item_17_face_to_face_job_development_per_specialist_per_week(world: World) -> None:
    bertta = world.specialist("Bertta")
    world.case()
    world.case(specialist=bertta)
    february = (day(2, 1), day(2, 28))  # four weeks; two specialists: eight specialist-weeks
    visit = {"kind": InteractionKind.VISIT, "purpose": InteractionPurpose.JOB_DEVELOPMENT}
    for n in range(14):
        EmployerInteractionFactory(specialist=world.coach, date=day(2, 1 + n), **visit)
    for n in range(10):
        EmployerInteractionFactory(specialist=bertta, date=day(2, 10 + n), **visit)
    for n in range(4):
        EmployerInteractionFactory(
            specialist=world.coach,
            date=day(2, 3 + n),
            kind=InteractionKind.PHONE,
            purpose=InteractionPurpose.JOB_DEVELOPMENT,
        )
    for n in range(2):
        EmployerInteractionFactory(
            specialist=bertta,
            date=day(2, 3 + n),
            kind=InteractionKind.VISIT,
            purpose=InteractionPurpose.FOLLOW_ALONG,
        )
        EmployerInteractionFactory(
            specialist=bertta,
            date=day(2, 5 + n),
            kind=InteractionKind.EMAIL,
            purpose="employer_service",
        )
    EmployerInteractionFactory(date=day(2, 3), **visit)  # a specialist of no case of it
    EmployerInteractionFactory(specialist=world.coach, date=day(3, 1), **visit)  # after
    indicator = world.indicator(17, *february)
    assert values(indicator) == {"visits_per_week": 3.0, "contacts_per_week": 4.0}
    assert counts(indicator) == {"specialists": 2, "visits": 24, "contacts": 32}
    assert indicator.suggested == 3


def test_item_22_follow_along_support_for_placements_two_weeks_old(world: World) -> None:
    supported = world.placement(world.case(), day(1, 10))
    FollowAlongSupportFactory(placement=supported, date=day(1, 20))
    world.placement(world.case(), day(2, 1))  # no support
    world.placement(world.case(), day(6, 20))  # ten days old: too new to ask
    late = world.placement(world.case(), day(3, 1))
    FollowAlongSupportFactory(placement=late, date=day(7, 3))  # after the period
    also = world.placement(world.case(), day(4, 1))
    FollowAlongSupportFactory(placement=also, date=day(4, 2))
    indicator = world.indicator(22)
    assert values(indicator) == {"share": 0.5}
    assert counts(indicator) == {"placements": 4, "supported": 2}
    assert indicator.suggested == 3


def _year_old_placements(world: World) -> list[JobPlacement]:
    """Five placements of cases open in the period that started a year or more before its end
    (30 June 2024 or earlier), and what became of their follow-along: two lasted a year."""
    supported = world.placement(world.case(start=day(1, 1, 2023)), day(1, 10, 2024))
    FollowAlongSupportFactory(placement=supported, date=day(2, 1))  # 12 months and more on
    short = world.placement(world.case(start=day(1, 1, 2023)), day(3, 1, 2024))
    FollowAlongSupportFactory(placement=short, date=day(12, 1, 2024))  # nine months on
    ended_at_a_year = world.placement(
        world.case(start=day(1, 1, 2023)), day(6, 30, 2024), follow_along_ended_on=day(6, 30)
    )
    ended_early = world.placement(
        world.case(start=day(1, 1, 2023)), day(2, 1, 2024), follow_along_ended_on=day(8, 1, 2024)
    )
    never = world.placement(world.case(start=day(1, 1, 2023)), day(5, 1, 2023))
    return [supported, short, ended_at_a_year, ended_early, never]


def test_item_23_time_unlimited_follow_along(world: World) -> None:
    _year_old_placements(world)
    world.placement(world.case(), day(3, 1))  # recent, follow-along goes on
    indicator = world.indicator(23)
    assert values(indicator) == {"ongoing": 4 / 6, "beyond_a_year": 0.4}
    assert counts(indicator) == {
        "placements": 6,
        "ongoing_follow_along": 4,
        "year_old": 5,
        "supported_a_year": 2,
    }
    assert indicator.suggested == 2


def test_item_23_has_no_suggestion_with_fewer_than_five_year_old_placements(
    world: World,
) -> None:
    case = _year_old_placements(world)[-1].case
    assert case is not None
    case.end_date = day(12, 31, 2024)  # its case ended before the period
    case.end_reason = CaseEndReason.EMPLOYED
    case.save()
    indicator = world.indicator(23)
    assert counts(indicator)["year_old"] == 4
    assert values(indicator)["beyond_a_year"] == 0.5
    assert indicator.suggested is None


def test_item_24_share_of_time_outside_the_office(world: World) -> None:
    world.case()
    world.time(300, outside=True)
    world.time(200, outside=False)
    world.time(100, outside=False, activity=TimeActivity.ADMIN)
    world.time(600, outside=True, date=day(12, 31, 2024))  # before the period
    indicator = world.indicator(24)
    assert values(indicator) == {"share": 0.5}
    assert counts(indicator) == {"minutes": 600, "outside_minutes": 300}
    assert indicator.suggested == 4


def test_item_25_share_of_cases_ended_unreachable_informs_only(world: World) -> None:
    world.case(end=day(3, 1), end_reason=CaseEndReason.UNREACHABLE)
    for reason in (CaseEndReason.EMPLOYED, CaseEndReason.MOVED, CaseEndReason.EDUCATION):
        world.case(end=day(4, 1), end_reason=reason)
    world.case()  # still open
    world.case(start=day(1, 1, 2024), end=day(11, 1, 2024), end_reason=CaseEndReason.UNREACHABLE)
    indicator = world.indicator(25)
    assert values(indicator) == {"share": 0.25}
    assert counts(indicator) == {"ended": 4, "unreachable": 1}
    assert (indicator.suggested, indicator.suggests) == (None, False)


def test_the_computation_takes_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """Set-based: the same queries for one case as for twenty (about two per indicator)."""
    for _n in range(20):
        case = world.case()
        world.placement(case, day(2, 1))
        world.profile(case.client, day(1, 5), occupations=["52"])
    with django_assert_max_num_queries(30):
        world.compute()


def test_measures_display_in_the_page_language(world: World) -> None:
    from django.utils import translation

    measure = indicators.Measure("share", "Share", 2 / 3, indicators.Unit.SHARE)
    mean = indicators.Measure("mean", "Mean", 16.5, indicators.Unit.MEAN)
    with translation.override("fi"):
        assert measure.display() == "66,7 %"
        assert mean.display() == "16,5"
    with translation.override("en"):
        assert measure.display() == "66.7 %"
    assert indicators.Measure("n", "N", None, indicators.Unit.COUNT).display() == "–"
