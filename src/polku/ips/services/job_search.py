"""The job search plan and job-search activities.

IPS searches rapidly for a competitive job that matches the client's preferences (principles 4
and 6): the first face-to-face contact with an employer within 30 days of entry (IPS-25 item 15,
../shared/domain/IPS.md). Activities are what that is measured from, so a contact with an
employer names the employer (from the shared register); a vacancy named must be that
employer's and open (the pages offer only open ones). An activity is not dated before the
client's entry to IPS (the start of the open case the actor may read), since rapid job search is
measured from it. A new plan replaces the previous one; both stay on record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.core import audit
from polku.core.categories import DataCategory
from polku.core.models import Membership
from polku.employers.models import Employer, Vacancy, VacancyStatus
from polku.ips.models import ActivityKind, JobSearchActivity, JobSearchPlan
from polku.ips.permissions import can_write, require
from polku.ips.selectors.cases import open_case
from polku.ips.services.common import (
    Errors,
    choice,
    isco_codes,
    not_in_future,
    required_text,
    short_date,
    text,
)

# Contacts with an employer: the activity must say which employer.
EMPLOYER_KINDS = frozenset(
    {
        ActivityKind.EMPLOYER_MEETING,
        ActivityKind.INTERVIEW,
        ActivityKind.EMPLOYER_CALL,
        ActivityKind.WORK_TRIAL,
    }
)


def can_record(actor: Membership, client: Client) -> bool:
    return can_write(actor, client, DataCategory.EMPLOYMENT)


def check_employer(
    employer: Employer | None,
    vacancy: Vacancy | None,
    errors: Errors,
    *,
    statuses: Collection[str] = (VacancyStatus.OPEN,),
    status_error: str = "",
    kept_employer: Employer | None = None,
    kept_vacancy: Vacancy | None = None,
) -> Employer | None:
    """The employer of an activity or placement: active in the register; when a vacancy is
    named, the vacancy's employer (given or not), and the vacancy in one of `statuses` (else
    `status_error`, by default that it must be open).

    A correction keeps what the record already names: `kept_employer` passes though it is no
    longer active, `kept_vacancy` whatever its status now (it must still be the employer's).
    """
    if vacancy is not None:
        if employer is None:
            employer = vacancy.employer
        elif vacancy.employer_id != employer.pk:
            errors["vacancy"] = _("Choose a vacancy of the employer chosen.")
        same_vacancy = kept_vacancy is not None and vacancy.pk == kept_vacancy.pk
        if vacancy.status not in statuses and not same_vacancy:
            errors.setdefault(
                "vacancy",
                status_error or _("The vacancy is not open. Choose an open vacancy, or none."),
            )
    if employer is not None and not employer.is_active:
        same_employer = kept_employer is not None and employer.pk == kept_employer.pk
        if not same_employer:
            errors["employer"] = _("Choose an active employer from the register.")
    return employer


def before_entry(actor: Membership, client: Client, day: dt.date) -> dt.date | None:
    """The client's entry to IPS (the start of the open case `actor` may read) when `day` is
    before it; None when it is not, or there is no such case."""
    case = open_case(actor, client)
    if case is not None and day < case.start_date:
        return case.start_date
    return None


@transaction.atomic
def plan_create(
    *,
    actor: Membership,
    client: Client,
    agreed_on: dt.date,
    goal: str,
    target_occupations: Iterable[str] = (),
    steps: str = "",
    review_on: dt.date | None = None,
) -> JobSearchPlan:
    """Record a job search plan agreed with the client; it replaces the current one.

    Raises PermissionDenied when `actor` may not write the client's employment data;
    ValidationError (per field) for an agreement date in the future, an empty goal, unknown ISCO
    codes or a review date before the agreement.
    """
    require(can_record(actor, client))
    errors: Errors = {}
    not_in_future(agreed_on, "agreed_on", errors)
    goal = required_text(goal, "goal", errors, _("Write down the goal of the job search."))
    steps = text(steps, "steps", errors)
    occupations = isco_codes(target_occupations, "target_occupations", errors)
    if review_on is not None and review_on < agreed_on:
        errors["review_on"] = _("The review date is before the agreement (%(date)s).") % {
            "date": short_date(agreed_on)
        }
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        return JobSearchPlan.objects.create(
            client=client,
            agreed_on=agreed_on,
            goal=goal,
            target_occupations=occupations,
            steps=steps,
            review_on=review_on,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )


@transaction.atomic
def activity_record(
    *,
    actor: Membership,
    client: Client,
    date: dt.date,
    kind: str,
    employer: Employer | None = None,
    vacancy: Vacancy | None = None,
    specialist_present: bool = False,
    notes: str = "",
) -> JobSearchActivity:
    """Record a job-search activity of the client.

    Raises PermissionDenied when `actor` may not write the client's employment data;
    ValidationError (per field) for a date in the future or before the client's entry to IPS,
    an unknown kind, a contact with an employer that names none, an inactive employer, or a
    vacancy of another employer or not open.
    """
    require(can_record(actor, client))
    errors: Errors = {}
    not_in_future(date, "date", errors)
    entry = before_entry(actor, client, date)
    if entry is not None:
        errors.setdefault(
            "date",
            _("The activity cannot be dated before the client's entry to IPS (%(date)s).")
            % {"date": short_date(entry)},
        )
    choice(
        kind, ActivityKind.values, "kind", errors, _("Choose the kind of activity from the list.")
    )
    employer = check_employer(employer, vacancy, errors)
    if kind in EMPLOYER_KINDS and employer is None:
        errors.setdefault("employer", _("Choose the employer the contact was with."))
    notes = text(notes, "notes", errors)
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        return JobSearchActivity.objects.create(
            client=client,
            date=date,
            kind=kind,
            employer=employer,
            vacancy=vacancy,
            specialist_present=specialist_present,
            notes=notes,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )
