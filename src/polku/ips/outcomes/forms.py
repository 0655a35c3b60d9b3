"""The outcomes page's choice: a programme with IPS cases and, optionally, a period of entry in
whole calendar months (`periods`: a period chosen to the day could single out one person)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.ips.outcomes.periods import Month
from polku.ips.outcomes.selectors import programmes_with_cases

if TYPE_CHECKING:
    _ProgrammeChoice = forms.ModelChoiceField[Programme]
else:  # Django's form fields are not generic at run time
    _ProgrammeChoice = forms.ModelChoiceField


class ProgrammeChoiceField(_ProgrammeChoice):
    def label_from_instance(self, obj: Programme) -> str:
        return str(obj.name)


class MonthInput(forms.TextInput):
    """A month picker; browsers without one show a text box, hence the format in the help."""

    input_type = "month"


class MonthField(forms.Field):
    """A calendar month as "YYYY-MM" (what `<input type="month">` submits); a day is refused."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2024-03.")}

    def to_python(self, value: Any) -> Month | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Month):
            return value
        try:
            return Month.parse(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class OutcomesForm(forms.Form):
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        empty_label=_("Choose a programme"),
    )
    entered_from = MonthField(
        label=_("First month of entry"),
        required=False,
        help_text=_(
            "Cases that entered in this month or later, as YYYY-MM (for example 2024-03). "
            "Empty: from the start."
        ),
    )
    entered_to = MonthField(
        label=_("Last month of entry"),
        required=False,
        help_text=_(
            "Cases that entered in this month or earlier, as YYYY-MM. Empty: up to the end of "
            "follow-up."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, ProgrammeChoiceField)
        field.queryset = programmes_with_cases()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: Month | None = data.get("entered_from")
        end: Month | None = data.get("entered_to")
        if start and end and end < start:
            self.add_error("entered_to", _("The end of the period must not be before its start."))
        return data
