"""The computed indicators as they may be shown: on the programme page, in the API and in the
PDF and XLSX reports, to everyone in `roles.IPS_PROGRAMME_ROLES`.

`indicators.compute` keeps its figures exact; this applies statistical disclosure control
(`polku.core.disclosure`) over them:

- a count of people — clients, cases, placements, referrals (`Measure.people`) — of 1–4 is
  shown as "<5" (zeros are shown: they reveal no one);
- a share, mean or median is not shown ("–", "fewer than 5") when a count it rests on
  (`Measure.basis`: its numerator and denominator) is 1–4, and neither is a count bounded by
  such a count (the distinct employers among the placements);
- counts of staff (specialists), minutes of their time and employer contacts are not about
  clients and are shown as they are;
- the suggested score stays (a score 1–5 of a programme is not a count of people), but when
  the figure it is made from is not shown, `rests_on_few` says it rests on fewer than five.

The periods are whole months (`services.period_errors`), so two periods never differ by a few
days and a single client cannot be worked out by subtracting one from the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise

from polku.clients.models import Programme
from polku.core import disclosure
from polku.ips.fidelity.indicators import FidelityIndicators, Indicator, Measure, Unit

THRESHOLD = disclosure.THRESHOLD


def is_small(value: float | None) -> bool:
    """Whether a count is one that is not shown: 1–4."""
    return value is not None and 0 < value < THRESHOLD


@dataclass(frozen=True)
class ShownMeasure:
    """A figure as it may be shown: `suppressed` when disclosure control withholds it."""

    measure: Measure
    suppressed: bool

    @property
    def key(self) -> str:
        return self.measure.key

    @property
    def label(self) -> str | Promise:
        return self.measure.label

    @property
    def unit(self) -> Unit:
        return self.measure.unit

    @property
    def value(self) -> float | None:
        """The exact value when shown; None when withheld or there is nothing to divide by."""
        return None if self.suppressed else self.measure.value

    @property
    def small(self) -> bool:
        """A count of 1–4 people, shown as "<5"."""
        return self.suppressed and self.measure.people and is_small(self.measure.value)

    @property
    def hidden(self) -> bool:
        """A figure not shown at all ("–") because it rests on fewer than five."""
        return self.suppressed and not self.small

    def display(self) -> str:
        """The value as text in the current language: "83 %", "12", "<5", "–"."""
        if self.small:
            return disclosure.SMALL
        if self.suppressed:
            return disclosure.NOT_SHOWN
        return self.measure.display()


@dataclass(frozen=True)
class ShownIndicator:
    """An indicator with its figures as they may be shown."""

    indicator: Indicator
    values: tuple[ShownMeasure, ...]
    counts: tuple[ShownMeasure, ...]

    @property
    def item(self) -> int:
        return self.indicator.item

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def suggested(self) -> int | None:
        return self.indicator.suggested

    @property
    def suggests(self) -> bool:
        return self.indicator.suggests

    @property
    def how(self) -> str | Promise:
        return self.indicator.how

    @property
    def notes(self) -> tuple[str, ...]:
        return self.indicator.notes

    @property
    def rests_on_few(self) -> bool:
        """A suggestion is made, but from a figure resting on fewer than five (not shown)."""
        if not self.suggests or self.suggested is None:
            return False
        source = self.indicator.suggesting_value()
        return source is not None and any(v.suppressed and v.key == source.key for v in self.values)


@dataclass(frozen=True)
class ShownIndicators:
    """Every indicator of a programme over a period as it may be shown; `cases` and
    `placements` as text ("12", "<5"), `specialists` as it is."""

    result: FidelityIndicators
    indicators: tuple[ShownIndicator, ...]

    @property
    def programme(self) -> Programme:
        return self.result.programme

    @property
    def start(self) -> dt.date:
        return self.result.start

    @property
    def end(self) -> dt.date:
        return self.result.end

    @property
    def specialists(self) -> int:
        return self.result.specialists

    @property
    def cases(self) -> str:
        return disclosure.protect([], self.result.cases)[1]

    @property
    def placements(self) -> str:
        return disclosure.protect([], self.result.placements)[1]

    @property
    def cases_suppressed(self) -> bool:
        return is_small(self.result.cases)

    @property
    def placements_suppressed(self) -> bool:
        return is_small(self.result.placements)

    @property
    def cases_value(self) -> int | None:
        return None if self.cases_suppressed else self.result.cases

    @property
    def placements_value(self) -> int | None:
        return None if self.placements_suppressed else self.result.placements

    def for_item(self, number: int) -> ShownIndicator | None:
        return next((i for i in self.indicators if i.item == number), None)


def _shown(indicator: Indicator) -> ShownIndicator:
    small = {m.key for m in indicator.counts if m.people and is_small(m.value)}

    def shown(measure: Measure) -> ShownMeasure:
        unknown = set(measure.basis) - {m.key for m in indicator.counts}
        if unknown:  # a programming error: deny rather than show
            msg = f"item {indicator.item}: {measure.key} rests on unknown counts {unknown}"
            raise ValueError(msg)
        suppressed = (measure.people and is_small(measure.value)) or bool(
            small.intersection(measure.basis)
        )
        return ShownMeasure(measure, suppressed)

    return ShownIndicator(
        indicator=indicator,
        values=tuple(shown(m) for m in indicator.values),
        counts=tuple(shown(m) for m in indicator.counts),
    )


def publish(result: FidelityIndicators) -> ShownIndicators:
    """`result` with disclosure control applied, for the page, the API and the reports."""
    return ShownIndicators(result=result, indicators=tuple(_shown(i) for i in result.indicators))
