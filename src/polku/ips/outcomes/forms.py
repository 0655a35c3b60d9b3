"""The outcomes page's choice: a programme with IPS cases and, optionally, a period of entry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.core.forms import DateInput
from polku.ips.outcomes.selectors import programmes_with_cases

if TYPE_CHECKING:
    _ProgrammeChoice = forms.ModelChoiceField[Programme]
else:  # Django's form fields are not generic at run time
    _ProgrammeChoice = forms.ModelChoiceField


class ProgrammeChoiceField(_ProgrammeChoice):
    def label_from_instance(self, obj: Programme) -> str:
        return str(obj.name)


class OutcomesForm(forms.Form):
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        empty_label=_("Choose a programme"),
    )
    entered_from = forms.DateField(
        label=_("Entered from"),
        required=False,
        widget=DateInput(),
        help_text=_("Cases whose entry date is on or after this day. Empty: from the start."),
    )
    entered_to = forms.DateField(
        label=_("Entered until"),
        required=False,
        widget=DateInput(),
        help_text=_("Cases whose entry date is on or before this day. Empty: until today."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, ProgrammeChoiceField)
        field.queryset = programmes_with_cases()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("entered_from")
        end: dt.date | None = data.get("entered_to")
        if start and end and end < start:
            self.add_error("entered_to", _("The end of the period must not be before its start."))
        return data
