"""The ESF+ report's choice: a programme (by its code) and a period of whole calendar months.

The query parameters are `programme`, `from` and `to` (`?programme=ips-pilot&from=2025-01&to=
2025-06`), the same for the page, the files and the API. An end left empty falls back to the
programme's own start or end (`selectors.default_period`), so with no period given the report
covers the programme's whole run.

The period is a reporting period: at least six whole months (an open end counts up to the
current month), or the programme's whole run however short (`period_error`). A single month of
exact counts by gender could single out the one person who entered in it. Overlapping periods
can still be differenced (January–June less February–June is January); that is why the report
is made only by the organisation responsible for the programme, which holds these people's
records anyway (`selectors.can_report`, docs/decisions/0008-esf-report-counts.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.core.models import Membership
from polku.evaluation.esf.selectors import default_period, esf_programmes
from polku.ips.outcomes.forms import MonthField, ProgrammeChoiceField
from polku.ips.outcomes.periods import Month

PERIOD_ORDER_ERROR = _("The end of the period must not be before its start.")
MIN_MONTHS = 6


def _months(start: Month, end: Month) -> int:
    """Whole months from `start` to `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def period_error(
    programme: Programme,
    start: Month | None,
    end: Month | None,
    *,
    today: dt.date | None = None,
) -> tuple[str, str] | None:
    """(field, message in the active language) if `start`–`end` is no reporting period, else
    None. Each end is as asked, defaulted to the programme's own (`default_period`).

    The end must not be before the start, and the period must span at least `MIN_MONTHS` whole
    months, an open end counting up to `today`'s month, unless it is the programme's whole run.
    An open start (a programme without a start date, no month asked for) runs from the
    programme's beginning and is not refused.
    """
    if start and end and end < start:
        return "to", str(PERIOD_ORDER_ERROR)
    if (start, end) == default_period(programme) or start is None:
        return None
    last = end or Month.of(today or timezone.localdate())
    if _months(start, last) < MIN_MONTHS:
        return "from", gettext(
            "Choose a period of at least %(months)s whole months, or the programme's whole run."
        ) % {"months": MIN_MONTHS}
    return None


class EsfReportForm(forms.Form):
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a programme"),
    )

    def __init__(self, data: Any = None, *, viewer: Membership) -> None:
        super().__init__(data)
        field = self.fields["programme"]
        assert isinstance(field, ProgrammeChoiceField)
        field.queryset = esf_programmes(viewer)
        # "from" is a Python keyword, so these two are added here rather than declared above.
        self.fields["from"] = MonthField(
            label=_("First month"),
            required=False,
            help_text=_("As YYYY-MM, for example 2025-01. Empty: from the programme's start."),
        )
        self.fields["to"] = MonthField(
            label=_("Last month"),
            required=False,
            help_text=_("As YYYY-MM, for example 2025-06. Empty: to the programme's end."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "programme" in data and "from" not in self.errors and "to" not in self.errors:
            start, end = self.period()
            if error := period_error(data["programme"], start, end):
                self.add_error(*error)
        return data

    def period(self) -> tuple[Month | None, Month | None]:
        """The months asked for, each end defaulting to the programme's own."""
        data = self.cleaned_data
        default_start, default_end = default_period(data["programme"])
        return data.get("from") or default_start, data.get("to") or default_end

    def query(self) -> dict[str, str]:
        """The valid choice as query parameters, for the download links."""
        start, end = self.period()
        return {
            "programme": self.cleaned_data["programme"].code,
            "from": str(start) if start else "",
            "to": str(end) if end else "",
        }
