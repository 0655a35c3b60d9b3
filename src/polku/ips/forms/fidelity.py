"""Input shapes of the IPS programme pages: the period of the computed indicators, opening a
fidelity review, and scoring its 25 items. The rules live in `ips.fidelity.services`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core.forms import DateInput
from polku.ips.fidelity import indicators
from polku.ips.fidelity.items import Item, Section, by_section
from polku.ips.fidelity.services import (
    EVIDENCE_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    REVIEWERS_MAX_LENGTH,
    ScoreInput,
    period_errors,
)
from polku.ips.models import FidelityScore


class PeriodForm(forms.Form):
    """The period of the computed indicators; empty fields take the default: the six whole
    months before the month of the end, and that month up to the end (today by default)."""

    start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The first day of a month. Empty: six whole months before the month of the end."
        ),
    )
    end = forms.DateField(
        label=_("Period to"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The last day of a month, or today. Empty: today. The period lasts at least three "
            "months and at most three years."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        start, end = self._chosen(data)
        for field, message in period_errors(start, end, today=timezone.localdate()).items():
            self.add_error("start" if field == "period_start" else "end", message)
        return data

    @staticmethod
    def _chosen(data: dict[str, Any]) -> tuple[dt.date, dt.date]:
        end: dt.date = data.get("end") or timezone.localdate()
        start: dt.date = data.get("start") or indicators.default_period(end)[0]
        return start, end

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period when valid, else the default."""
        if self.is_bound and self.is_valid():
            return self._chosen(self.cleaned_data)
        return indicators.default_period()


class ReviewForm(forms.Form):
    review_date = forms.DateField(label=_("Date of the review"), widget=DateInput())
    period_start = forms.DateField(
        label=_("Period reviewed from"),
        widget=DateInput(),
        help_text=_("The data of this period gives the suggestions. The first day of a month."),
    )
    period_end = forms.DateField(
        label=_("Period reviewed to"),
        widget=DateInput(),
        help_text=_(
            "The last day of a month, or today. The period lasts at least three months and at "
            "most three years."
        ),
    )
    reviewers = forms.CharField(
        label=_("Reviewers"),
        max_length=REVIEWERS_MAX_LENGTH,
        help_text=_("The names of the reviewers, usually two trained fidelity reviewers."),
    )
    notes = forms.CharField(
        label=_("Summary and recommendations"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": "4"}),
    )


SCORE_CHOICES = [
    ("", _("Not scored yet")),
    *((str(n), str(n)) for n in range(1, 6)),
]


@dataclass(frozen=True)
class ItemFields:
    """One item of the scoring form: its definition, its row, and its two fields."""

    item: Item
    row: FidelityScore
    score: forms.BoundField
    evidence: forms.BoundField


class ScoresForm(forms.Form):
    """All 25 items' scores (1–5 or empty) and evidence, and the review's summary."""

    notes = forms.CharField(
        label=_("Summary and recommendations"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": "5"}),
    )

    def __init__(self, *args: Any, rows: list[FidelityScore], notes: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = {row.item: row for row in rows}
        self.fields["notes"].initial = notes
        for number, row in self.rows.items():
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if row.score is None else str(row.score),
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                initial=row.evidence,
                widget=forms.Textarea(attrs={"rows": "3"}),
            )

    def sections(self) -> list[tuple[Section, list[ItemFields]]]:
        """The items grouped by section with their bound fields, for the template."""
        return [
            (
                section,
                [
                    ItemFields(
                        item=item,
                        row=self.rows[item.number],
                        score=self[f"score_{item.number}"],
                        evidence=self[f"evidence_{item.number}"],
                    )
                    for item in items
                    if item.number in self.rows
                ],
            )
            for section, items in by_section()
        ]

    def entries(self, *, use_suggestion: int | None = None) -> list[ScoreInput]:
        """The scores as the service takes them; with `use_suggestion`, that item's score is
        its suggestion (the reviewer pressed "Use the suggestion")."""
        data = self.cleaned_data
        entries = []
        for number, row in self.rows.items():
            score = data.get(f"score_{number}")
            if number == use_suggestion and row.suggested is not None:
                score = row.suggested
            entries.append(
                ScoreInput(item=number, score=score, evidence=data.get(f"evidence_{number}", ""))
            )
        return entries
