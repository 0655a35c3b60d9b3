"""Checking an import against the register and planning every change; writing them."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.core.models import Country, Membership, Organisation
from polku.employers.importer.columns import MAX_ERRORS, TABLE_LABELS
from polku.employers.importer.reading import Row, RowError, Source, read
from polku.employers.importer.values import COUNTRIES, RowValues, choice_names, text_of
from polku.employers.languages import split_codes
from polku.employers.models import (
    Employer,
    EmployerLocation,
    SizeClass,
    Vacancy,
    VacancyStatus,
    WorkingTime,
)
from polku.employers.services.register import (
    employer_prepare,
    employer_with_business_id,
    location_prepare,
    normalised_business_id,
)
from polku.employers.services.vacancies import vacancy_prepare

Action = Literal["created", "updated", "unchanged"]


@dataclass
class Change:
    """What importing one record would do (or did)."""

    table: str  # employers, workplaces or vacancies
    line: int
    label: str
    action: Action
    fields: list[tuple[str, str, str]]  # (column, old value, new value) of an update
    instance: Any = field(repr=False, compare=False, default=None)


@dataclass
class ImportReport:
    """The outcome of an import: errors (then nothing was written) or the changes."""

    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS, by line
    more_errors: int = 0  # and how many more there are
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False
    # The file and the changes it makes, as checked: a confirmation must match it.
    digest: str = ""
    # The register changed between the preview and the confirmation: nothing was written.
    stale: bool = False

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

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for change in self.changes:
            table = counts.setdefault(change.table, {"created": 0, "updated": 0, "unchanged": 0})
            table[change.action] += 1
        return counts

    def lines(self) -> list[str]:
        """The report as text, one line each: errors, or a summary per table."""
        if self.errors:
            more = self.more_errors_line()
            return [str(error) for error in self.errors] + ([more] if more else [])
        return [
            _("%(table)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged")
            % {"table": TABLE_LABELS.get(table, table), **count}
            for table, count in self.counts().items()
        ]


class Importer(RowValues):
    """Checks a Source against the register and plans every change; writes only in apply()."""

    def __init__(
        self, source: Source, *, actor: Membership | None, organisation: Organisation | None
    ) -> None:
        super().__init__(source)
        self.actor = actor
        self.organisation = organisation
        self.changes: list[Change] = []
        # Employers of this file, by (country, Business ID), with their workplaces.
        self.planned: dict[tuple[str, str], Employer] = {}
        self.new_workplaces: dict[Any, list[EmployerLocation]] = {}
        self.sizes = choice_names(SizeClass.choices)
        self.working_times = choice_names(WorkingTime.choices)
        self.statuses = choice_names(VacancyStatus.choices)
        self._names: dict[str, list[tuple[Any, bool]]] | None = None

    # Employers -------------------------------------------------------------------------------

    def employer_key(self, row: Row, country: str) -> tuple[str, str] | None:
        """(country, normalised Business ID) of the row, or None without an ID (or with a bad
        one, then reported)."""
        raw = self.given(row, "business_id")
        if raw is None:
            return None
        try:
            return country, normalised_business_id(country, raw)
        except ValidationError as error:
            for message in error.messages:
                self.error(row, "business_id", message)
            return None

    def find_employer(self, row: Row, key: tuple[str, str] | None, name: str) -> Employer | None:
        """The registered employer the row is about: by Business ID, else by name (a row with
        an ID matches a same-named employer only if that one has no ID yet)."""
        if key is not None:
            found = employer_with_business_id(*key)
            if found is not None:
                return Employer.objects.get(pk=found.pk)
        # Compared in Python: SQLite's iexact ignores the case of ASCII letters only.
        candidates = [
            pk
            for pk, has_id in self.employer_names().get(name.casefold(), [])
            if not (key and has_id)
        ]
        if len(candidates) > 1:
            self.error(
                row,
                "name",
                _("Several employers in the register are called %(name)s: give the Business ID.")
                % {"name": name[:100]},
            )
            return None
        return Employer.objects.get(pk=candidates[0]) if candidates else None

    def employer_names(self) -> dict[str, list[tuple[Any, bool]]]:
        """The register's employers by case-folded name: (id, has a Business ID), read once."""
        if self._names is None:
            self._names = {}
            rows = Employer.objects.order_by("pk").values_list("pk", "name", "business_id")
            for pk, name, business_id in rows:
                self._names.setdefault(name.casefold(), []).append((pk, bool(business_id)))
        return self._names

    def check_employers(self) -> None:
        sheet = self.source.sheets.get("employers")
        if sheet is None:
            return
        first_line: dict[Any, int] = {}
        columns = {
            "name": "name",
            "country": "country",
            "business_id": "business_id",
            "industry": "industry",
            "size_class": "size_class",
            "is_social_enterprise": "social_enterprise",
            "website": "website",
            "notes": "notes",
            "is_active": "active",
        }
        for row in sheet.rows:
            name = self.given(row, "name")
            country = self.choice(row, "country", COUNTRIES, "")
            key = self.employer_key(row, country or Country.FINLAND)
            if name is None:
                self.error(row, "name", _("Give a value."))
                continue
            identity = key or ("name", name.casefold())
            if identity in first_line:
                message = _("The same employer is on line %(line)d.") % {
                    "line": first_line[identity]
                }
                self.error(row, "business_id" if key else "name", message)
                continue
            first_line[identity] = row.line
            existing = self.find_employer(row, key, name)
            employer = existing or self.new_employer(row)
            before = self.employer_state(employer) if existing else {}
            industry = self.given(row, "industry")
            website = self.given(row, "website")
            if website and "://" not in website:
                website = f"https://{website}"
            values: dict[str, Any] = {
                "name": name,
                "country": key[0] if key else (country or employer.country),
                "business_id": key[1] if key else employer.business_id,
                "industry": industry.upper() if industry else employer.industry,
                "size_class": self.choice(row, "size_class", self.sizes, employer.size_class),
                "is_social_enterprise": self.boolean(
                    row, "social_enterprise", employer.is_social_enterprise
                ),
                "website": website or employer.website,
                "notes": self.given(row, "notes") or employer.notes,
                "is_active": self.boolean(row, "active", employer.is_active),
            }
            try:
                employer_prepare(employer, **values)
            except ValidationError as error:
                self.messages(row, error, columns)
                continue
            self.record(
                "employers",
                row,
                label=employer.name,
                obj=employer,
                before=before,
                after=self.employer_state(employer),
            )
            if employer.business_id:
                self.planned[(employer.country, employer.business_id)] = employer
            self.check_workplace(row, employer, is_new=existing is None)

    def new_employer(self, row: Row) -> Employer:
        employer = Employer(created_by=self.actor)
        if self.organisation is not None:
            employer.registered_by = self.organisation
        else:
            message = _(
                "A new employer needs the organisation that registers it: give --organisation."
            )
            self.error(row, "name", message)
        return employer

    def employer_state(self, employer: Employer) -> dict[str, str]:
        return {
            "name": employer.name,
            "country": employer.country,
            "business_id": employer.business_id,
            "industry": employer.industry,
            "size_class": employer.size_class,
            "social_enterprise": "yes" if employer.is_social_enterprise else "no",
            "website": employer.website,
            "notes": employer.notes,
            "active": "yes" if employer.is_active else "no",
        }

    def check_workplace(self, row: Row, employer: Employer, *, is_new: bool) -> None:
        municipality = self.given(row, "municipality")
        street = self.given(row, "street_address") or ""
        if municipality is None:
            if street or self.given(row, "postal_code") or self.given(row, "workplace_name"):
                self.error(row, "municipality", _("Give the workplace's municipality."))
            return
        existing = None
        if not is_new:
            existing = next(
                (
                    place
                    for place in EmployerLocation.objects.filter(employer=employer).order_by("pk")
                    if place.municipality.casefold() == municipality.casefold()
                    and (not street or place.street_address.casefold() == street.casefold())
                ),
                None,
            )
        location = existing or EmployerLocation(employer=employer)
        before = self.location_state(existing) if existing else {}
        try:
            location_prepare(
                location,
                country=employer.country,
                name=self.given(row, "workplace_name") or location.name,
                street_address=street or location.street_address,
                postal_code=self.given(row, "postal_code") or location.postal_code,
                municipality=municipality,
            )
        except ValidationError as error:
            self.messages(row, error, {"name": "workplace_name"})
            return
        label = f"{employer.name}: {location}"
        self.record(
            "workplaces",
            row,
            label=label,
            obj=location,
            before=before,
            after=self.location_state(location),
        )
        if existing is None:
            self.new_workplaces.setdefault(employer.pk, []).append(location)

    @staticmethod
    def location_state(location: EmployerLocation) -> dict[str, str]:
        return {
            "workplace_name": location.name,
            "street_address": location.street_address,
            "postal_code": location.postal_code,
            "municipality": location.municipality,
        }

    # Vacancies -------------------------------------------------------------------------------

    def vacancy_employer(self, row: Row) -> Employer | None:
        raw = self.given(row, "employer_business_id")
        if raw is None:
            self.error(row, "employer_business_id", _("Give a value."))
            return None
        key: tuple[str, str] | None = None
        first_error: ValidationError | None = None
        for country in (Country.FINLAND, Country.SWEDEN):
            try:
                key = (country, normalised_business_id(country, raw))
                break
            except ValidationError as error:
                first_error = first_error or error
        if key is None:
            assert first_error is not None
            for message in first_error.messages:
                self.error(row, "employer_business_id", message)
            return None
        employer = self.planned.get(key) or employer_with_business_id(*key)
        if employer is None:
            self.error(
                row,
                "employer_business_id",
                _("No employer with this Business ID in the register or in this file."),
            )
        return employer

    def workplace(self, row: Row, employer: Employer) -> EmployerLocation | Literal[False] | None:
        """The named workplace, None when none is named, False when it cannot be found."""
        municipality = self.given(row, "workplace_municipality")
        street = self.given(row, "workplace_address")
        if municipality is None:
            if street:
                self.error(row, "workplace_municipality", _("Give the workplace's municipality."))
                return False
            return None
        candidates = [
            *EmployerLocation.objects.filter(employer_id=employer.pk).order_by("pk"),
            *self.new_workplaces.get(employer.pk, []),
        ]
        found = [
            w
            for w in candidates
            if w.municipality.casefold() == municipality.casefold()
            and (street is None or w.street_address.casefold() == street.casefold())
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            self.error(
                row,
                "workplace_municipality",
                _(
                    "The employer has no such workplace. Add it on the employers sheet or in "
                    "the register first."
                ),
            )
        else:
            self.error(
                row,
                "workplace_address",
                _("The employer has several workplaces there: give the street address."),
            )
        return False

    def find_vacancy(
        self, row: Row, employer: Employer, title: str
    ) -> Vacancy | Literal[False] | None:
        raw_id = self.given(row, "id")
        if raw_id is not None:
            try:
                vacancy_id = uuid.UUID(raw_id)
            except ValueError:
                self.error(
                    row, "id", _("Not a vacancy id of Polku: %(value)s.") % {"value": raw_id[:60]}
                )
                return False
            vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
            if vacancy is None or vacancy.employer_id != employer.pk:
                self.error(row, "id", _("The employer has no vacancy with this id."))
                return False
            return vacancy
        same_title = [
            vacancy
            for vacancy in Vacancy.objects.filter(
                employer_id=employer.pk, status__in=[VacancyStatus.OPEN, VacancyStatus.DRAFT]
            ).order_by("pk")
            if vacancy.title.casefold() == title.casefold()
        ]
        if len(same_title) > 1:
            self.error(
                row,
                "title",
                _("The employer has several open vacancies with this title: give the id."),
            )
            return False
        return same_title[0] if same_title else None

    def check_vacancies(self) -> None:
        sheet = self.source.sheets.get("vacancies")
        if sheet is None:
            return
        first_line: dict[Any, int] = {}
        columns = {
            "title": "title",
            "isco_code": "isco_code",
            "description": "description",
            "requirements": "requirements",
            "languages": "languages",
            "working_time": "working_time",
            "hours_per_week": "hours_per_week",
            "location": "workplace_municipality",
            "positions": "positions",
            "start_date": "start_date",
            "deadline": "deadline",
            "status": "status",
            "adjustments": "adjustments",
        }
        for row in sheet.rows:
            employer = self.vacancy_employer(row)
            title = self.given(row, "title")
            if title is None:
                self.error(row, "title", _("Give a value."))
            if employer is None or title is None:
                continue
            identity = self.given(row, "id") or (employer.pk, title.casefold())
            if identity in first_line:
                self.error(
                    row,
                    "title",
                    _("The same vacancy is on line %(line)d.") % {"line": first_line[identity]},
                )
                continue
            first_line[identity] = row.line
            existing = self.find_vacancy(row, employer, title)
            workplace = self.workplace(row, employer)
            if existing is False or workplace is False:
                continue
            if existing is None:
                vacancy = Vacancy(created_by=self.actor)
                before: dict[str, str] = {}
                current_location = None
            else:
                vacancy = Vacancy.objects.select_related("location").get(pk=existing.pk)
                before = self.vacancy_state(vacancy)
                current_location = vacancy.location
            languages = self.given(row, "languages")
            values: dict[str, Any] = {
                "title": title,
                "isco_code": self.given(row, "isco_code") or vacancy.isco_code,
                "description": self.given(row, "description") or vacancy.description,
                "requirements": self.given(row, "requirements") or vacancy.requirements,
                "languages": split_codes(languages) if languages else list(vacancy.languages or []),
                "working_time": self.choice(
                    row,
                    "working_time",
                    self.working_times,
                    vacancy.working_time or WorkingTime.EITHER,
                ),
                "hours_per_week": self.decimal(row, "hours_per_week", vacancy.hours_per_week),
                "location": workplace if workplace is not None else current_location,
                "positions": self.integer(row, "positions", vacancy.positions or 1),
                "start_date": self.date(row, "start_date", vacancy.start_date),
                "deadline": self.date(row, "deadline", vacancy.deadline),
                "status": self.choice(
                    row, "status", self.statuses, vacancy.status or VacancyStatus.OPEN
                ),
                "adjustments": self.given(row, "adjustments") or vacancy.adjustments,
            }
            try:
                vacancy_prepare(vacancy, employer=employer, **values)
            except ValidationError as error:
                self.messages(row, error, columns)
                continue
            label = f"{employer.name}: {vacancy.title}"
            self.record(
                "vacancies",
                row,
                label=label,
                obj=vacancy,
                before=before,
                after=self.vacancy_state(vacancy),
            )

    @staticmethod
    def vacancy_state(vacancy: Vacancy) -> dict[str, str]:
        return {
            "title": vacancy.title,
            "isco_code": vacancy.isco_code,
            "description": vacancy.description,
            "requirements": vacancy.requirements,
            "languages": ", ".join(vacancy.languages or []),
            "working_time": vacancy.working_time,
            "hours_per_week": text_of(vacancy.hours_per_week),
            "workplace": str(vacancy.location) if vacancy.location else "",
            "positions": text_of(vacancy.positions),
            "start_date": text_of(vacancy.start_date),
            "deadline": text_of(vacancy.deadline),
            "status": vacancy.status,
            "adjustments": vacancy.adjustments,
        }

    # Plan ------------------------------------------------------------------------------------

    def record(
        self,
        table: str,
        row: Row,
        *,
        label: str,
        obj: Any,
        before: dict[str, str],
        after: dict[str, str],
    ) -> None:
        if not before:
            action: Action = "created"
            fields: list[tuple[str, str, str]] = []
        else:
            sheet_headers = self.source.sheets[row.table].headers
            fields = [
                (sheet_headers.get(name, name), before.get(name, ""), value)
                for name, value in after.items()
                if before.get(name, "") != value
            ]
            action = "updated" if fields else "unchanged"
        self.changes.append(Change(table, row.line, label, action, fields, obj))

    def check(self) -> ImportReport:
        self.check_employers()
        self.check_vacancies()
        errors = sorted(
            dict.fromkeys(self.errors),
            key=lambda e: (e.sheet, e.line or 0),
        )
        return ImportReport(
            errors=errors[:MAX_ERRORS],
            more_errors=max(len(errors) - MAX_ERRORS, 0) + self.more_errors,
            changes=[] if errors else self.changes,
        )

    def apply(self) -> None:
        """Write the planned changes: employers, then workplaces, then vacancies."""
        for table in ("employers", "workplaces", "vacancies"):
            for change in self.changes:
                if change.table == table and change.action != "unchanged":
                    change.instance.save()


def plan_digest(data: bytes, report: ImportReport) -> str:
    """A fingerprint of the file and of what importing it would change now."""
    digest = hashlib.sha256(data)
    for change in report.changes:
        digest.update(repr((change.table, change.line, change.action, change.fields)).encode())
    return digest.hexdigest()


def check(
    data: bytes,
    filename: str,
    *,
    actor: Membership | None,
    organisation: Organisation | None,
) -> tuple[Importer, ImportReport]:
    """Read and check a file; returns the importer (to apply) and its report."""
    importer = Importer(read(data, filename), actor=actor, organisation=organisation)
    report = importer.check()
    report.digest = plan_digest(data, report)
    return importer, report
