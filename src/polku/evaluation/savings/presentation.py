"""The savings report as the page shows it: amounts in the user's locale, the chart, the
projection, and the assumptions behind every figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.core import disclosure
from polku.evaluation.savings import calculator, rules
from polku.evaluation.savings.calculator import Projection
from polku.evaluation.savings.selectors import SavingsReport
from polku.reports import charts

NO_BREAK_SPACE = "\u00a0"
SYMBOLS = {"EUR": "€", "SEK": "kr"}


def money(amount: Decimal | None, currency: str = "EUR") -> str:
    """Whole units in the active language: "1 008 019 €" in Finnish, "€1,008,019" in English."""
    if amount is None:
        return "–"
    number = formats.number_format(
        amount.quantize(Decimal(1), rounding=ROUND_HALF_UP), 0, use_l10n=True, force_grouping=True
    )
    symbol = SYMBOLS.get(currency, currency)
    language = (translation.get_language() or "en").split("-")[0]
    if language == "en" and currency == "EUR":
        return f"€{number}"
    return f"{number}{NO_BREAK_SPACE}{symbol}"


def left_out(report: SavingsReport) -> str:
    """The sentence on the participants left out for want of days on subsidy at entry, their
    number as it may be published ("<5" said in words); "" when none is."""
    shown = report.without_days_shown
    if shown == disclosure.SMALL:
        return _(
            "Fewer than %(threshold)s participants have no days on labour market subsidy "
            "recorded at entry and are left out of the calculation."
        ) % {"threshold": disclosure.THRESHOLD}
    if not shown.isdigit() or int(shown) == 0:
        return ""
    count = int(shown)
    return ngettext(
        "%(count)s participant has no days on labour market subsidy recorded at entry and is "
        "left out of the calculation.",
        "%(count)s participants have no days on labour market subsidy recorded at entry and are "
        "left out of the calculation.",
        count,
    ) % {"count": count}


@dataclass(frozen=True)
class Row:
    month: str
    people: str
    municipal: str
    state: str
    total: str
    cost: str


def rows(report: SavingsReport) -> list[Row]:
    currency = report.rule_set.currency
    return [
        Row(
            month=str(row.month),
            people=row.people,
            municipal=money(row.saving.municipal if row.saving else None, currency),
            state=money(row.saving.state if row.saving else None, currency),
            total=money(row.saving.total if row.saving else None, currency),
            cost=money(row.cost),
        )
        for row in report.months
    ]


def chart(report: SavingsReport) -> str:
    """Bars of the municipal savings by month (hidden months left out); the table beside it
    holds the same numbers."""
    values = {str(r.month): float(r.saving.municipal) for r in report.months if r.saving}
    return charts.bar_chart(
        values,
        title=_("Savings to the municipality by month"),
        description=_(
            "Savings to the municipality in each month, from the first month of entry to the "
            "report date. The table below gives the same figures."
        ),
        x_label=_("Month"),
        y_label=report.rule_set.currency,
    )


def projection(report: SavingsReport, data: dict[str, Any], on: dt.date) -> Projection | None:
    """The projection with the inputs given, the programme's own figures for those left empty;
    None when neither gives a value (too few people to show the programme's own)."""
    observed = report.observed
    participants = data.get("participants")
    rate = data.get("employment_rate")
    months = data.get("months_in_work")
    days = data.get("days_at_entry")
    if participants is None:
        return None
    rate = rate / 100 if rate is not None else (observed.employment_rate if observed else None)
    months = months if months is not None else (observed.months_in_work if observed else None)
    days = days if days is not None else (observed.days_at_entry if observed else None)
    if rate is None or months is None or days is None:
        return None
    return calculator.project(
        rules.rules_of(report.rule_set),
        participants=participants,
        employment_rate=Decimal(rate),
        months_in_work=Decimal(months),
        days_at_entry=days,
        on=on,
    )
