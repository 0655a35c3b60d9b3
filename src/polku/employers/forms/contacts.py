"""Forms of employer contacts: one from the employer's page, the quick one with an employer
picker (a specialist's daily action), and the contact list's filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.employers.forms.common import DateInput
from polku.employers.models import (
    Employer,
    EmployerPerson,
    InteractionKind,
    InteractionPurpose,
)
from polku.employers.services.contacts import OUTCOME_MAX_LENGTH

if TYPE_CHECKING:
    _People = forms.ModelChoiceField[EmployerPerson]
else:  # Django's form fields are not subscriptable at run time
    _People = forms.ModelChoiceField


class PersonChoiceField(_People):
    def label_from_instance(self, obj: EmployerPerson) -> str:
        return f"{obj.name}, {obj.title}" if obj.title else obj.name


class InteractionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(
        label=_("How"),
        choices=InteractionKind.choices,
        initial=InteractionKind.VISIT,
        widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=InteractionPurpose.choices,
        initial=InteractionPurpose.JOB_DEVELOPMENT,
        widget=forms.RadioSelect,
    )
    person = PersonChoiceField(
        label=_("Met"),
        queryset=EmployerPerson.objects.none(),
        required=False,
        empty_label=_("Nobody in particular / not in the register"),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What came of it: jobs found, next steps. Do not name the client or give their "
            "health or personal details: this note is visible to every organisation."
        ),
    )

    def __init__(self, *args: Any, people: QuerySet[EmployerPerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = people


class QuickInteractionForm(InteractionForm):
    """The same, with the employer chosen on the form: the ones the specialist contacted
    lately first."""

    employer = forms.TypedChoiceField(label=_("Employer"), coerce=str)
    field_order = ["employer", "date", "kind", "purpose", "outcome"]

    def __init__(
        self,
        *args: Any,
        recent: list[Employer],
        employers: QuerySet[Employer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, people=EmployerPerson.objects.none(), **kwargs)
        # Who was met is chosen on the employer's own form, where its people are known.
        del self.fields["person"]
        self.employers = {str(e.pk): e for e in employers}
        choices: list[Any] = [("", _("Choose an employer"))]
        recent_ids = [str(e.pk) for e in recent if str(e.pk) in self.employers]
        if recent_ids:
            choices.append(
                (_("Contacted lately"), [(pk, self.employers[pk].name) for pk in recent_ids])
            )
            choices.append(
                (
                    _("All active employers"),
                    [(pk, e.name) for pk, e in self.employers.items() if pk not in recent_ids],
                )
            )
        else:
            choices += [(pk, e.name) for pk, e in self.employers.items()]
        employer = self.fields["employer"]
        assert isinstance(employer, forms.ChoiceField)
        employer.choices = choices

    def clean_employer(self) -> Employer:
        value = self.cleaned_data["employer"]
        if value not in self.employers:
            raise forms.ValidationError(_("Choose an employer from the list."))
        return self.employers[value]


class ContactFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("Only my contacts"), required=False)
    kind = forms.ChoiceField(
        label=_("How"), required=False, choices=[("", _("Any")), *InteractionKind.choices]
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("Any")), *InteractionPurpose.choices],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
