"""The ESF+ indicator report as files for the managing authority: an XLSX workbook (openpyxl) and
an A4 PDF (WeasyPrint), in Finnish, Swedish or English.

Both carry the programme, the period, when and by which organisation the report was made, the
note that it holds exact counts (docs/decisions/0008-esf-report-counts.md), the indicator tables
by gender, the data-quality lines, and every figure's definition as an appendix.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from polku.clients.models import Language
from polku.core.disclosure import THRESHOLD
from polku.evaluation.definitions import Section as DefinitionSection
from polku.evaluation.definitions import esf as esf_definitions
from polku.evaluation.definitions import sections
from polku.evaluation.esf.selectors import EsfReport, Line

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LANGUAGES = (Language.FINNISH, Language.SWEDISH, Language.ENGLISH)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_LENGTH = 31  # Excel's limit

# The regulation's three genders, and "not disclosed" reported as its own column.
GENDER_COLUMNS: tuple[StrOrPromise, ...] = (
    gettext_lazy("Women"),
    gettext_lazy("Men"),
    gettext_lazy("Non-binary"),
    gettext_lazy("Not disclosed"),
)


def period_text(report: EsfReport) -> str:
    """The period in the active language, e.g. "2025-01 – 2025-06"."""
    start = str(report.period_from) if report.period_from else _("from the start")
    end = str(report.period_to) if report.period_to else _("to date")
    return f"{start} – {end}"


def exact_counts_note(report: EsfReport) -> str:
    """What the report is for, and, when it holds counts of 1–4 people, that it must not be
    published as it is."""
    note = _(
        "Exact counts for the managing authority: nothing is suppressed, so that the figures "
        "can be added up across programmes."
    )
    if report.has_small_counts:
        note += " " + _(
            "This report contains counts under %(threshold)s people. It must not be published "
            "as such: suppress the small counts first, or publish totals only."
        ) % {"threshold": THRESHOLD}
    return note


def definition_sections() -> list[DefinitionSection]:
    """The ESF+ definitions first; the other areas' sections follow on the definitions page."""
    return [s for s in sections() if s.key == esf_definitions.SECTION_KEY]


def context(report: EsfReport) -> dict[str, Any]:
    """What the page and the PDF show besides the report itself, in the active language."""
    return {
        "report": report,
        "gender_columns": GENDER_COLUMNS,
        "period": period_text(report),
        "generated_at": timezone.localtime(report.generated_at),
        "exact_counts_note": exact_counts_note(report),
        "period_notes": esf_definitions.NOTES,
    }


def filename(report: EsfReport, *, language: str, extension: str) -> str:
    """`esf-<programme code>-<from>-<to>-<language>.<extension>`: no personal data."""
    start = str(report.period_from) if report.period_from else "start"
    end = str(report.period_to) if report.period_to else "now"
    return f"esf-{report.programme.code}-{start}-{end}-{language}.{extension}"


def esf_pdf(report: EsfReport, *, language: str) -> bytes:
    """The report as an A4 PDF in `language`, with the definitions as an appendix."""
    from polku.reports.pdf import render_pdf  # noqa: PLC0415 - loads WeasyPrint

    with translation.override(language):
        html = render_to_string(
            "evaluation/esf/report_pdf.html",
            {**context(report), "definition_sections": definition_sections()},
        )
    return render_pdf(html)


def _cell(sheet: Worksheet, row: int, column: int, value: Any, *, bold: bool = False) -> Cell:
    """Write a cell: text always as text, so a name starting with "=" is never a formula
    (formula injection), and without the control characters a workbook cannot hold."""
    cell: Cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    return cell


def _row(sheet: Worksheet, row: int, values: list[Any], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        _cell(sheet, row, column, value, bold=bold)


def _line_values(line: Line) -> list[Any]:
    if not line.collected:
        return [line.code, str(line.label), None, None, None, None, None, _("not collected")]
    cells: list[Any] = list(line.counts.cells) if line.counts is not None else [None] * 4
    return [line.code, str(line.label), *cells, line.total, str(line.note) or None]


def _indicator_sheet(sheet: Worksheet, report: EsfReport) -> None:
    facts = [
        (_("Programme"), f"{report.programme.name} ({report.programme.code})"),
        (_("Period"), period_text(report)),
        (
            _("Generated at"),
            formats.date_format(timezone.localtime(report.generated_at), "DATETIME_FORMAT"),
        ),
        (_("Generated by"), report.organisation),
        (_("Note"), exact_counts_note(report)),
    ]
    _cell(sheet, 1, 1, _("ESF+ indicator report"), bold=True)
    for row, (label, value) in enumerate(facts, start=2):
        _cell(sheet, row, 1, label, bold=True)
        _cell(sheet, row, 2, value)
    header = [
        _("Code"),
        _("Indicator"),
        *(str(c) for c in GENDER_COLUMNS),
        _("Total"),
        _("Note"),
    ]
    row = 2 + len(facts) + 1
    for section in report.sections:
        _cell(sheet, row, 1, str(section.title), bold=True)
        _row(sheet, row + 1, header, bold=True)
        row += 2
        for line in section.lines:
            _row(sheet, row, _line_values(line))
            row += 1
        _cell(sheet, row, 2, _("Data quality and bases"), bold=True)
        row += 1
        for line in section.quality:
            _row(sheet, row, _line_values(line))
            row += 1
        row += 1
    for letter, width in zip("ABCDEFGH", (9, 70, 9, 9, 11, 13, 9, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def _definitions_sheet(sheet: Worksheet) -> None:
    _cell(sheet, 1, 1, _("Definitions"), bold=True)
    row = 2
    for note in esf_definitions.NOTES:
        _cell(sheet, row, 1, str(note))
        row += 1
    row += 1
    _row(
        sheet,
        row,
        [_("Key"), _("Figure"), _("What it counts"), _("Records"), _("Source")],
        bold=True,
    )
    for section in definition_sections():
        for definition in section.definitions:
            row += 1
            values = [
                definition.key,
                str(definition.title),
                str(definition.text),
                str(definition.records),
                str(definition.source),
            ]
            _row(sheet, row, values)
            for column in (2, 3, 4, 5):
                sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDE", (30, 40, 70, 70, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _sheet_name(text: str) -> str:
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:SHEET_NAME_LENGTH]


def esf_xlsx(report: EsfReport, *, language: str) -> bytes:
    """The report as a workbook in `language`: the indicators on the first sheet, the
    definitions on the second."""
    with translation.override(language):
        workbook = Workbook()
        first = workbook.active
        assert first is not None
        first.title = _sheet_name(_("ESF+ indicators"))
        _indicator_sheet(first, report)
        _definitions_sheet(workbook.create_sheet(_sheet_name(_("Definitions"))))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
