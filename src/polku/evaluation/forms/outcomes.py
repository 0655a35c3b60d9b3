"""Input shapes of recording an outcome and the ESF+ entry data. The services hold the rules;
the forms only shape the input and leave out the questions that do not apply to this viewer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from polku.core.forms import DateInput
from polku.evaluation.models import (
    SENSITIVE_FIELDS,
    EntryData,
    IscedLevel,
    LabourMarketStatus,
    OutcomePoint,
    OutcomeSource,
    OutcomeStatus,
    SensitiveAnswer,
)

YES, NO = "yes", "no"


def _yes_no(value: str) -> bool:
    return value == YES


def yes_no_field(label: Any, *, unknown: Any, **kwargs: Any) -> forms.TypedChoiceField:
    """Yes, no, or not known (None): a radio group, so "not known" is a visible choice."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", unknown), (YES, _("Yes")), (NO, _("No"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        **kwargs,
    )


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Situation"),
        choices=[("", _("Choose the situation")), *OutcomeStatus.choices],
        error_messages={"required": _("Choose the participant's situation.")},
    )
    observed_on = forms.DateField(
        label=_("Situation on"),
        widget=DateInput(),
        error_messages={"required": _("Give the day the situation applies to.")},
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=OutcomeSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the information came from.")},
    )
    in_education = forms.BooleanField(label=_("In education or training"), required=False)
    gained_qualification = forms.BooleanField(label=_("Gained a qualification"), required=False)
    improved_situation = yes_no_field(
        _("Improved labour market situation"),
        unknown=_("Not known"),
        help_text=_(
            "For participants employed at entry (ESF+ EECR06): a more stable job, more hours, a "
            "job needing higher skills, or more responsibility."
        ),
    )

    def __init__(self, *args: Any, point: str, employed_at_entry: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if point == OutcomePoint.EXIT:
            self.fields["observed_on"].help_text = _(
                "The situation at exit is the one within 28 days after leaving (ESF+). If "
                "several things happened in those days, record the last."
            )
        else:
            self.fields["observed_on"].help_text = _(
                "The day the situation applies to, close to the day the follow-up falls due."
            )
        if not employed_at_entry:
            del self.fields["improved_situation"]


def _label(name: str) -> Any:
    field = EntryData._meta.get_field(name)
    assert isinstance(field, models.Field)
    return capfirst(field.verbose_name)


SENSITIVE_HELP = _(
    "Ask only if the participant agreed to answer. Each question may be declined: "
    '"Did not want to say" is stored as that answer and reported only as a count.'
)


class EntryDataForm(forms.Form):
    labour_market_status = forms.ChoiceField(
        label=_("Labour market status at entry"),
        choices=LabourMarketStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the labour market status at entry.")},
    )
    isced_level = forms.TypedChoiceField(
        label=_("Highest level of education (ISCED 2011)"),
        choices=[("", _("Not known")), *IscedLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    rural_area = yes_no_field(_("Lives in a rural area"), unknown=_("Not known"))
    months_employed_before = forms.IntegerField(
        label=_("Months in work in the 12 months before entry"),
        min_value=0,
        max_value=12,
        required=False,
    )
    sensitive_consent = forms.BooleanField(
        label=_("The participant agreed to answer the questions on sensitive characteristics"),
        required=False,
        help_text=_(
            "Disability, citizenship, foreign background, minority and housing are special "
            "categories of personal data: ask them only with the participant's consent. Without "
            "it, or when it is withdrawn, no answer is kept."
        ),
    )

    def __init__(self, *args: Any, hidden: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SENSITIVE_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=_label(name),
                choices=SensitiveAnswer.choices,
                initial=SensitiveAnswer.NOT_ASKED,
                widget=forms.RadioSelect,
                required=False,
                help_text=SENSITIVE_HELP if name == SENSITIVE_FIELDS[0] else "",
            )
        # Questions of categories the viewer may not read are not asked; the stored answers stay.
        for name in hidden:
            self.fields.pop(name, None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in SENSITIVE_FIELDS:
            if name not in self.fields:
                continue
            if not cleaned.get("sensitive_consent"):
                # Without consent the service erases every answer; what the radios held is moot.
                cleaned[name] = None
            elif not cleaned.get(name):
                cleaned[name] = SensitiveAnswer.NOT_ASKED
        return cleaned
