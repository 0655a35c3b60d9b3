"""The choice on the time-to-employment and provider pages: a programme (or all), a period of
entry in whole calendar months (`ips.outcomes.periods`: a day could single out one entrant) and,
for the curves, what to compare by. GET parameters: `programme=<code>&from=YYYY-MM&to=YYYY-MM
&by=gender`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.core.models import Membership
from polku.evaluation import cohort
from polku.evaluation.views.survival import groups
from polku.evaluation.views.survival.time_to_employment import BY_CHOICES
from polku.ips.outcomes.forms import MonthField
from polku.ips.outcomes.periods import Month

if TYPE_CHECKING:
    _ProgrammeChoice = forms.ModelChoiceField[Programme]
else:  # Django's form fields are not generic at run time
    _ProgrammeChoice = forms.ModelChoiceField


class ProgrammeChoiceField(_ProgrammeChoice):
    def label_from_instance(self, obj: Programme) -> str:
        return str(obj.name)


class PeriodForm(forms.Form):
    """A programme (empty: every programme) and the months of entry; `from` and `to` are the
    parameter names, which Python cannot declare as attributes."""

    def __init__(self, *args: Any, viewer: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"] = ProgrammeChoiceField(
            label=_("Programme"),
            queryset=cohort.evaluation_programmes(viewer),
            to_field_name="code",
            required=False,
            empty_label=_("All programmes"),
        )
        self.fields["from"] = MonthField(
            label=_("First month of entry"),
            required=False,
            help_text=_(
                "Participants who entered in this month or later, as YYYY-MM (for example "
                "2024-03). Empty: from the start."
            ),
        )
        self.fields["to"] = MonthField(
            label=_("Last month of entry"),
            required=False,
            help_text=_(
                "Participants who entered in this month or earlier, as YYYY-MM. Empty: up to "
                "the end of follow-up."
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: Month | None = data.get("from")
        end: Month | None = data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end of the period must not be before its start."))
        return data


class SurvivalForm(PeriodForm):
    def __init__(self, *args: Any, viewer: Membership, **kwargs: Any) -> None:
        super().__init__(*args, viewer=viewer, **kwargs)
        self.fields["by"] = forms.ChoiceField(
            label=_("Compare by"),
            choices=BY_CHOICES,
            required=False,
            help_text=_("One curve for each group."),
        )

    def clean_by(self) -> str:
        return str(self.cleaned_data.get("by") or groups.GENDER)
