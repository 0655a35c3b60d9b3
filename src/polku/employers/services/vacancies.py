"""Vacancies: jobs an employer has open, which specialists match their clients to.

A vacancy names its occupation by an ISCO-08 group code of the shipped classification, the
languages it needs as ISO 639-1 codes, and optionally one of its employer's own workplaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.core import audit
from polku.core.models import Membership
from polku.employers.languages import normalised_languages
from polku.employers.models import (
    Employer,
    EmployerLocation,
    Vacancy,
    VacancyStatus,
    WorkingTime,
)
from polku.employers.permissions import require_write

TEXT_MAX_LENGTH = 5000
MAX_POSITIONS = 999


def _belongs(location: EmployerLocation, employer: Employer) -> bool:
    if employer.pk is not None and location.employer_id == employer.pk:
        return True
    # A workplace and its employer both being created by one import are not saved yet.
    return location._state.fields_cache.get("employer") is employer


def vacancy_prepare(
    vacancy: Vacancy,
    *,
    employer: Employer,
    title: str,
    isco_code: str,
    description: str = "",
    requirements: str = "",
    languages: Iterable[str] = (),
    working_time: str = WorkingTime.EITHER,
    hours_per_week: Decimal | None = None,
    location: EmployerLocation | None = None,
    positions: int = 1,
    start_date: dt.date | None = None,
    deadline: dt.date | None = None,
    status: str = VacancyStatus.OPEN,
    adjustments: str = "",
) -> Vacancy:
    """Set and check the vacancy's values without saving; ValidationError by field.

    `location` must be a workplace of `employer` (a new one not yet saved is accepted when it
    is the employer's, as an import creates both at once).
    """
    errors: dict[str, list[str]] = {}
    vacancy.employer = employer
    vacancy.title = (title or "").strip()
    if not vacancy.title:
        errors["title"] = [_("Give the job title.")]
    vacancy.isco_code = (isco_code or "").strip()
    if not vacancy.isco_code:
        errors["isco_code"] = [_("Choose the occupation.")]
    for field, value in (
        ("description", description),
        ("requirements", requirements),
        ("adjustments", adjustments),
    ):
        text = (value or "").strip()
        setattr(vacancy, field, text)
        if len(text) > TEXT_MAX_LENGTH:
            errors[field] = [
                _("Keep this under %(count)d characters.") % {"count": TEXT_MAX_LENGTH}
            ]
    try:
        vacancy.languages = normalised_languages(languages)
    except ValidationError as error:
        errors["languages"] = error.messages
    vacancy.working_time = working_time
    if working_time not in WorkingTime.values:
        errors["working_time"] = [_("Choose the working time from the list.")]
    vacancy.hours_per_week = hours_per_week
    if location is not None and not _belongs(location, employer):
        errors["location"] = [_("Choose one of this employer's workplaces.")]
    vacancy.location = location
    vacancy.positions = positions
    if not 1 <= positions <= MAX_POSITIONS:
        errors["positions"] = [_("Give a number from 1 to %(max)d.") % {"max": MAX_POSITIONS}]
    vacancy.start_date = start_date
    vacancy.deadline = deadline
    vacancy.status = status
    if status not in VacancyStatus.values:
        errors["status"] = [_("Choose the status from the list.")]
    try:
        vacancy.full_clean(
            exclude=["employer", "location", "created_by", "positions", *errors],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return vacancy


@transaction.atomic
def vacancy_save(
    *,
    actor: Membership,
    employer: Employer,
    vacancy: Vacancy | None = None,
    title: str,
    isco_code: str,
    description: str = "",
    requirements: str = "",
    languages: Iterable[str] = (),
    working_time: str = WorkingTime.EITHER,
    hours_per_week: Decimal | None = None,
    location: EmployerLocation | None = None,
    positions: int = 1,
    start_date: dt.date | None = None,
    deadline: dt.date | None = None,
    status: str = VacancyStatus.OPEN,
    adjustments: str = "",
) -> Vacancy:
    """Add a vacancy of `employer` (when `vacancy` is None) or change one.

    A vacancy may move to another employer only if it names none of the old one's workplaces.
    Raises PermissionDenied unless the actor may write the register; ValidationError by field
    with nothing changed.
    """
    require_write(actor)
    if vacancy is None:
        target = Vacancy(created_by=actor)
    else:
        target = Vacancy.objects.select_related("employer").get(pk=vacancy.pk)
    vacancy_prepare(
        target,
        employer=employer,
        title=title,
        isco_code=isco_code,
        description=description,
        requirements=requirements,
        languages=languages,
        working_time=working_time,
        hours_per_week=hours_per_week,
        location=location,
        positions=positions,
        start_date=start_date,
        deadline=deadline,
        status=status,
        adjustments=adjustments,
    )
    with audit.acting(actor):
        target.save()
    return target
