"""The dashboard's choice (a programme and a period of entry in whole months) and the
programme targets form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.evaluation.models import PERCENT_MEASURES, TargetMeasure
from polku.ips.outcomes.forms import MonthField, ProgrammeChoiceField
from polku.ips.outcomes.periods import Month

# The query parameters are `programme`, `from` and `to` (COMMON: ?programme=<code>&from=YYYY-MM
# &to=YYYY-MM); `from` is a Python keyword, so the fields are added by name.
FROM, TO = "from", "to"


class DashboardForm(forms.Form):
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a programme"),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, ProgrammeChoiceField)
        field.queryset = programmes
        self.fields[FROM] = MonthField(
            label=_("First month of entry"),
            required=False,
            help_text=_(
                "Participants who entered in this month or later, as YYYY-MM (for example "
                "2024-03). Empty: from the start."
            ),
        )
        self.fields[TO] = MonthField(
            label=_("Last month of entry"),
            required=False,
            help_text=_(
                "Participants who entered in this month or earlier, as YYYY-MM. Empty: up to "
                "the end of follow-up."
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: Month | None = data.get(FROM)
        end: Month | None = data.get(TO)
        if start and end and end < start:
            self.add_error(TO, _("The end of the period must not be before its start."))
        return data


# Counts are whole numbers below a billion (the column holds ten digits, one after the point).
MAX_COUNT = Decimal(999_999_999)


class TargetsForm(forms.Form):
    """One optional field per measure, named by the measure; empty removes the target."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for measure in TargetMeasure:
            if measure in PERCENT_MEASURES:
                self.fields[measure.value] = forms.DecimalField(
                    label=measure.label,
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    decimal_places=1,
                    help_text=_("A percentage from 0 to 100. Empty: no target."),
                )
            else:
                self.fields[measure.value] = forms.IntegerField(
                    label=measure.label,
                    required=False,
                    min_value=0,
                    max_value=int(MAX_COUNT),
                    help_text=_("A whole number. Empty: no target."),
                )

    def targets(self) -> dict[str, Decimal | None]:
        """The cleaned values by measure, as the service takes them."""
        return {
            measure: None if value is None else Decimal(value)
            for measure, value in self.cleaned_data.items()
        }
