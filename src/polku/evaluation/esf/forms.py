"""The ESF+ report's choice: a programme (by its code) and a period of whole calendar months.

The query parameters are `programme`, `from` and `to` (`?programme=ips-pilot&from=2025-01&to=
2025-06`), the same for the page, the files and the API. An end left empty falls back to the
programme's own start or end (`selectors.default_period`), so with no period given the report
covers the programme's whole run.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.core.models import Membership
from polku.evaluation.cohort import evaluation_programmes
from polku.evaluation.esf.selectors import default_period
from polku.ips.outcomes.forms import MonthField, ProgrammeChoiceField
from polku.ips.outcomes.periods import Month

PERIOD_ORDER_ERROR = _("The end of the period must not be before its start.")


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
        field.queryset = evaluation_programmes(viewer)
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
        start, end = self.period() if "programme" in data else (None, None)
        if start and end and end < start:
            self.add_error("to", PERIOD_ORDER_ERROR)
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
