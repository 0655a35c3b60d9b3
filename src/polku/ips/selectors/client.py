"""The client's "Job coaching" tab: everything of IPS work a viewer may see about one client.

Each section is read under the policy with its own category: the case, profile, plans,
activities and placements as employment data, benefits counselling as benefits data — shown only
when the viewer's role reads benefits data and the client's records of it are readable to them.
The page logs what it shows in one insert: the identity (the page names the client) and each
category of which it shows a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from polku.clients.models import Client
from polku.core.categories import DataCategory
from polku.core.models import AccessAction, Membership
from polku.ips.models import (
    BenefitsCounselling,
    CareerProfile,
    IpsCase,
    JobPlacement,
    JobSearchActivity,
    JobSearchPlan,
)
from polku.ips.selectors import cases, counselling, job_search, placements, profiles
from polku.ips.selectors.common import ClientRecord, log_rows, may_read

C = DataCategory
# IPS-25 item 15 (../shared/domain/IPS.md): the first face-to-face employer contact within 30
# days of entry.
RAPID_SEARCH_DAYS = 30
RECENT_ACTIVITIES = 10


@dataclass(frozen=True)
class RapidSearch:
    """Rapid job search for the open case: the first face-to-face employer contact since entry."""

    entry: dt.date
    first_contact: JobSearchActivity | None
    days_since_entry: int

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_contact is None:
            return None
        return (self.first_contact.date - self.entry).days

    @property
    def within_target(self) -> bool:
        days = self.days_to_first_contact
        return days is not None and days <= RAPID_SEARCH_DAYS

    @property
    def overdue(self) -> bool:
        """More than 30 days since entry without a face-to-face employer contact."""
        return self.first_contact is None and self.days_since_entry > RAPID_SEARCH_DAYS


@dataclass
class JobCoachingPage:
    """What one viewer may see of a client's IPS work. `employment_visible` and
    `counselling` (None) say which sections the viewer's role may not read at all."""

    client: Client
    employment_visible: bool
    case: IpsCase | None = None
    past_cases: list[IpsCase] = field(default_factory=list)
    profile: CareerProfile | None = None
    profile_versions: int = 0
    plan: JobSearchPlan | None = None
    activities: list[JobSearchActivity] = field(default_factory=list)
    activity_count: int = 0
    rapid_search: RapidSearch | None = None
    counselling: list[BenefitsCounselling] | None = None
    current_placements: list[JobPlacement] = field(default_factory=list)
    past_placements: list[JobPlacement] = field(default_factory=list)
    logged_categories: list[str] = field(default_factory=list)

    @property
    def profile_updates(self) -> int:
        """How many times the first version has been updated since."""
        return max(self.profile_versions - 1, 0)


def _employment(page: JobCoachingPage, viewer: Membership, client: Client) -> list[ClientRecord]:
    """Fill the employment sections; return the rows shown."""
    all_cases = list(cases.client_cases(viewer, client))
    page.case = next((c for c in all_cases if c.end_date is None), None)
    page.past_cases = [c for c in all_cases if c.end_date is not None]
    versions = list(profiles.client_profiles(viewer, client)[:1])
    page.profile = versions[0] if versions else None
    page.profile_versions = profiles.client_profiles(viewer, client).count() if versions else 0
    page.plan = job_search.client_plans(viewer, client).first()
    activities = job_search.client_activities(viewer, client)
    page.activities = list(activities[:RECENT_ACTIVITIES])
    page.activity_count = (
        len(page.activities) if len(page.activities) < RECENT_ACTIVITIES else activities.count()
    )
    if page.case is not None:
        today = timezone.localdate()
        page.rapid_search = RapidSearch(
            entry=page.case.start_date,
            first_contact=job_search.first_face_to_face(viewer, client, since=page.case.start_date),
            days_since_entry=(today - page.case.start_date).days,
        )
    jobs = list(placements.client_placements(viewer, client))
    page.current_placements = [p for p in jobs if p.end_date is None]
    page.past_placements = [p for p in jobs if p.end_date is not None]
    shown: list[ClientRecord] = []
    for rows in (all_cases, versions, page.activities, jobs):
        shown += rows
    if page.plan is not None:
        shown.append(page.plan)
    if page.rapid_search and page.rapid_search.first_contact:
        shown.append(page.rapid_search.first_contact)
    return shown


def job_coaching_page(viewer: Membership, client: Client) -> JobCoachingPage:
    """The tab's contents for `viewer`, logged (identity, and each category shown)."""
    page = JobCoachingPage(client=client, employment_visible=may_read(viewer, JobPlacement))
    shown: list[ClientRecord] = []
    if page.employment_visible:
        shown += _employment(page, viewer, client)
    if may_read(viewer, BenefitsCounselling):
        page.counselling = list(counselling.client_counselling(viewer, client))
        shown += page.counselling
    log_rows(viewer, shown, identity_of=[client.pk], action=AccessAction.VIEW)
    page.logged_categories = [C.IDENTITY, *sorted({row.record_category for row in shown})]
    return page
