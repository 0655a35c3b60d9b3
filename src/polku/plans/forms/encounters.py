"""Input shapes of the encounter pages. Rules live in services; forms check types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.core.categories import DataCategory
from polku.core.models import Membership, Organisation
from polku.plans.models import Attendance, EncounterKind
from polku.plans.services.encounters import MAX_DURATION_MINUTES, NOTES_MAX_LENGTH

if TYPE_CHECKING:
    _Memberships = forms.ModelMultipleChoiceField[Membership]
    _Organisations = forms.ModelMultipleChoiceField[Organisation]
else:  # Django's form fields are not subscriptable at run time
    _Memberships = forms.ModelMultipleChoiceField
    _Organisations = forms.ModelMultipleChoiceField


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ProfessionalsField(_Memberships):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name()} — {obj.organisation.name}, {obj.get_role_display()}"


class EncounterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of encounter"), choices=EncounterKind.choices)
    started_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=MAX_DURATION_MINUTES, initial=60
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=Attendance.choices,
        initial=Attendance.ATTENDED,
        widget=forms.RadioSelect,
        help_text=_("A cancelled booking may be in the future; the others cannot."),
    )
    category = forms.ChoiceField(
        label=_("What was discussed (data category)"),
        choices=DataCategory.choices,
        help_text=_(
            "Decides who may read the encounter, its notes included. Health and social welfare "
            "data reach other organisations only with the client's consent."
        ),
    )
    participants = ProfessionalsField(
        label=_("Professionals present"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the client's care team."),
    )
    organisations = _Organisations(
        label=_("Organisations present"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your organisation and those of the professionals present are added. A network "
            "meeting brings together at least two organisations."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(
        self,
        *args: Any,
        categories: list[str],
        participants: QuerySet[Membership],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c, DataCategory(c).label) for c in categories]
        people = self.fields["participants"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = participants
        present = self.fields["organisations"]
        assert isinstance(present, forms.ModelMultipleChoiceField)
        present.queryset = organisations
