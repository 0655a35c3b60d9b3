"""Job placements and the follow-along support after them.

The rules (../shared/domain/IPS.md):

- A placement belongs to the client's open IPS case and names an active employer of the shared
  register, a job title and an ISCO-08 occupation group; a vacancy named is the employer's,
  open or filled (not a draft, not closed). Whether the job is competitive (open to anyone, at
  least the minimum or collectively agreed wage, not set aside for people with disabilities:
  item 21) must be answered; there is no default.
- Hours per week from 0.5 to 60; the hourly wage, when given, from 0 to 500 euros, and for a
  competitive job at least `COMPETITIVE_MIN_HOURLY_WAGE`.
- A start not before the client's entry to IPS (the case's start: outcomes count jobs from
  entry) and at most a year ahead; an end not before the start and not in the future, and an
  end date and an end reason only together.
- A correction (`placement_update`) follows the same rules, keeps the case and the specialist,
  may keep an employer no longer active and a vacancy whatever its status now, and does not
  move the start after a support recorded or after the end of follow-along.
- Follow-along support is time-unlimited (principle 8, item 23): it starts with the job, goes on
  whether or not the job has ended, and stops only when the client chooses so, which is recorded
  explicitly (`follow_along_end`); no support is recorded after that day.
- Ending a placement or its follow-along is for the organisation that recorded the placement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.clients.models import Client
from polku.core import audit, roles
from polku.core.categories import DataCategory
from polku.core.classifications import occupations
from polku.core.models import Membership
from polku.employers.models import Employer, Vacancy, VacancyStatus
from polku.ips.models import (
    FollowAlongSupport,
    IpsCase,
    JobPlacement,
    PlacementEndReason,
    SupportMode,
    SupportWith,
)
from polku.ips.permissions import can_write, require
from polku.ips.selectors.cases import client_cases, open_case
from polku.ips.selectors.common import of_client
from polku.ips.services.common import (
    Errors,
    choice,
    end_after_start,
    not_in_future,
    required_text,
    short_date,
)
from polku.ips.services.job_search import check_employer

C = DataCategory
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal("60")
MAX_HOURLY_WAGE = Decimal("500")
# A competitive job pays at least the minimum or collectively agreed wage (IPS-25 item 21,
# ../shared/domain/IPS.md). Finland has no statutory minimum wage: the floor is the lowest
# hourly rate of the generally binding collective agreement of the field, and those rates are
# above 10 euros an hour in 2026 (retail, cleaning and property services, hospitality,
# warehousing). ../shared/domain/BENEFITS_AND_SAVINGS.md has benefit amounts but no wages. A
# wage under this floor, below every such rate, is a typing error or not a competitive job, so
# the service refuses it and says which to check. A plausibility rule, not the law: keep it
# below the lowest agreed rate the programme's clients work at.
COMPETITIVE_MIN_HOURLY_WAGE = Decimal("9.00")
JOB_TITLE_MAX_LENGTH = 200
START_HORIZON = dt.timedelta(days=365)
# The job may be the vacancy this very client filled; a draft or closed one was never a job.
PLACEMENT_VACANCY_STATUSES = frozenset({VacancyStatus.OPEN, VacancyStatus.FILLED})


def can_record(actor: Membership, client: Client) -> bool:
    return can_write(actor, client, C.EMPLOYMENT)


def can_edit(actor: Membership, placement: JobPlacement) -> bool:
    """End the placement or its follow-along: the recording organisation's people who may work
    on the client."""
    return placement.recorded_by_id == actor.organisation_id and can_write(
        actor, placement.client, C.EMPLOYMENT
    )


def _specialist(actor: Membership, case: IpsCase) -> Membership:
    """Whose work it is: the actor when they are an employment specialist, else the case's."""
    return actor if actor.role == roles.Role.EMPLOYMENT_SPECIALIST else case.specialist


def _end(end_date: dt.date | None, end_reason: str, start_date: dt.date, errors: Errors) -> None:
    end_after_start(end_date, start_date, errors)
    if (end_date is not None and not end_reason) or (
        end_reason and end_reason not in PlacementEndReason.values
    ):
        errors.setdefault("end_reason", _("Choose why the job ended."))
    elif end_reason and end_date is None:
        errors.setdefault("end_date", _("Give the date the job ended."))


def _hours_and_wage(
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None,
    competitive: bool | None,
    errors: Errors,
) -> None:
    if hours_per_week is None or not MIN_HOURS <= hours_per_week <= MAX_HOURS:
        errors["hours_per_week"] = _("Give the hours per week, from 0.5 to 60.")
    if hourly_wage is not None and not Decimal(0) <= hourly_wage <= MAX_HOURLY_WAGE:
        errors["hourly_wage"] = _("Give the hourly wage in euros, from 0 to 500.")
    elif competitive and hourly_wage is not None and hourly_wage < COMPETITIVE_MIN_HOURLY_WAGE:
        errors["hourly_wage"] = _(
            "A competitive job pays at least the collectively agreed wage; check the wage or "
            "mark the job not competitive."
        )


def _check_job(
    errors: Errors,
    *,
    case: IpsCase | None,
    employer: Employer | None,
    vacancy: Vacancy | None,
    job_title: str,
    isco_code: str,
    competitive: bool | None,
    start_date: dt.date,
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None,
    end_date: dt.date | None,
    end_reason: str,
    kept: JobPlacement | None = None,
) -> tuple[Employer | None, str]:
    """The rules a job's values follow, new or corrected (module docstring): each broken one
    adds its field's message to `errors`. Returns the employer (the vacancy's when none was
    given) and the job title as stored."""
    employer = check_employer(
        employer,
        vacancy,
        errors,
        statuses=PLACEMENT_VACANCY_STATUSES,
        status_error=_(
            "The vacancy is a draft or closed. Choose an open or filled vacancy, or none."
        ),
        kept_employer=kept.employer if kept is not None else None,
        kept_vacancy=kept.vacancy if kept is not None else None,
    )
    if employer is None:
        errors.setdefault("employer", _("Choose the employer from the register."))
    job_title = required_text(job_title, "job_title", errors, _("Give the job title."))
    if len(job_title) > JOB_TITLE_MAX_LENGTH:
        errors["job_title"] = _("Keep the text under %(max)d characters.") % {
            "max": JOB_TITLE_MAX_LENGTH
        }
    if isco_code not in occupations():
        errors["isco_code"] = _("Choose the occupation from the ISCO-08 list.")
    if competitive is None:
        errors["competitive"] = _("Answer whether the job is competitive.")
    if case is not None and start_date < case.start_date:
        errors["start_date"] = _(
            "The job cannot start before the client's entry to IPS (%(date)s)."
        ) % {"date": short_date(case.start_date)}
    elif start_date > timezone.localdate() + START_HORIZON:
        errors["start_date"] = _("The start date is more than a year ahead.")
    _end(end_date, end_reason, start_date, errors)
    _hours_and_wage(hours_per_week, hourly_wage, competitive, errors)
    return employer, job_title


@transaction.atomic
def placement_record(
    *,
    actor: Membership,
    client: Client,
    employer: Employer | None,
    job_title: str,
    isco_code: str,
    competitive: bool | None,
    start_date: dt.date,
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None = None,
    subsidised: bool = False,
    vacancy: Vacancy | None = None,
    end_date: dt.date | None = None,
    end_reason: str = "",
) -> JobPlacement:
    """Record a job the client got, in the client's open IPS case.

    Raises PermissionDenied when `actor` may not write the client's employment data;
    ValidationError (per field; `client` when there is no open case the actor may read) when a
    rule in the module docstring is broken. Nothing is written then.
    """
    require(can_record(actor, client))
    errors: Errors = {}
    case = open_case(actor, client)
    if case is None:
        errors["client"] = _(
            "The client has no open IPS case. Start the case first: a job is recorded in it."
        )
    employer, job_title = _check_job(
        errors,
        case=case,
        employer=employer,
        vacancy=vacancy,
        job_title=job_title,
        isco_code=isco_code,
        competitive=competitive,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        end_date=end_date,
        end_reason=end_reason,
    )
    if errors:
        raise ValidationError(errors)
    assert case is not None
    assert employer is not None
    assert competitive is not None
    assert hours_per_week is not None
    with audit.acting(actor):
        return JobPlacement.objects.create(
            client=client,
            case=case,
            employer=employer,
            vacancy=vacancy,
            specialist=_specialist(actor, case),
            job_title=job_title,
            isco_code=isco_code,
            competitive=competitive,
            subsidised=subsidised,
            start_date=start_date,
            end_date=end_date,
            end_reason=end_reason if end_date else "",
            hours_per_week=hours_per_week,
            hourly_wage=hourly_wage,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )


def _start_after_follow_along(
    actor: Membership, placement: JobPlacement, start_date: dt.date, errors: Errors
) -> None:
    """A corrected start keeps follow-along after it: not after a support recorded (the date
    given only from the supports `actor` may read) nor after the day follow-along ended."""
    ended_on = placement.follow_along_ended_on
    if ended_on is not None and start_date > ended_on:
        errors.setdefault(
            "start_date",
            _("Follow-along support of this job ended on %(date)s, before this start.")
            % {"date": short_date(ended_on)},
        )
    if not placement.supports.filter(date__lt=start_date).exists():
        return
    first = (
        of_client(FollowAlongSupport, actor, placement.client)
        .filter(placement=placement)
        .aggregate(first=Min("date"))["first"]
    )
    if first is not None and first < start_date:
        message = _("Follow-along support was recorded on %(date)s, before this start.") % {
            "date": short_date(first)
        }
    else:
        message = _("Follow-along support was recorded before this start.")
    errors.setdefault("start_date", message)


@transaction.atomic
def placement_update(
    *,
    actor: Membership,
    placement: JobPlacement,
    employer: Employer | None,
    job_title: str,
    isco_code: str,
    competitive: bool | None,
    start_date: dt.date,
    hours_per_week: Decimal | None,
    hourly_wage: Decimal | None = None,
    subsidised: bool = False,
    vacancy: Vacancy | None = None,
    end_date: dt.date | None = None,
    end_reason: str = "",
) -> JobPlacement:
    """Correct the job's details: every value is replaced by the one given. The case, the
    specialist and follow-along stay as they are.

    For the organisation that recorded the job (`can_edit`; PermissionDenied otherwise). The
    rules of `placement_record`, with the exceptions the module docstring lists; ValidationError
    (per field) when one is broken, and nothing changes then.
    """
    require(can_edit(actor, placement))
    errors: Errors = {}
    case = (
        client_cases(actor, placement.client).filter(pk=placement.case_id).first()
        if placement.case_id is not None
        else None
    )
    employer, job_title = _check_job(
        errors,
        case=case,
        employer=employer,
        vacancy=vacancy,
        job_title=job_title,
        isco_code=isco_code,
        competitive=competitive,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        end_date=end_date,
        end_reason=end_reason,
        kept=placement,
    )
    _start_after_follow_along(actor, placement, start_date, errors)
    if errors:
        raise ValidationError(errors)
    assert employer is not None
    assert competitive is not None
    assert hours_per_week is not None
    with audit.acting(actor):
        placement.employer, placement.vacancy = employer, vacancy
        placement.job_title, placement.isco_code = job_title, isco_code
        placement.competitive, placement.subsidised = competitive, subsidised
        placement.start_date, placement.end_date = start_date, end_date
        placement.end_reason = end_reason if end_date else ""
        placement.hours_per_week, placement.hourly_wage = hours_per_week, hourly_wage
        placement.save(
            update_fields=[
                "employer",
                "vacancy",
                "job_title",
                "isco_code",
                "competitive",
                "subsidised",
                "start_date",
                "end_date",
                "end_reason",
                "hours_per_week",
                "hourly_wage",
            ]
        )
    return placement


@transaction.atomic
def placement_end(
    *, actor: Membership, placement: JobPlacement, end_date: dt.date, end_reason: str
) -> JobPlacement:
    """Record that the job ended, when and why. Follow-along support goes on (module docstring)."""
    require(can_edit(actor, placement))
    errors: Errors = {}
    if placement.end_date is not None:
        errors["end_date"] = _("This job has already ended.")
    _end(end_date, end_reason, placement.start_date, errors)
    if not end_reason:
        errors.setdefault("end_reason", _("Choose why the job ended."))
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        placement.end_date, placement.end_reason = end_date, end_reason
        placement.save(update_fields=["end_date", "end_reason"])
    return placement


@transaction.atomic
def support_record(
    *,
    actor: Membership,
    placement: JobPlacement,
    date: dt.date,
    with_whom: str,
    mode: str,
    content: str,
) -> FollowAlongSupport:
    """Record follow-along support given after the placement started.

    Raises PermissionDenied when `actor` may not write the client's employment data;
    ValidationError (per field) for a date before the job's start, in the future or after the
    client chose to end the support, an unknown choice, or empty content.
    """
    require(can_record(actor, placement.client))
    errors: Errors = {}
    if date < placement.start_date:
        errors["date"] = _(
            "Follow-along support starts with the job: the date is before its start (%(date)s)."
        ) % {"date": short_date(placement.start_date)}
    elif placement.follow_along_ended_on is not None and date > placement.follow_along_ended_on:
        errors["date"] = _(
            "The client chose to end the follow-along support of this job on %(date)s."
        ) % {"date": short_date(placement.follow_along_ended_on)}
    not_in_future(date, "date", errors)
    choice(with_whom, SupportWith.values, "with_whom", errors, _("Choose with whom from the list."))
    choice(mode, SupportMode.values, "mode", errors, _("Choose how from the list."))
    content = required_text(content, "content", errors, _("Write down what the support was."))
    if errors:
        raise ValidationError(errors)
    specialist = actor if actor.role == roles.Role.EMPLOYMENT_SPECIALIST else placement.specialist
    with audit.acting(actor):
        return FollowAlongSupport.objects.create(
            placement=placement,
            client_id=placement.client_id,
            date=date,
            with_whom=with_whom,
            mode=mode,
            specialist=specialist,
            content=content,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )


def _support_after(actor: Membership, placement: JobPlacement, ended_on: dt.date) -> str:
    """Why follow-along cannot end on `ended_on`: support was recorded after it. The date of
    the last support is given only from the supports `actor` may read (another organisation's
    may be among them)."""
    last = (
        of_client(FollowAlongSupport, actor, placement.client)
        .filter(placement=placement)
        .aggregate(last=Max("date"))["last"]
    )
    if last is not None and last > ended_on:
        return _("Support was recorded on %(date)s, after this date.") % {"date": short_date(last)}
    return _("Support was recorded after this date.")


@transaction.atomic
def follow_along_end(
    *, actor: Membership, placement: JobPlacement, ended_on: dt.date, client_chose: bool
) -> JobPlacement:
    """Record that follow-along support of the job ended, by the client's choice.

    Support is time-unlimited: the service never ends it on its own, so the call is refused
    unless `client_chose` confirms that the client decided. The day is not before the job's
    start nor the last support recorded, and not in the future.
    """
    require(can_edit(actor, placement))
    errors: Errors = {}
    if not client_chose:
        errors["client_chose"] = _(
            "Follow-along support ends only when the client chooses so. Confirm that they did."
        )
    if placement.follow_along_ended_on is not None:
        errors["ended_on"] = _("Follow-along support of this job has already ended.")
    else:
        end_after_start(ended_on, placement.start_date, errors, field="ended_on")
        if placement.supports.filter(date__gt=ended_on).exists():
            errors.setdefault("ended_on", _support_after(actor, placement, ended_on))
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        placement.follow_along_ended_on = ended_on
        placement.save(update_fields=["follow_along_ended_on"])
    return placement
