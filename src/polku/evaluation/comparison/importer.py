"""Import of a comparison group from CSV: check every row, then write the group at once.

The file's columns and ranges are in `columns`; the checks in `reading`. Any error stops the
import: the report lists them as "Line N, column C: message" (the first MAX_ERRORS, then how
many more) and nothing is written. A dry run checks and previews (counts and the gender split)
without writing. A good file becomes one `ComparisonGroup` and its `ComparisonMember`s in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.clients.models import Programme
from polku.core import audit, disclosure
from polku.core.models import Membership
from polku.employers.importer.reading import RowError
from polku.evaluation.comparison import access, reading
from polku.evaluation.models import ComparisonGroup, ComparisonMember
from polku.ips.outcomes.selectors import GENDER_GROUPS

NAME_MAX = ComparisonGroup._meta.get_field("name").max_length or 200
SOURCE_MAX = ComparisonGroup._meta.get_field("source").max_length or 300
FILE_NAME_MAX = ComparisonGroup._meta.get_field("file_name").max_length or 200
BATCH = 2000


@dataclass
class ImportReport:
    """The outcome of an import: errors (then nothing was written) or what the file holds."""

    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0
    rows: int = 0
    genders: dict[str, int] = field(default_factory=dict)
    dry_run: bool = True
    written: bool = False
    group: ComparisonGroup | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def more_errors_line(self) -> str:
        """The line "…and N more errors", or "" when every error is listed."""
        if not self.more_errors:
            return ""
        return ngettext(
            "…and %(count)d more error.", "…and %(count)d more errors.", self.more_errors
        ) % {"count": self.more_errors}

    def gender_split(self) -> list[tuple[str, str]]:
        """(group name, count as it may be shown) per gender: counts of 1–4 as "<5", and more
        hidden where they could be worked out from the total (`core.disclosure`)."""
        shown, _total = disclosure.protect([self.genders.get(g, 0) for g, _label in GENDER_GROUPS])
        return [
            (str(label), count) for (_g, label), count in zip(GENDER_GROUPS, shown, strict=True)
        ]

    def lines(self) -> list[str]:
        """The report as text, one line each: the errors, or the rows and the gender split."""
        if self.errors:
            more = self.more_errors_line()
            return [str(error) for error in self.errors] + ([more] if more else [])
        split = ", ".join(f"{label} {count}" for label, count in self.gender_split())
        return [
            ngettext("%(count)d row.", "%(count)d rows.", self.rows) % {"count": self.rows},
            _("By gender: %(split)s.") % {"split": split},
        ]


def _checked_text(value: str, *, field_name: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field_name: _("This field is required.")})
    if len(text) > limit:
        message = _("At most %(count)d characters.") % {"count": limit}
        raise ValidationError({field_name: message})
    return text


@transaction.atomic
def comparison_group_import(
    *,
    actor: Membership | None,
    programme: Programme,
    name: str,
    source: str,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Check a comparison group file and, unless `dry_run` or it has errors, import it.

    Returns the report: with any error, the errors and nothing written; else the row count, the
    gender split and, when written, the new group. `actor` None is the operator at the command
    line. Raises PermissionDenied for a membership that may not evaluate the programme or is
    not of the organisation that runs it (`access`), and
    ValidationError (by field: name, source) for a missing name or source; nothing is written
    then either.
    """
    if actor is not None:
        access.require_programme(actor, programme.pk)
    name = _checked_text(name, field_name="name", limit=NAME_MAX)
    source = _checked_text(source, field_name="source", limit=SOURCE_MAX)
    checked = reading.check(data, today=today or timezone.localdate())
    report = ImportReport(
        errors=checked.errors,
        more_errors=checked.more_errors,
        rows=len(checked.rows),
        genders=dict(Counter(row.gender for row in checked.rows)),
        dry_run=dry_run,
    )
    if not report.ok or dry_run:
        return report
    group = ComparisonGroup(
        name=name,
        programme=programme,
        source=source,
        imported_by=actor.user if actor is not None else None,
        file_name=filename[-FILE_NAME_MAX:],
    )
    if actor is None:
        group.save()
    else:
        with audit.acting(actor):
            group.save()
    ComparisonMember.objects.bulk_create(
        (_member(group, row) for row in checked.rows), batch_size=BATCH
    )
    report.written, report.group = True, group
    return report


def _member(group: ComparisonGroup, row: reading.MemberRow) -> ComparisonMember:
    return ComparisonMember(
        group=group,
        row_id=row.row_id,
        reference_date=row.reference_date,
        gender=row.gender,
        age=row.age,
        months_unemployed=row.months_unemployed,
        isced_level=row.isced_level,
        months_employed_before=row.months_employed_before,
        months_employed_after=row.months_employed_after,
        employed_6m=row.employed_6m,
        employed_12m=row.employed_12m,
        days_to_job=row.days_to_job,
        days_followed=row.days_followed,
    )
