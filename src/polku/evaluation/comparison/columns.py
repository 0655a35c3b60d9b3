"""The columns of a comparison group file, their ranges, and the file's limits.

One row per person who did not take part, pseudonymous: the register's own row id, never a
name or identity code. The covariates are as at the reference date (the date the person would
have entered, matching the participants' entry); the outcomes are measured from it, as the
participants' are (`evaluation.cohort.participant_frame`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The file waits in the database cache between preview and confirmation, so it is kept small;
# 5 MB holds some 70 000 rows, more than any comparison group a programme needs.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# Errors listed in a report; the rest are only counted ("…and 1234 more errors").
MAX_ERRORS = 200
MAX_ROW_ID = 64

AGE_MIN, AGE_MAX = 15, 99  # working age and beyond, as registers record it
MONTHS_UNEMPLOYED_MAX = 600  # fifty years
ISCED_MAX = 8  # ISCED 2011 levels 0–8 (../shared/domain/ESF_INDICATORS.md)
MONTHS_IN_YEAR = 12
DAYS_MAX = 20 * 366  # twenty years of follow-up


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: StrOrPromise


COLUMNS: tuple[Column, ...] = (
    Column(
        "row_id",
        True,
        _(
            "The register's pseudonymous id of the row, unique in the file (at most 64 "
            "characters). Never a name or personal identity code."
        ),
    ),
    Column(
        "reference_date",
        True,
        _("The date the person is compared from, as YYYY-MM-DD; not in the future."),
    ),
    Column(
        "gender",
        True,
        _("woman, man, other or not_disclosed (nainen, mies, kvinna, man are accepted too)."),
    ),
    Column("age", True, _("Age in years at the reference date, 15–99.")),
    Column(
        "months_unemployed",
        True,
        _("Months unemployed before the reference date, 0–600."),
    ),
    Column("isced_level", False, _("Highest education as an ISCED level 0–8; empty if unknown.")),
    Column(
        "months_employed_before",
        False,
        _("Months in work in the 12 months before the reference date, 0–12; empty if unknown."),
    ),
    Column(
        "months_employed_after",
        False,
        _("Months in work in the 12 months after the reference date, 0–12; empty if unknown."),
    ),
    Column(
        "employed_6m",
        False,
        _("1 if employed 6 months after the reference date, 0 if not; empty if unknown."),
    ),
    Column(
        "employed_12m",
        False,
        _("1 if employed 12 months after the reference date, 0 if not; empty if unknown."),
    ),
    Column(
        "days_to_job",
        False,
        _("Days from the reference date to the first job; empty if no job was found."),
    ),
    Column(
        "days_followed",
        True,
        _(
            "Days the person was followed from the reference date; the follow-up may not "
            "end after today."
        ),
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = frozenset(column.name for column in COLUMNS if column.required)
