"""The ESF+ indicator report of one programme and period, as the managing authority receives it.

Exact counts, by gender (women, men, non-binary, not disclosed) and in total, in the layout of
Annex I: output indicators at entry, immediate results upon leaving, longer-term results six
months after leaving, and the entities supported. Beside each section, the data-quality lines
the programme manager needs to complete the records (entry data missing, situation at exit not
recorded, sensitive characteristics declined, ...).

Why exact counts and not "<5": the managing authority needs them (EURA 2021 accepts no
suppressed cells) and adds the programmes up; the report says plainly that it holds counts under
five and must not be published as such (docs/decisions/0008-esf-report-counts.md).

Who may make it: the programme managers and evaluators (`cohort.can_evaluate`) of the
organisation responsible for the programme (`can_report`), which holds these people's records
anyway; no one else, as exact counts of a handful of people by gender, disability or minority
could single them out. The period is a reporting period, at least six whole months or the
programme's whole run (`forms.period_error`); two overlapping periods can still be differenced,
which is why the report stays with that organisation. Aggregates, so nothing is written to the
read-access log. Three queries, whatever the number of participants (`queries`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.core.disclosure import THRESHOLD
from polku.core.models import Membership
from polku.evaluation.cohort import can_evaluate
from polku.evaluation.esf import queries
from polku.evaluation.esf.indicators import INDICATORS, Group, Indicator, in_group
from polku.evaluation.esf.queries import Counts
from polku.ips.outcomes.periods import Month

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Line:
    """One row of the report: an indicator (`code` set) or a data-quality or base line.

    `key` is the line's definition on the definitions page. People are counted by gender
    (`counts`); entities have a `total` only. Neither for an indicator not collected.
    """

    key: str
    group: Group
    code: str
    label: StrOrPromise
    counts: Counts | None = None
    entities: int | None = None
    collected: bool = True
    note: StrOrPromise = ""

    @property
    def total(self) -> int | None:
        if self.counts is not None:
            return self.counts.total
        return self.entities


@dataclass(frozen=True)
class Section:
    group: Group
    lines: tuple[Line, ...]
    quality: tuple[Line, ...]  # data-quality and base lines, shown under the indicators

    @property
    def title(self) -> StrOrPromise:
        return self.group.label

    @property
    def counts_people(self) -> bool:
        return self.group != Group.ENTITIES


@dataclass(frozen=True)
class EsfReport:
    programme: Programme
    period_from: Month | None  # None: from the programme's start
    period_to: Month | None  # None: up to now
    generated_at: dt.datetime
    organisation: str  # the organisation of the membership that produced the report
    sections: tuple[Section, ...]

    @property
    def has_small_counts(self) -> bool:
        """Whether some count of people is 1–4: the report must then not be published as it is."""
        return any(
            0 < cell < THRESHOLD
            for section in self.sections
            for line in (*section.lines, *section.quality)
            if line.counts is not None
            for cell in (*line.counts.cells, line.counts.total)
        )

    def line(self, key: str) -> Line:
        for section in self.sections:
            for line in (*section.lines, *section.quality):
                if line.key == key:
                    return line
        raise KeyError(key)

    @property
    def indicators(self) -> tuple[Line, ...]:
        return tuple(line for section in self.sections for line in section.lines)

    @property
    def quality_lines(self) -> tuple[Line, ...]:
        return tuple(line for section in self.sections for line in section.quality)


# Data-quality and base lines: (definition key, counts key in `queries`, label).
OUTPUT_QUALITY: tuple[tuple[str, str, StrOrPromise], ...] = (
    (
        "esf-entry-data-missing",
        "entry_data_missing",
        _("Entry data missing: counted in EECO01 and the age groups only; please complete"),
    ),
    ("esf-isced-unknown", "isced_unknown", _("Level of education not recorded")),
    (
        "esf-months-unemployed-missing",
        "months_unemployed_missing",
        _("Unemployed, length of unemployment not recorded (EECO03 cannot be decided)"),
    ),
    ("esf-rural-unknown", "rural_unknown", _("Whether living in a rural area not recorded")),
    (
        "esf-sensitive-not-asked",
        "sensitive_not_asked",
        _("No consent to give sensitive characteristics (EECO12–16 not asked)"),
    ),
    ("esf-declined-disability", "declined_disability", _("Did not want to say: disability")),
    (
        "esf-declined-third-country-national",
        "declined_third_country_national",
        _("Did not want to say: third-country national"),
    ),
    (
        "esf-declined-foreign-background",
        "declined_foreign_background",
        _("Did not want to say: foreign background"),
    ),
    ("esf-declined-minority", "declined_minority", _("Did not want to say: minority")),
    (
        "esf-declined-homeless",
        "declined_homeless",
        _("Did not want to say: homelessness or housing exclusion"),
    ),
)
IMMEDIATE_QUALITY: tuple[tuple[str, str, StrOrPromise], ...] = (
    ("esf-leavers", "leavers", _("Participants who left in the period")),
    ("esf-exit-not-recorded", "exit_not_recorded", _("Situation upon leaving not recorded")),
)
LONGER_TERM_QUALITY: tuple[tuple[str, str, StrOrPromise], ...] = (
    (
        "esf-employed-at-entry",
        "employed_at_entry",
        _("Of those who left, employed at entry (the participants EECR06 applies to)"),
    ),
    (
        "esf-month-6-not-recorded",
        "month_6_not_recorded",
        _("Situation six months after leaving not recorded (including follow-ups not yet due)"),
    ),
)


def can_report(viewer: Membership, programme: Programme) -> bool:
    """Programme managers and evaluators of the organisation responsible for `programme`."""
    return can_evaluate(viewer) and programme.organisation_id == viewer.organisation_id


def esf_programmes(viewer: Membership) -> QuerySet[Programme]:
    """The programmes the viewer may make the report of (`can_report`)."""
    if not can_evaluate(viewer):
        return Programme.objects.none()
    return Programme.objects.filter(organisation_id=viewer.organisation_id).order_by("name")


def refused_programme(viewer: Membership, code: str | None) -> bool:
    """Whether `code` names a programme the viewer may not make the report of: the page, the
    files and the API answer 403 for it rather than "no such choice"."""
    if not code:
        return False
    programme = Programme.objects.filter(code=code).first()
    return programme is not None and not can_report(viewer, programme)


def default_period(programme: Programme) -> tuple[Month | None, Month | None]:
    """The programme's whole run in months; an open end where its dates are not set."""
    start = Month.of(programme.start_date) if programme.start_date else None
    end = Month.of(programme.end_date) if programme.end_date else None
    return start, end


def _people_section(
    group: Group,
    counts: dict[str, Counts],
    quality: tuple[tuple[str, str, StrOrPromise], ...],
) -> Section:
    return Section(
        group=group,
        lines=tuple(
            Line(key=i.code, group=group, code=i.code, label=i.name, counts=counts[i.code])
            for i in in_group(group)
        ),
        quality=tuple(
            Line(key=key, group=group, code="", label=label, counts=counts[name])
            for key, name, label in quality
        ),
    )


def _entity_line(indicator: Indicator, entities: queries.EntityCounts) -> Line:
    if not indicator.collected:
        return Line(
            key=indicator.code,
            group=Group.ENTITIES,
            code=indicator.code,
            label=indicator.name,
            collected=False,
            note=indicator.note,
        )
    return Line(
        key=indicator.code,
        group=Group.ENTITIES,
        code=indicator.code,
        label=indicator.name,
        entities=entities.small_and_medium,
        note=indicator.note,
    )


def _entities_section(entities: queries.EntityCounts) -> Section:
    return Section(
        group=Group.ENTITIES,
        lines=tuple(_entity_line(i, entities) for i in in_group(Group.ENTITIES)),
        quality=(
            Line(
                key="esf-employers-supported",
                group=Group.ENTITIES,
                code="",
                label=_("Employers with an employer service in force in the period"),
                entities=entities.employers_supported,
            ),
            Line(
                key="esf-employer-size-unknown",
                group=Group.ENTITIES,
                code="",
                label=_("Of them, size class not recorded in the employer register"),
                entities=entities.size_unknown,
            ),
        ),
    )


def esf_report(
    viewer: Membership,
    *,
    programme: Programme,
    period_from: Month | None = None,
    period_to: Month | None = None,
    now: dt.datetime | None = None,
) -> EsfReport:
    """The ESF+ indicators of `programme` for the months `period_from`–`period_to` (both
    included; open-ended where None).

    Output indicators count the participants whose first entry is in the period; the result
    indicators those whose final exit is. Raises PermissionDenied unless `can_report` (programme
    managers and evaluators of the programme's organisation). Reads aggregates only and writes
    nothing.
    """
    if not can_report(viewer, programme):
        raise PermissionDenied
    first_day = period_from.first_day if period_from else None
    last_day = period_to.last_day if period_to else None
    participants = queries.participant_counts(programme, first_day, last_day)
    leavers = queries.leaver_counts(programme, first_day, last_day)
    entities = queries.entity_counts(programme, first_day, last_day)
    return EsfReport(
        programme=programme,
        period_from=period_from,
        period_to=period_to,
        generated_at=now or timezone.now(),
        organisation=str(viewer.organisation.name),
        sections=(
            _people_section(Group.OUTPUT, participants, OUTPUT_QUALITY),
            _people_section(Group.IMMEDIATE, leavers, IMMEDIATE_QUALITY),
            _people_section(Group.LONGER_TERM, leavers, LONGER_TERM_QUALITY),
            _entities_section(entities),
        ),
    )


__all__ = [
    "INDICATORS",
    "EsfReport",
    "Line",
    "Section",
    "can_report",
    "default_period",
    "esf_programmes",
    "esf_report",
    "refused_programme",
]
