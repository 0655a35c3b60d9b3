"""A fidelity review as a report: an A4 PDF (WeasyPrint) and an XLSX workbook (openpyxl), in
Finnish, Swedish or English.

Both hold the review (its 25 items with suggestions, scores and evidence, the total and band),
the programme's reviews over time, and the indicators computed now from the review's period
with the figures they rest on. No personal data: the indicators are aggregates and the review
is about the service.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from polku.core import disclosure
from polku.ips.fidelity import indicators, published
from polku.ips.fidelity import selectors as fidelity_selectors
from polku.ips.fidelity.bands import THRESHOLDS, band_range
from polku.ips.fidelity.items import ITEMS, by_section
from polku.ips.fidelity.selectors import ReviewLine

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit on a sheet name.
SHEET_NAME_LENGTH = 31


def filename(line: ReviewLine, *, language: str, extension: str) -> str:
    """`fidelity-<programme code>-<review date>-<language>.<extension>`: names the programme
    (a slug) and the date, nothing about anyone."""
    review = line.review
    return f"fidelity-{review.programme.code}-{review.review_date:%Y-%m-%d}-{language}.{extension}"


def _context(line: ReviewLine) -> dict[str, Any]:
    """What both reports show, in the active language."""
    review = line.review
    rows = {row.item: row for row in review.scores.all()}
    # Exact figures, shown with disclosure control: counts of 1–4 people as "<5".
    computed = published.publish(
        indicators.compute(review.programme, review.period_start, review.period_end)
    )
    reviews = fidelity_selectors.reviews_of(review.programme)
    return {
        "line": line,
        "review": review,
        "sections": [
            (section, [(i, rows.get(i.number)) for i in items]) for section, items in by_section()
        ],
        "computed": computed,
        "computed_items": [(i, computed.for_item(i.number)) for i in ITEMS],
        "history": [r for r in reviews if r.is_completed and r.total is not None],
        "chart": fidelity_selectors.history_chart(reviews),
        "bands": [{"band": band, "range": band_range(band)} for _low, band in THRESHOLDS],
        "printed_at": timezone.localtime(),
        "threshold": disclosure.THRESHOLD,
    }


def review_pdf(line: ReviewLine, *, language: str) -> bytes:
    """The review as an A4 PDF in `language` (one of LANGUAGES)."""
    from polku.reports.pdf import render_pdf  # noqa: PLC0415 - loads WeasyPrint

    with translation.override(language):
        html = render_to_string("ips/fidelity_pdf.html", _context(line))
    return render_pdf(html)


def _text(sheet: Worksheet, row: int, column: int, value: Any, *, bold: bool = False) -> Cell:
    """Write a cell; text always as text, so evidence that starts with "=" is never a formula
    (formula injection) and a number stays a number. Control characters a workbook cannot hold
    are left out (the services refuse them; this is for text saved before they did)."""
    cell: Cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet_name(text: str) -> str:
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:SHEET_NAME_LENGTH]


def _review_sheet(sheet: Worksheet, context: dict[str, Any]) -> None:
    line: ReviewLine = context["line"]
    review = line.review
    facts = [
        (_("Programme"), str(review.programme.name)),
        (_("Date of the review"), review.review_date),
        (_("Period reviewed"), f"{review.period_start:%Y-%m-%d} – {review.period_end:%Y-%m-%d}"),
        (_("Reviewers"), review.reviewers),
        (_("Status"), str(review.get_status_display())),
    ]
    _text(sheet, 1, 1, _("IPS fidelity review"), bold=True)
    for offset, (label, value) in enumerate(facts, start=2):
        _text(sheet, offset, 1, label, bold=True)
        cell = _text(sheet, offset, 2, value)
        if offset == 3:  # noqa: PLR2004 - the review date's row
            cell.number_format = "yyyy-mm-dd"
    header = 2 + len(facts) + 1
    columns = [_("Item"), _("Section"), _("Title"), _("Suggested"), _("Score"), _("Evidence")]
    for column, title in enumerate(columns, start=1):
        _text(sheet, header, column, title, bold=True)
    row_number = header
    for section, rows in context["sections"]:
        for definition, row in rows:
            row_number += 1
            values = [
                definition.number,
                str(section.label),
                str(definition.title),
                row.suggested if row else None,
                row.score if row else None,
                row.evidence if row else "",
            ]
            for column, value in enumerate(values, start=1):
                _text(sheet, row_number, column, value)
            sheet.cell(row=row_number, column=6).alignment = Alignment(wrap_text=True)
    _text(sheet, row_number + 2, 1, _("Total (25–125)"), bold=True)
    _text(sheet, row_number + 2, 5, line.total)
    _text(sheet, row_number + 3, 1, _("Band"), bold=True)
    _text(sheet, row_number + 3, 5, str(line.band.label) if line.band else _("not all scored"))
    if review.notes:
        _text(sheet, row_number + 5, 1, _("Summary and recommendations"), bold=True)
        _text(sheet, row_number + 6, 1, review.notes)
    for letter, width in zip("ABCDEF", (8, 16, 48, 12, 10, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def _few_note(threshold: int) -> str:
    return _(
        "The suggestion rests on fewer than %(threshold)s cases, placements or referrals, so the "
        "figures behind it are not shown."
    ) % {"threshold": threshold}


def _indicator_sheet(sheet: Worksheet, context: dict[str, Any]) -> None:
    computed: published.ShownIndicators = context["computed"]
    threshold = context["threshold"]
    _text(
        sheet,
        1,
        1,
        _("Indicators computed from the data, %(start)s – %(end)s")
        % {"start": f"{computed.start:%Y-%m-%d}", "end": f"{computed.end:%Y-%m-%d}"},
        bold=True,
    )
    _text(
        sheet,
        2,
        1,
        _(
            'Counts of fewer than %(threshold)s people show "<%(threshold)s"; a share, mean or '
            'median that rests on fewer than %(threshold)s is not shown ("–").'
        )
        % {"threshold": threshold},
    )
    columns = [
        _("Item"),
        _("Title"),
        _("Figure"),
        _("Value"),
        _("Suggested"),
        _("How computed"),
        _("Note"),
    ]
    for column, title in enumerate(columns, start=1):
        _text(sheet, 3, column, title, bold=True)
    row_number = 3
    for definition, indicator in context["computed_items"]:
        if indicator is None:
            continue
        source = indicator.indicator.suggesting_value()
        for measure in (*indicator.values, *indicator.counts):
            row_number += 1
            notes = []
            if measure.hidden:
                notes.append(_("fewer than %(threshold)s") % {"threshold": threshold})
            if indicator.rests_on_few and measure.measure is source:
                notes.append(_few_note(threshold))
            cell_values = [
                definition.number,
                str(definition.title),
                str(measure.label),
                measure.display() if measure.suppressed else measure.value,
                indicator.suggested if indicator.suggests else None,
                str(indicator.how),
                "; ".join(notes) or None,
            ]
            for column, value in enumerate(cell_values, start=1):
                _text(sheet, row_number, column, value)
            if measure.unit == indicators.Unit.SHARE:
                sheet.cell(row=row_number, column=4).number_format = "0.0%"
            elif measure.unit != indicators.Unit.COUNT:
                sheet.cell(row=row_number, column=4).number_format = "0.0"
    for letter, width in zip("ABCDEFG", (8, 40, 56, 10, 12, 80, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def review_xlsx(line: ReviewLine, *, language: str) -> bytes:
    """The review as a workbook in `language`: the first sheet holds the items (item, section,
    title, suggested, score, evidence) with the total and band, the second the computed
    indicators with the counts they rest on, as `published` shows them ("<5", "–")."""
    with translation.override(language):
        context = _context(line)
        workbook = Workbook()
        first = workbook.active
        assert first is not None
        first.title = _sheet_name(_("Review"))
        _review_sheet(first, context)
        second = workbook.create_sheet(_sheet_name(_("Indicators")))
        _indicator_sheet(second, context)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
