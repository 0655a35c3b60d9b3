"""Forms of vacancies: the list's filters and a vacancy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.employers.forms.common import (
    DateInput,
    occupation_filter_groups,
    occupation_groups,
)
from polku.employers.languages import OFFERED, language_name, split_codes
from polku.employers.models import EmployerLocation, VacancyStatus, WorkingTime
from polku.employers.services.vacancies import MAX_POSITIONS, TEXT_MAX_LENGTH

if TYPE_CHECKING:
    _Workplaces = forms.ModelChoiceField[EmployerLocation]
else:  # Django's form fields are not subscriptable at run time
    _Workplaces = forms.ModelChoiceField

# Offered in the language filter: the national languages, English and those most often asked
# for in the Helsinki region.
FILTER_LANGUAGES = ("fi", "sv", "en", "ru", "et", "ar", "so", "fa", "uk", "de")


class VacancyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the job title or the employer's name."),
        widget=forms.SearchInput(attrs={"spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open")),
            *((v, label) for v, label in VacancyStatus.choices if v != VacancyStatus.OPEN),
            ("all", _("All")),
        ],
    )
    isco = forms.ChoiceField(label=_("Occupation"), required=False)
    municipality = forms.ChoiceField(label=_("Workplace in"), required=False)
    working_time = forms.ChoiceField(
        label=_("Working time"),
        required=False,
        choices=[("", _("Any")), *WorkingTime.choices],
    )
    language = forms.ChoiceField(label=_("Language needed"), required=False)
    include_past_deadline = forms.BooleanField(
        label=_("Include vacancies whose application deadline has passed"), required=False
    )

    def __init__(self, *args: Any, municipalities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        isco = self.fields["isco"]
        assert isinstance(isco, forms.ChoiceField)
        isco.choices = [("", _("Any occupation")), *occupation_filter_groups()]
        place = self.fields["municipality"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [("", _("Any municipality")), *((m, m) for m in municipalities)]
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [
            ("", _("Any language")),
            *((code, language_name(code)) for code in FILTER_LANGUAGES),
        ]


class WorkplaceChoiceField(_Workplaces):
    def label_from_instance(self, obj: EmployerLocation) -> str:
        return str(obj)


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    isco_code = forms.ChoiceField(label=_("Occupation (ISCO-08)"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offered_languages = forms.MultipleChoiceField(
        label=_("Languages needed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_languages = forms.CharField(
        label=_("Other languages"),
        required=False,
        max_length=100,
        help_text=_("ISO 639-1 codes separated by commas, e.g. ru, et, ar."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    working_time = forms.ChoiceField(
        label=_("Working time"), choices=WorkingTime.choices, initial=WorkingTime.EITHER
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        min_value=1,
        max_value=60,
        max_digits=4,
        decimal_places=1,
    )
    location = WorkplaceChoiceField(
        label=_("Workplace"),
        queryset=EmployerLocation.objects.none(),
        required=False,
        empty_label=_("Not given"),
    )
    positions = forms.IntegerField(
        label=_("Positions"), min_value=1, max_value=MAX_POSITIONS, initial=1
    )
    start_date = forms.DateField(label=_("Work starts"), required=False, widget=DateInput())
    deadline = forms.DateField(label=_("Application deadline"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=VacancyStatus.choices, initial=VacancyStatus.OPEN
    )
    adjustments = forms.CharField(
        label=_("Possible adjustments"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hours, tasks or workplace the employer is willing to adjust."),
    )

    def __init__(
        self,
        *args: Any,
        workplaces: QuerySet[EmployerLocation],
        current_isco: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        isco = self.fields["isco_code"]
        assert isinstance(isco, forms.ChoiceField)
        isco.choices = [("", _("Choose the occupation")), *occupation_groups(current=current_isco)]
        offered = self.fields["offered_languages"]
        assert isinstance(offered, forms.MultipleChoiceField)
        offered.choices = [(code, language_name(code)) for code in OFFERED]
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = workplaces

    def languages(self) -> list[str]:
        """The languages ticked, then the ones typed, each once."""
        data = self.cleaned_data
        return list(
            dict.fromkeys([*data["offered_languages"], *split_codes(data["other_languages"])])
        )

    def service_values(self) -> dict[str, Any]:
        """The cleaned values as vacancy_save takes them."""
        data = dict(self.cleaned_data)
        data["languages"] = self.languages()
        del data["offered_languages"], data["other_languages"]
        return data

    @staticmethod
    def initial_from(values: dict[str, Any], languages: list[str]) -> dict[str, Any]:
        return values | {
            "offered_languages": [code for code in languages if code in OFFERED],
            "other_languages": ", ".join(code for code in languages if code not in OFFERED),
        }
