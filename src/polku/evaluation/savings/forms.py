"""The savings page's choices (programme, period of entry in whole months, rule set and the
projection's inputs) and the cost form. Input validation only; no writes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.evaluation.models.savings import SavingsRuleSet
from polku.evaluation.savings import rules
from polku.ips.outcomes.forms import MonthField
from polku.ips.outcomes.periods import Month

if TYPE_CHECKING:
    _ProgrammeChoice = forms.ModelChoiceField[Programme]
    _RuleSetChoice = forms.ModelChoiceField[SavingsRuleSet]
else:  # Django's form fields are not generic at run time
    _ProgrammeChoice = forms.ModelChoiceField
    _RuleSetChoice = forms.ModelChoiceField

MAX_PARTICIPANTS = 1_000_000
MAX_MONTHS = 120
MAX_DAYS = 10_000


class ProgrammeChoiceField(_ProgrammeChoice):
    def label_from_instance(self, obj: Programme) -> str:
        return str(obj.name)


class RuleSetChoiceField(_RuleSetChoice):
    def label_from_instance(self, obj: SavingsRuleSet) -> str:
        return obj.name


def _programme_field() -> ProgrammeChoiceField:
    return ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a programme"),
    )


class SavingsForm(forms.Form):
    programme = _programme_field()
    entered_from = MonthField(
        label=_("First month of entry"),
        required=False,
        help_text=_("Participants who entered in this month or later, as YYYY-MM. Empty: all."),
    )
    entered_to = MonthField(
        label=_("Last month of entry"),
        required=False,
        help_text=_("Participants who entered in this month or earlier, as YYYY-MM."),
    )
    rule_set = RuleSetChoiceField(
        label=_("Rule set"),
        queryset=SavingsRuleSet.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=None,
        help_text=_("Whose benefit rules the savings follow. Empty: the first."),
    )
    participants = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        help_text=_("Projection: how many people would take part."),
    )
    employment_rate = forms.DecimalField(
        # xgettext:no-python-format  (the "%" is a per cent sign)
        label=_("Employment rate (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        help_text=_("Projection: the share who find work. Empty: the programme's own."),
    )
    months_in_work = forms.DecimalField(
        label=_("Months in work"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(MAX_MONTHS),
        decimal_places=1,
        help_text=_("Projection: how long each stays in work. Empty: the programme's own."),
    )
    days_at_entry = forms.IntegerField(
        label=_("Days on subsidy at entry"),
        required=False,
        min_value=0,
        max_value=MAX_DAYS,
        help_text=_("Projection: paid benefit days before entry. Empty: the programme's median."),
    )

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        assert isinstance(programme, ProgrammeChoiceField)
        programme.queryset = programmes if programmes is not None else Programme.objects.none()
        rule_set = self.fields["rule_set"]
        assert isinstance(rule_set, RuleSetChoiceField)
        rule_set.queryset = rules.rule_sets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: Month | None = data.get("entered_from")
        end: Month | None = data.get("entered_to")
        if start and end and end < start:
            self.add_error("entered_to", _("The end of the period must not be before its start."))
        if not data.get("rule_set") and "rule_set" not in self.errors:
            data["rule_set"] = rules.default_rule_set()
        return data


class CostForm(forms.Form):
    month = MonthField(label=_("Month"), help_text=_("As YYYY-MM, for example 2026-03."))
    amount = forms.DecimalField(
        label=_("Amount (€)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        help_text=_("Staff, purchased services and other costs of the month, in euros."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200)


class CostProgrammeForm(forms.Form):
    programme = _programme_field()

    def __init__(self, *args: Any, programmes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        assert isinstance(programme, ProgrammeChoiceField)
        programme.queryset = programmes if programmes is not None else Programme.objects.none()
