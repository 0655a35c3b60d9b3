"""Input shapes of the job search plan and a job-search activity."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.employers.models import Employer, Vacancy
from polku.ips.forms.common import (
    EmployerField,
    OccupationsField,
    VacancyField,
    date_field,
    text_area,
)
from polku.ips.models import ActivityKind
from polku.ips.services.common import TEXT_MAX_LENGTH


class PlanForm(forms.Form):
    agreed_on = date_field(_("Agreed on"), initial=timezone.localdate)
    goal = text_area(
        _("Goal"),
        rows=3,
        required=True,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("The kind of job the client is looking for, in their words."),
    )
    target_occupations = OccupationsField(label=_("Target occupations"), required=False)
    steps = text_area(_("Steps"), rows=5, max_length=TEXT_MAX_LENGTH)
    review_on = date_field(_("Review on"), required=False)


class ActivityForm(forms.Form):
    date = date_field(_("Date"), initial=timezone.localdate)
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("Choose a kind")), *ActivityKind.choices],
    )
    employer = EmployerField(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        required=False,
        empty_label=_("No employer"),
        help_text=_("Required for contacts with an employer, interviews and workplace visits."),
    )
    vacancy = VacancyField(
        label=_("Vacancy"),
        queryset=Vacancy.objects.none(),
        required=False,
        empty_label=_("No vacancy"),
    )
    specialist_present = forms.BooleanField(label=_("The specialist took part"), required=False)
    notes = text_area(_("Notes"), max_length=TEXT_MAX_LENGTH)

    def __init__(
        self,
        *args: Any,
        employers: QuerySet[Employer],
        vacancies: QuerySet[Vacancy],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        employer = self.fields["employer"]
        assert isinstance(employer, forms.ModelChoiceField)
        employer.queryset = employers
        vacancy = self.fields["vacancy"]
        assert isinstance(vacancy, forms.ModelChoiceField)
        vacancy.queryset = vacancies
