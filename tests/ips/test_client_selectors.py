"""Reads of IPS work with the client: what the "Job coaching" tab holds for each viewer, the
rapid job search figures, and the read-access log each read writes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polku.core.categories import DataCategory
from polku.core.models import AccessLogEntry, Membership
from polku.core.roles import Role
from polku.ips.selectors import placements as placement_selectors
from polku.ips.selectors.client import job_coaching_page
from polku.ips.services import counselling, job_search, placements, profiles
from tests.factories import CareTeamMemberFactory, ConsentFactory, MembershipFactory
from tests.ips.test_client_services import World, days_ago, make_world, record_job, start_case

pytestmark = pytest.mark.django_db
C = DataCategory
TODAY = timezone.localdate


def _logged(viewer: Membership) -> list[tuple[str, str, str]]:
    return sorted(
        (str(e.client_id), e.category, e.action)
        for e in AccessLogEntry.objects.filter(membership=viewer)
    )


def _fill(w: World) -> None:
    """A meeting with an employer recorded before the IPS case, then a case 40 days old, two
    profile versions, a plan, two more activities, counselling, a job with one support and an
    ended job."""
    # Without an open case there is no entry to be before: the meeting is recorded.
    job_search.activity_record(
        actor=w.coach,
        client=w.client,
        date=days_ago(45),
        kind="employer_meeting",
        employer=w.employer,
    )
    start_case(w, days=40)
    profiles.profile_save(actor=w.coach, client=w.client, preferred_occupations=["522"])
    profiles.profile_save(actor=w.coach, client=w.client, preferred_occupations=["522", "911"])
    job_search.plan_create(actor=w.coach, client=w.client, agreed_on=days_ago(35), goal="Shop")
    for days, kind in ((30, "employer_call"), (12, "interview")):
        job_search.activity_record(
            actor=w.coach, client=w.client, date=days_ago(days), kind=kind, employer=w.employer
        )
    counselling.counselling_record(
        actor=w.coach, client=w.client, date=days_ago(20), topics=["earnings_adjustment"]
    )
    job = record_job(w, start_date=days_ago(8))
    placements.support_record(
        actor=w.coach,
        placement=job,
        date=days_ago(2),
        with_whom="both",
        mode="in_person",
        content="First week",
    )
    record_job(
        w,
        job_title="Kesätyö",
        start_date=days_ago(30),
        end_date=days_ago(25),
        end_reason="temporary_ended",
    )


@pytest.fixture
def w() -> World:
    world = make_world()
    _fill(world)
    return world


def test_the_coach_sees_every_section_and_the_page_logs_each_category(w: World) -> None:
    page = job_coaching_page(w.coach, w.client)
    assert page.case is not None
    assert page.case.start_date == days_ago(40)
    assert page.profile is not None
    assert page.profile.preferred_occupations == ["522", "911"]
    assert (page.profile_versions, page.profile_updates) == (2, 1)
    assert page.plan is not None
    assert page.plan.goal == "Shop"
    assert [a.kind for a in page.activities] == ["interview", "employer_call", "employer_meeting"]
    assert page.counselling is not None
    assert len(page.counselling) == 1
    assert [p.job_title for p in page.current_placements] == ["Myyjä"]
    assert [p.job_title for p in page.past_placements] == ["Kesätyö"]
    supports = page.current_placements[0].shown_supports  # type: ignore[attr-defined]
    assert [s.content for s in supports] == ["First week"]
    client = str(w.client.pk)
    assert _logged(w.coach) == [
        (client, "benefits", "view"),
        (client, "employment", "view"),
        (client, "identity", "view"),
    ]


def test_rapid_job_search_counts_the_first_face_to_face_contact_after_entry(w: World) -> None:
    search = job_coaching_page(w.coach, w.client).rapid_search
    assert search is not None
    # The meeting 45 days ago was before entry; the call is not face to face: the interview
    # 12 days ago, 28 days after entry, is the first.
    assert search.first_contact is not None
    assert search.first_contact.kind == "interview"
    assert (search.days_to_first_contact, search.days_since_entry) == (28, 40)
    assert (search.within_target, search.overdue) == (True, False)


def test_without_a_contact_more_than_30_days_after_entry_the_search_is_overdue() -> None:
    w = make_world()
    start_case(w, days=31)
    search = job_coaching_page(w.coach, w.client).rapid_search
    assert search is not None
    assert (search.first_contact, search.days_since_entry, search.overdue) == (None, 31, True)
    w2 = make_world()
    start_case(w2, days=30)
    later = job_coaching_page(w2.coach, w2.client).rapid_search
    assert later is not None
    assert later.overdue is False


def test_a_first_contact_later_than_30_days_is_not_within_target() -> None:
    w = make_world()
    start_case(w, days=50)
    job_search.activity_record(
        actor=w.coach, client=w.client, date=days_ago(15), kind="work_trial", employer=w.employer
    )
    search = job_coaching_page(w.coach, w.client).rapid_search
    assert search is not None
    assert (search.days_to_first_contact, search.within_target, search.overdue) == (
        35,
        False,
        False,
    )


def test_an_employer_liaison_never_reads_benefits_counselling(w: World) -> None:
    page = job_coaching_page(w.liaison, w.client)
    assert page.counselling is None
    assert page.case is not None
    assert {category for _, category, _ in _logged(w.liaison)} == {"identity", "employment"}


def test_another_organisation_reads_by_consent_category_by_category(w: World) -> None:
    partner = MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST)
    CareTeamMemberFactory(client=w.client, membership=partner)
    consent = ConsentFactory(
        client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY, C.EMPLOYMENT]
    )
    page = job_coaching_page(partner, w.client)
    assert page.case is not None
    assert page.counselling == []  # the role reads benefits data; the consent does not share it
    assert {category for _, category, _ in _logged(partner)} == {"identity", "employment"}
    consent.withdrawn_at = timezone.now()
    consent.save()
    ConsentFactory(client=w.client, organisations=[partner.organisation], categories=[C.IDENTITY])
    page = job_coaching_page(partner, w.client)
    assert (page.case, page.profile, page.current_placements, page.activities) == (
        None,
        None,
        [],
        [],
    )


def test_a_health_professional_on_the_team_reads_employment_by_the_rule(w: World) -> None:
    nurse = MembershipFactory(organisation=w.city, role=Role.HEALTH_PROFESSIONAL)
    CareTeamMemberFactory(client=w.client, membership=nurse)
    page = job_coaching_page(nurse, w.client)
    assert page.employment_visible is True
    assert page.case is not None
    assert page.counselling is None


def test_a_placement_of_another_client_is_not_found_through_this_client(w: World) -> None:
    other = make_world()
    start_case(other)
    job = record_job(other)
    with pytest.raises(type(job).DoesNotExist):
        placement_selectors.placement_get(w.coach, w.client, job.pk)
    assert placement_selectors.placement_get(other.coach, other.client, job.pk) == job


def test_the_tab_reads_in_a_constant_number_of_queries(
    w: World, django_assert_max_num_queries: object
) -> None:
    # Cases, profile and its count, plan, activities, first contact, placements with their
    # supports, counselling, plus the access checks and the log's insert: a handful whatever
    # the number of rows.
    for days in range(1, 8):
        job_search.activity_record(
            actor=w.coach, client=w.client, date=days_ago(days), kind="application"
        )
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        job_coaching_page(w.coach, w.client)
