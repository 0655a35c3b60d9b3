"""The outcomes report drawn: the employment-rate chart (page and PDF) and the A4 PDF.

WeasyPrint is imported only when a PDF is made (`polku.reports.pdf`'s note).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.clients.models import Language
from polku.core import disclosure
from polku.ips.outcomes import calculations, formatting
from polku.ips.outcomes.selectors import (
    MILESTONES,
    NOT_SHOWN,
    GroupLine,
    MonthLine,
    OutcomesReport,
)
from polku.reports.charts import Series, line_chart

PDF_LANGUAGES = (Language.FINNISH, Language.SWEDISH, Language.ENGLISH)


def rate_chart(report: OutcomesReport) -> str:
    """The competitive employment rate by month since entry, for all cases and each gender
    shown, as inline SVG; "" when no month has a share that may be shown. Only shares the
    tables show are drawn, so the chart reveals nothing the tables hide."""
    series = []
    for line in (report.total, *report.by_gender):
        points = [
            (m.month, m.competitive.share) for m in line.months if m.competitive.share is not None
        ]
        if points:
            series.append(Series(str(line.label), points))
    if not series:
        return ""
    return line_chart(
        series,
        title=_("Competitive employment rate by months since entry"),
        description=_(
            "The share of cases that had started a competitive job by each month since entry, "
            "among the cases followed up that long, for all cases and by gender. The same "
            "figures are in the table below the chart."
        ),
        x_label=_("Months since entry"),
        y_label=_("Share of cases"),
        y_limits=(0, 1),
        percent=True,
        y_format=formatting.percent,  # "20 %" in Finnish and Swedish, "20%" in English
    )


def followed_months(report: OutcomesReport) -> list[MonthLine]:
    """The months since entry that some case has been followed up for: the table leaves out
    the later months that no case has reached yet, rather than printing "0 / 0" in them."""
    return [month for month in report.total.months if month.followed != "0"]


def context(report: OutcomesReport) -> dict[str, Any]:
    """What the page and the PDF templates need besides the report itself."""
    # A column for each gender with cases; none when the cohort is too small to split.
    gender_lines = [line for line in report.by_gender if line.cases not in ("0", NOT_SHOWN)]
    months = followed_months(report)
    # Months 6, 12 and 18 as columns of the breakdowns, those some case has reached.
    milestones = [m for m in MILESTONES if m <= len(months)]

    def rows(lines: Sequence[GroupLine]) -> list[tuple[GroupLine, list[MonthLine]]]:
        return [(line, [line.month(m) for m in milestones]) for line in lines]

    return {
        "report": report,
        "chart": rate_chart(report),
        "threshold": disclosure.THRESHOLD,
        "follow_up_months": calculations.FOLLOW_UP_MONTHS,
        "milestone_weeks": calculations.TENURE_MILESTONE_DAYS // calculations.DAYS_PER_WEEK,
        "gender_lines": gender_lines,
        # Month by month: all cases, then each gender with cases (the columns of the table).
        "month_rows": [
            (month, [line.month(month.month) for line in gender_lines]) for month in months
        ],
        "milestones": milestones,
        # The summary's rate: the longest of months 6, 12 and 18 that some case has reached.
        "headline_month": report.total.month(milestones[-1]) if milestones else None,
        "gender_rows": rows(report.by_gender),
        "age_rows": rows(report.by_age_band),
        "total_row": rows((report.total,))[0],
    }


def filename(report: OutcomesReport, *, language: str) -> str:
    """A file name without personal data: the programme's code, the month follow-up ends and
    the language, as `ips-outcomes-<code>-<YYYY-MM>-<language>.pdf`."""
    return f"ips-outcomes-{report.programme.code}-{report.today:%Y-%m}-{language}.pdf"


def outcomes_pdf(report: OutcomesReport, *, language: str) -> bytes:
    """The report as an A4 PDF in `language` (fi, sv or en), with the chart."""
    from polku.reports.pdf import render_pdf  # noqa: PLC0415 - loads WeasyPrint

    with translation.override(language):
        html = render_to_string(
            "ips/outcomes_pdf.html", {**context(report), "printed_at": timezone.localtime()}
        )
    return render_pdf(html)
