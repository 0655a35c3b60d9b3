"""The time-to-employment and provider reports drawn: SVG charts and formatted figures, in the
active language. Only figures the tables show are drawn, so a chart reveals nothing they hide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from polku.evaluation.estimators.rates import Rate
from polku.evaluation.views.survival.provider_comparison import (
    AdjustedTable,
    ProviderLine,
    ProviderReport,
)
from polku.evaluation.views.survival.time_to_employment import (
    CurveLine,
    TimeToEmploymentReport,
    months_table,
)
from polku.ips.outcomes.formatting import percent
from polku.reports.charts import IntervalSeries, StepSeries, interval_chart, survival_chart


def months(value: float | None) -> str:
    """Months with one decimal in the active language ("4,5"), "–" for None."""
    return "–" if value is None else _decimal(value, 1)


def share_range(value: float | None, lower: float | None, upper: float | None) -> str:
    """ "35 % (20–52 %)" in the active language; "–" where not shown."""
    if value is None or lower is None or upper is None:
        return "–"
    return f"{percent(value)} ({percent(lower).rstrip('%').rstrip()}–{percent(upper)})"


def _decimal(value: float, decimals: int) -> str:
    """`value` rounded half up to `decimals` in the active language ("4,5"): Django's
    number_format cuts the digits off instead of rounding them."""
    exponent = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True)


def number(value: float | None, decimals: int = 2) -> str:
    return "–" if value is None else _decimal(value, decimals)


def _interval(rate: Rate | None) -> tuple[float, float, float] | None:
    return None if rate is None else (rate.rate, rate.lower, rate.upper)


def curves_chart(report: TimeToEmploymentReport) -> str:
    """The drawn Kaplan–Meier curves as share found work by months since entry; "" if none."""
    drawn = report.drawn
    if not drawn:
        return ""
    series = [
        StepSeries(
            str(line.label),
            [(p.months, p.share, p.lower, p.upper) for p in line.points],
        )
        for line in drawn
    ]
    return survival_chart(
        series,
        title=_("Share who found work by months since entry"),
        description=_(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "Kaplan–Meier estimate of the share of participants who had started a first job "
            "by each month since entry, with shaded 95 % confidence bands, one line per group. "
            "The table of months below the chart gives the same figures."
        ),
        x_label=_("Months since entry"),
        y_label=_("Share found work"),
        y_format=percent,
    )


def providers_chart(report: ProviderReport) -> str:
    """The rates by provider sector with their 95 % intervals, one dot per outcome; "" if
    no rate may be shown."""
    lines = [report.total, *report.by_sector]
    series = [
        IntervalSeries(
            str(label),
            [_interval(line.cells[index].rate) for line in lines],
        )
        for index, label in enumerate(report.outcome_labels)
    ]
    if all(value is None for item in series for value in item.values):
        return ""
    return interval_chart(
        [str(line.label) for line in lines],
        series,
        title=_("Outcome rates by provider sector"),
        description=_(
            # xgettext:no-python-format  (the "%" is a per cent sign)
            "Each outcome's rate for all participants and for each provider sector, as a dot "
            "with its 95 % Wilson interval as a bar. The table below gives the same figures."
        ),
        x_label=_("Share of participants"),
        x_format=percent,
    )


def median_text(line: CurveLine) -> str:
    """The median in months, "not reached" when the curve does not reach half, "–" when the
    group has no estimate."""
    if not line.estimated:
        return "–"
    return months(line.median) if line.median_reached else _("not reached")


def median_interval_text(line: CurveLine) -> str:
    if not line.estimated or not line.median_reached:
        return "–"
    lower = months(line.median_lower) if line.median_lower is not None else "–"
    upper = months(line.median_upper) if line.median_upper is not None else _("not reached")
    return f"{lower} – {upper}"


def p_value(value: float) -> str:
    """A p-value as a reader expects it: three decimals, "< 0.001" below that."""
    if value < 0.001:  # noqa: PLR2004 - the conventional floor of a printed p-value
        return "< " + _decimal(0.001, 3)
    return _decimal(value, 3)


@dataclass(frozen=True)
class CurveRow:
    label: str
    people: int
    estimated: bool
    jobs: str
    censored: str
    median: str
    median_interval: str
    shares: tuple[str, ...]


def curve_rows(report: TimeToEmploymentReport) -> list[CurveRow]:
    """The table beside the chart: the groups, then all participants."""
    lines = [*report.groups, report.total]
    return [
        CurveRow(
            label=str(line.label),
            people=line.people,
            estimated=line.estimated,
            jobs="–" if line.jobs is None else str(line.jobs),
            censored="–" if line.censored is None else str(line.censored),
            median=median_text(line),
            median_interval=median_interval_text(line),
            shares=tuple(share_range(s.value, s.lower, s.upper) for s in line.shares),
        )
        for line in lines
    ]


@dataclass(frozen=True)
class CoxRow:
    label: str
    hazard_ratio: str
    interval: str
    p_value: str


def cox_rows(report: TimeToEmploymentReport) -> list[CoxRow]:
    if report.cox is None:
        return []
    return [
        CoxRow(
            str(line.label),
            number(line.hazard_ratio),
            f"{number(line.lower)} – {number(line.upper)}",
            p_value(line.p_value),
        )
        for line in report.cox.lines
    ]


def month_rows(report: TimeToEmploymentReport) -> list[tuple[int, list[str]]]:
    return [
        (month, ["–" if share is None else percent(share) for share in shares])
        for month, shares in months_table(report)
    ]


@dataclass(frozen=True)
class ProviderRow:
    label: str
    people: str
    cells: tuple[tuple[str, str], ...]  # per outcome: (n with it recorded, rate and interval)


def provider_rows(lines: Sequence[ProviderLine]) -> list[ProviderRow]:
    return [
        ProviderRow(
            str(line.label),
            line.people,
            tuple(
                (
                    cell.people,
                    "–"
                    if cell.rate is None
                    else share_range(cell.rate.rate, cell.rate.lower, cell.rate.upper),
                )
                for cell in line.cells
            ),
        )
        for line in lines
    ]


@dataclass(frozen=True)
class AdjustedRow:
    label: str
    observed: str
    adjusted: str
    odds_ratio: str


def adjusted_rows(table: AdjustedTable) -> list[AdjustedRow]:
    rows = []
    for line in table.lines:
        if line.odds_ratio is None:
            odds = _("reference")
        else:
            odds = (
                f"{number(line.odds_ratio)} ({number(line.odds_ratio_lower)} – "
                f"{number(line.odds_ratio_upper)})"
            )
        rows.append(
            AdjustedRow(
                str(line.label),
                share_range(line.observed.rate, line.observed.lower, line.observed.upper),
                share_range(line.adjusted, line.adjusted_lower, line.adjusted_upper),
                odds,
            )
        )
    return rows
