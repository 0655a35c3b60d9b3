"""Recording a participant's ESF+ entry data (../shared/domain/ESF_INDICATORS.md).

One row per episode, recorded by the episode's organisation, as the episode is. The rules:

- Labour market status at entry is one of unemployed, inactive or employed (exclusive); the
  ISCED level 0–8 or unknown; months in work in the 12 months before entry 0–12 or unknown.
- The sensitive characteristics are asked only with the participant's consent. Without it no
  answer is held, not even "did not want to say": withdrawing the consent erases every answer,
  whoever withdraws it (a database constraint holds the rule too).
- Nobody writes data of a category they may not read about this client: each field belongs to a
  category (`EntryData.personal_data`: disability is health data, minority and homelessness are
  social data, the ISCED level education data). Such a field given as None keeps its value; a
  value given for a category the actor may not read is refused. (A reader of education data
  sets the ISCED level as given: None is "not known".)
- A participant not employed at entry has no "improved labour market situation" (EECR06), so the
  status cannot change away from employed while an outcome records one.
- Who records: as for outcomes (`outcomes.can_record_for`), reading the episode.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.clients.models import Episode
from polku.core import access, audit
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership
from polku.evaluation.models import (
    SENSITIVE_FIELDS,
    EntryData,
    IscedLevel,
    LabourMarketStatus,
    Outcome,
    SensitiveAnswer,
)
from polku.evaluation.selectors.outcomes import readable_categories
from polku.evaluation.services.outcomes import can_record_for

MAX_MONTHS_BEFORE = 12
# The entry fields whose category is not employment data, which every recorder reads.
GUARDED_FIELDS = ("isced_level", *SENSITIVE_FIELDS)


def can_record(actor: Membership, episode: Episode) -> bool:
    """May record the episode's entry data: works on the client and reads the episode."""
    return can_record_for(actor, episode.client) and access.can_read(
        actor,
        episode.client,
        category=DataCategory.EMPLOYMENT,
        purpose=Purpose.SERVICE,
        recorded_by_id=episode.recorded_by_id,
    )


def _refusal(category: str) -> str:
    messages: dict[str, str] = {
        DataCategory.HEALTH: _(
            "Your role or the client's consents do not let you read this client's health "
            "data, so you cannot record it either."
        ),
        DataCategory.SOCIAL: _(
            "Your role or the client's consents do not let you read this client's social "
            "welfare data, so you cannot record it either."
        ),
        DataCategory.EDUCATION: _(
            "Your role or the client's consents do not let you read this client's education "
            "data, so you cannot record it either."
        ),
    }
    return messages.get(
        category,
        _(
            "Your role or the client's consents do not let you read this data of the client, "
            "so you cannot record it either."
        ),
    )


def _check_guarded(
    values: dict[str, object], readable: frozenset[str], errors: dict[str, str]
) -> None:
    for name in GUARDED_FIELDS:
        category = EntryData.personal_data[name]
        if values[name] is not None and category not in readable:
            errors[name] = _refusal(category)


def _check_answers(
    values: dict[str, object], sensitive_consent: bool, errors: dict[str, str]
) -> None:
    for name in SENSITIVE_FIELDS:
        answer = values[name]
        if answer is None or name in errors:
            continue
        if answer not in SensitiveAnswer.values:
            errors[name] = _("Choose one of the answers.")
        elif not sensitive_consent and answer != SensitiveAnswer.NOT_ASKED:
            errors[name] = _(
                "Without the participant's consent no answer is kept. Record the consent first."
            )


def _check_values(
    episode: Episode,
    values: dict[str, object],
    *,
    labour_market_status: str,
    months_employed_before: int | None,
    errors: dict[str, str],
) -> None:
    if labour_market_status not in LabourMarketStatus.values:
        errors["labour_market_status"] = _("Choose the labour market status at entry.")
    elif (
        labour_market_status != LabourMarketStatus.EMPLOYED
        and Outcome.objects.filter(episode=episode, improved_situation__isnull=False).exists()
    ):
        errors["labour_market_status"] = _(
            "An outcome of this episode records an improved labour market situation, which "
            "applies only to participants employed at entry. Correct the outcome first."
        )
    if values["isced_level"] is not None and values["isced_level"] not in IscedLevel.values:
        errors.setdefault("isced_level", _("Choose an ISCED level from 0 to 8."))
    if months_employed_before is not None and not 0 <= months_employed_before <= MAX_MONTHS_BEFORE:
        errors["months_employed_before"] = _("Give a number of months from 0 to 12.")


@transaction.atomic
def entry_data_save(
    *,
    actor: Membership,
    episode: Episode,
    labour_market_status: str,
    isced_level: int | None = None,
    rural_area: bool | None = None,
    months_employed_before: int | None = None,
    sensitive_consent: bool = False,
    disability: str | None = None,
    third_country_national: str | None = None,
    foreign_background: str | None = None,
    minority: str | None = None,
    homeless: str | None = None,
) -> EntryData:
    """Record or correct the episode's entry data.

    The five sensitive answers given as None keep their stored value (an answer never given is
    "not asked"), as does the ISCED level for an actor who may not read education data; the
    other fields are set as given. Raises
    PermissionDenied unless `can_record(actor, episode)`; ValidationError per field when a rule
    in the module docstring is broken. Nothing is written then.
    """
    if not can_record(actor, episode):
        raise PermissionDenied
    values: dict[str, object] = {
        "isced_level": isced_level,
        "disability": disability,
        "third_country_national": third_country_national,
        "foreign_background": foreign_background,
        "minority": minority,
        "homeless": homeless,
    }
    errors: dict[str, str] = {}
    readable = readable_categories(actor, episode)
    _check_guarded(values, readable, errors)
    _check_answers(values, sensitive_consent, errors)
    _check_values(
        episode,
        values,
        labour_market_status=labour_market_status,
        months_employed_before=months_employed_before,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    entry = EntryData.objects.select_for_update().filter(episode=episode).first()
    if entry is None:
        entry = EntryData(episode=episode, recorded_by_id=episode.recorded_by_id, created_by=actor)
    entry.labour_market_status = labour_market_status
    entry.rural_area = rural_area
    entry.months_employed_before = months_employed_before
    entry.sensitive_consent = sensitive_consent
    for name, value in values.items():
        if value is not None:
            setattr(entry, name, value)
    if EntryData.personal_data["isced_level"] in readable:
        entry.isced_level = isced_level
    if not sensitive_consent:
        # Consent withdrawn (or never given): nothing sensitive is held, whichever category.
        for name in SENSITIVE_FIELDS:
            setattr(entry, name, SensitiveAnswer.NOT_ASKED)
    with audit.acting(actor):
        entry.save()
    return entry
