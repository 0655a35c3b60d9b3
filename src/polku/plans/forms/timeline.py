"""The timeline's filters: types of event and the organisation that recorded them.

Sent as GET parameters: neither a type nor an organisation id is personal data, so a filtered
timeline can be bookmarked and shared within the team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.core.models import Organisation
from polku.plans.selectors.timeline import TimelineFilters, TimelineType

if TYPE_CHECKING:
    _Organisation = forms.ModelChoiceField[Organisation]
else:  # Django's form fields are not subscriptable at run time
    _Organisation = forms.ModelChoiceField


class TimelineFilterForm(forms.Form):
    type = forms.MultipleChoiceField(
        label=_("Show"),
        choices=TimelineType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nothing chosen shows everything."),
    )
    organisation = _Organisation(
        label=_("Recorded by"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def filters(self) -> TimelineFilters:
        """The chosen filters; none when the form is invalid (an unknown organisation, say)."""
        if not self.is_valid():
            return TimelineFilters()
        organisation = self.cleaned_data["organisation"]
        return TimelineFilters(
            types=frozenset(self.cleaned_data["type"]),
            organisation=organisation.pk if organisation else None,
        )
