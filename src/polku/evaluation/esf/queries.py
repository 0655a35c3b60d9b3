"""The ESF+ indicator counts as set-based SQL: three queries, whatever the number of participants.

A participant is one person in one programme (../shared/domain/ESF_INDICATORS.md): a person who
re-enters keeps the entry data of the first entry and the leaving date of the final exit. Both
are picked in SQL with a window function, ROW_NUMBER() per client over the programme's episodes:
the first entry is the earliest start, the final exit the latest end where no episode is still
open. No correlated subquery: a correlated one per row went quadratic on PostgreSQL whenever the
planner lacked statistics (50 s for 30 000 participants right after a bulk load), a window is
one sort.

1. Output indicators (EECO01–17): participants whose first entry falls in the period, counted
   from the first episode, its `EntryData` and the client, grouped by gender.
2. Result indicators (EECR01–06): participants whose final exit falls in the period, counted from
   the `Outcome` rows of the final episode at exit and six months after exit, grouped by gender.
3. EECO19: employers in the register, by size class, with an employer service in force in the
   period from an organisation that runs or provides the programme.

Aggregates only: nothing here names a client, so nothing is written to the read-access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import CombinedExpression, OrderBy
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, RowNumber
from django.db.models.lookups import LessThan

from polku.clients.models import Episode, Gender, Programme
from polku.employers.models import Employer, EmployerAgreement, SizeClass
from polku.evaluation.cohort import LONG_TERM_MONTHS, LONG_TERM_MONTHS_YOUNG, YOUNG_BELOW_AGE
from polku.evaluation.models import (
    EMPLOYED_STATUSES,
    SENSITIVE_FIELDS,
    LabourMarketStatus,
    OutcomePoint,
    OutcomeStatus,
    SensitiveAnswer,
)

# The report's gender columns: the regulation's women, men and non-binary, and "not disclosed"
# reported transparently as its own column, never guessed (ESF_INDICATORS.md).
GENDERS: tuple[str, ...] = (Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.NOT_DISCLOSED)

# EECO06–08: ages at entry.
ADULT_AGE = 18
YOUTH_LAST_AGE = 29
OLDER_FROM_AGE = 55
SMALL_AND_MEDIUM = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)


@dataclass(frozen=True)
class Counts:
    """A count of people for each gender column; `total` is their sum."""

    women: int = 0
    men: int = 0
    non_binary: int = 0
    not_disclosed: int = 0

    @property
    def cells(self) -> tuple[int, int, int, int]:
        return (self.women, self.men, self.non_binary, self.not_disclosed)

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass(frozen=True)
class EntityCounts:
    employers_supported: int  # with an employer service in force in the period
    small_and_medium: int  # of them, micro, small or medium (EECO19)
    size_unknown: int  # of them, with no size class in the register


def _age_at_entry() -> CombinedExpression:
    """Whole years from the client's birth to the episode's start, in SQL: the difference of the
    years, less one when the birthday (month × 100 + day) comes later in the year than entry."""
    entry_day = ExtractMonth("start_date") * 100 + ExtractDay("start_date")
    birthday = ExtractMonth("client__date_of_birth") * 100 + ExtractDay("client__date_of_birth")
    before_birthday = Case(
        When(LessThan(entry_day, birthday), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    years = ExtractYear("start_date") - ExtractYear("client__date_of_birth")
    return years - before_birthday


# The ids of episodes, as a subquery for `pk__in`.
EpisodeIds = QuerySet[Any, dict[str, Any]]


def _numbered(programme: Programme, *order: OrderBy) -> EpisodeIds:
    """The ids of the programme's episodes that come first per client in `order`."""
    return (
        Episode.objects.filter(programme=programme)
        .annotate(number=Window(RowNumber(), partition_by=[F("client_id")], order_by=list(order)))
        .filter(number=1)
        .values("pk")
    )


def _first_episode_ids(programme: Programme) -> EpisodeIds:
    """Each participant's first episode (ties on the same day broken by id)."""
    return _numbered(programme, F("start_date").asc(), F("pk").asc())


def _last_episode_ids(programme: Programme) -> EpisodeIds:
    """Each participant's last episode: an open one if any, else the one that ended last."""
    return _numbered(programme, F("end_date").desc(nulls_first=True), F("pk").desc())


def _in_period(field: str, first_day: dt.date | None, last_day: dt.date | None) -> Q:
    q = Q()
    if first_day is not None:
        q &= Q(**{f"{field}__gte": first_day})
    if last_day is not None:
        q &= Q(**{f"{field}__lte": last_day})
    return q


def first_entries(
    programme: Programme, first_day: dt.date | None, last_day: dt.date | None
) -> QuerySet[Episode]:
    """Each participant's first episode in `programme`, where it starts in the period."""
    return Episode.objects.filter(
        _in_period("start_date", first_day, last_day), pk__in=_first_episode_ids(programme)
    )


def final_exits(
    programme: Programme, first_day: dt.date | None, last_day: dt.date | None
) -> QuerySet[Episode]:
    """Each participant's last episode in `programme`, where the participant has left (no
    episode open) and the last end date falls in the period."""
    return Episode.objects.filter(
        _in_period("end_date", first_day, last_day),
        pk__in=_last_episode_ids(programme),
        end_date__isnull=False,
    )


def _sensitive(field: str, answer: str) -> Q:
    # Only with consent (the database refuses anything else, but the count says so too).
    return Q(entry_data__sensitive_consent=True, **{f"entry_data__{field}": answer})


def _output_filters() -> dict[str, Q]:
    unemployed = Q(entry_data__labour_market_status=LabourMarketStatus.UNEMPLOYED)
    long_term = unemployed & (
        Q(months_unemployed__gt=LONG_TERM_MONTHS)
        | Q(age__lt=YOUNG_BELOW_AGE, months_unemployed__gt=LONG_TERM_MONTHS_YOUNG)
    )
    sensitive_codes = ("EECO12", "EECO13", "EECO14", "EECO15", "EECO16")
    has_entry = Q(entry_data__isnull=False)
    filters: dict[str, Q] = {
        "EECO01": Q(),
        "EECO02": unemployed,
        "EECO03": long_term,
        "EECO04": Q(entry_data__labour_market_status=LabourMarketStatus.INACTIVE),
        "EECO05": Q(entry_data__labour_market_status=LabourMarketStatus.EMPLOYED),
        "EECO06": Q(age__lt=ADULT_AGE),
        "EECO07": Q(age__gte=ADULT_AGE, age__lte=YOUTH_LAST_AGE),
        "EECO08": Q(age__gte=OLDER_FROM_AGE),
        "EECO09": Q(entry_data__isced_level__lte=2),
        "EECO10": Q(entry_data__isced_level__in=(3, 4)),
        "EECO11": Q(entry_data__isced_level__gte=5),
        "EECO17": Q(entry_data__rural_area=True),
        "entry_data_missing": Q(entry_data__isnull=True),
        "isced_unknown": has_entry & Q(entry_data__isced_level__isnull=True),
        "months_unemployed_missing": unemployed & Q(months_unemployed__isnull=True),
        "rural_unknown": has_entry & Q(entry_data__rural_area__isnull=True),
        "sensitive_not_asked": has_entry & Q(entry_data__sensitive_consent=False),
    }
    for code, field in zip(sensitive_codes, SENSITIVE_FIELDS, strict=True):
        filters[code] = _sensitive(field, SensitiveAnswer.YES)
        filters[f"declined_{field}"] = _sensitive(field, SensitiveAnswer.DECLINED)
    return filters


def _result_filters(programme: Programme) -> dict[str, Q]:
    employed = tuple(str(status) for status in EMPLOYED_STATUSES)
    # Entry data from the first entry, whichever episode the person left from.
    employed_at_entry = Q(
        client_id__in=Episode.objects.filter(
            pk__in=_first_episode_ids(programme),
            entry_data__labour_market_status=LabourMarketStatus.EMPLOYED,
        ).values("client_id")
    )
    return {
        "leavers": Q(),
        # The one exclusive situation at exit makes EECR01 and EECR04 exclusive; education and
        # a qualification are flags beside it, so EECR02 and EECR03 may co-occur.
        "EECR01": Q(at_exit__status=OutcomeStatus.JOB_SEEKING),
        "EECR02": Q(at_exit__status=OutcomeStatus.EDUCATION) | Q(at_exit__in_education=True),
        "EECR03": Q(at_exit__gained_qualification=True),
        "EECR04": Q(at_exit__status__in=employed),
        "exit_not_recorded": Q(at_exit__isnull=True) | Q(at_exit__status=""),
        "EECR05": Q(at_month_6__status__in=employed),
        "EECR06": employed_at_entry & Q(at_month_6__improved_situation=True),
        "employed_at_entry": employed_at_entry,
        "month_6_not_recorded": Q(at_month_6__isnull=True) | Q(at_month_6__status=""),
    }


def _by_gender(rows: Iterable[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, Counts]:
    """{key: Counts} from rows of (client__gender, one count per key); an unknown gender value
    goes to "not disclosed", never guessed."""
    cells: dict[str, dict[str, int]] = {key: dict.fromkeys(GENDERS, 0) for key in keys}
    for row in rows:
        gender = row["client__gender"]
        column = gender if gender in GENDERS else Gender.NOT_DISCLOSED
        for key, by_gender in cells.items():
            by_gender[column] += row[key]
    return {key: Counts(*(by_gender[g] for g in GENDERS)) for key, by_gender in cells.items()}


def _counts(filters: Mapping[str, Q]) -> dict[str, Count]:
    return {key: Count("pk", filter=q or None) for key, q in filters.items()}


def participant_counts(
    programme: Programme, first_day: dt.date | None, last_day: dt.date | None
) -> dict[str, Counts]:
    """Output indicators EECO01–17 and the entry data-quality counts, by gender: one query."""
    filters = _output_filters()
    rows = (
        first_entries(programme, first_day, last_day)
        .alias(age=_age_at_entry())
        .order_by()
        .values("client__gender")
        .annotate(**_counts(filters))
    )
    return _by_gender(rows, filters)


def leaver_counts(
    programme: Programme, first_day: dt.date | None, last_day: dt.date | None
) -> dict[str, Counts]:
    """Result indicators EECR01–06 with their bases and data-quality counts, by gender: one
    query (the outcomes joined at most once per point: one row per episode and point)."""
    filters = _result_filters(programme)
    rows = (
        final_exits(programme, first_day, last_day)
        .alias(
            at_exit=FilteredRelation("outcomes", condition=Q(outcomes__point=OutcomePoint.EXIT)),
            at_month_6=FilteredRelation(
                "outcomes", condition=Q(outcomes__point=OutcomePoint.MONTH_6)
            ),
        )
        .order_by()
        .values("client__gender")
        .annotate(**_counts(filters))
    )
    return _by_gender(rows, filters)


def entity_counts(
    programme: Programme, first_day: dt.date | None, last_day: dt.date | None
) -> EntityCounts:
    """EECO19's employers: one query."""
    providers = Episode.objects.filter(programme=programme).values("organisation_id")
    services = EmployerAgreement.objects.filter(
        Q(organisation_id=programme.organisation_id) | Q(organisation_id__in=providers)
    )
    if last_day is not None:
        services = services.filter(start_date__lte=last_day)
    if first_day is not None:
        services = services.filter(Q(end_date__isnull=True) | Q(end_date__gte=first_day))
    counts = Employer.objects.filter(pk__in=services.values("employer_id")).aggregate(
        supported=Count("pk"),
        small_and_medium=Count("pk", filter=Q(size_class__in=SMALL_AND_MEDIUM)),
        size_unknown=Count("pk", filter=Q(size_class="")),
    )
    return EntityCounts(
        employers_supported=counts["supported"],
        small_and_medium=counts["small_and_medium"],
        size_unknown=counts["size_unknown"],
    )


__all__ = [
    "GENDERS",
    "Counts",
    "EntityCounts",
    "entity_counts",
    "final_exits",
    "first_entries",
    "leaver_counts",
    "participant_counts",
]
