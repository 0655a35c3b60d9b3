"""Input shapes of placements, their end, follow-along support and its end."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.employers.models import Employer, Vacancy
from polku.ips.forms.common import (
    EmployerField,
    OccupationField,
    VacancyField,
    date_field,
    text_area,
)
from polku.ips.models import PlacementEndReason, SupportMode, SupportWith
from polku.ips.services.common import TEXT_MAX_LENGTH
from polku.ips.services.placements import (
    JOB_TITLE_MAX_LENGTH,
    MAX_HOURLY_WAGE,
    MAX_HOURS,
    MIN_HOURS,
)

END_REASONS = [("", _("Choose a reason")), *PlacementEndReason.choices]


def _yes_no(value: str) -> bool:
    return value == "yes"


class PlacementForm(forms.Form):
    employer = EmployerField(
        label=_("Employer"), queryset=Employer.objects.none(), empty_label=_("Choose an employer")
    )
    vacancy = VacancyField(
        label=_("Vacancy"),
        queryset=Vacancy.objects.none(),
        required=False,
        empty_label=_("No vacancy"),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=JOB_TITLE_MAX_LENGTH)
    isco_code = OccupationField(label=_("Occupation (ISCO-08)"))
    # Answered explicitly: no initial value (IPS-25 item 21 counts the answers).
    competitive = forms.TypedChoiceField(
        label=_("Is the job competitive?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=_yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=_(
            "Competitive: open to anyone, paid at least the minimum or collectively agreed "
            "wage, and not set aside for people with disabilities."
        ),
    )
    subsidised = forms.BooleanField(label=_("The employer receives a pay subsidy"), required=False)
    start_date = date_field(_("Start date"))
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        min_value=MIN_HOURS,
        max_value=MAX_HOURS,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    hourly_wage = forms.DecimalField(
        label=_("Hourly wage (€)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_HOURLY_WAGE,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    end_date = date_field(
        _("End date"),
        required=False,
        help_text=_("Only for a job that has already ended; then give the reason too."),
    )
    end_reason = forms.ChoiceField(
        label=_("Why the job ended"), choices=END_REASONS, required=False
    )

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


class PlacementEndForm(forms.Form):
    end_date = date_field(_("End date"), initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("Why the job ended"), choices=END_REASONS)


class SupportForm(forms.Form):
    date = date_field(_("Date"), initial=timezone.localdate)
    with_whom = forms.ChoiceField(
        label=_("With whom"),
        choices=SupportWith.choices,
        widget=forms.RadioSelect,
        initial=SupportWith.CLIENT,
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=SupportMode.choices, widget=forms.RadioSelect, initial="in_person"
    )
    content = text_area(
        _("What the support was"), rows=5, required=True, max_length=TEXT_MAX_LENGTH
    )


class FollowAlongEndForm(forms.Form):
    ended_on = date_field(_("Support ended on"), initial=timezone.localdate)
    client_chose = forms.BooleanField(
        label=_("The client has chosen to end the follow-along support"),
        required=False,
        help_text=_(
            "Follow-along support is time-unlimited: it ends only by the client's choice. No "
            "support can be recorded after this day."
        ),
    )
