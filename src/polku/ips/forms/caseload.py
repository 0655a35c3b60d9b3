"""Input shapes of the caseload pages: a time entry, and the programme filter of the caseloads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.ips.forms.common import date_field
from polku.ips.models import TimeActivity
from polku.ips.selectors.caseload import programmes_with_cases
from polku.ips.services.time import MIN_MINUTES, MINUTES_PER_DAY

if TYPE_CHECKING:
    _Programmes = forms.ModelChoiceField[Programme]
else:  # Django's form fields are not subscriptable at run time
    _Programmes = forms.ModelChoiceField


class TimeEntryForm(forms.Form):
    date = date_field(_("Date"), initial=timezone.localdate)
    activity = forms.ChoiceField(
        label=_("Activity"), choices=[("", _("Choose an activity")), *TimeActivity.choices]
    )
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=MIN_MINUTES, max_value=MINUTES_PER_DAY
    )
    in_community = forms.BooleanField(
        label=_("Outside the office (in the community)"),
        required=False,
        help_text=_("At a workplace, an employer's premises, the client's home or elsewhere."),
    )


class ProgrammeFilterForm(forms.Form):
    programme = _Programmes(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All programmes"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ModelChoiceField)
        programme.queryset = programmes_with_cases()
