"""Input forms of the shared plan. Rules live in the services; forms check types and offer the
choices the actor may make."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Episode
from polku.core.forms import DateInput
from polku.core.models import Membership, Organisation
from polku.plans.domains import LifeDomain
from polku.plans.models import ActionStatus, AgreementMethod, GoalStatus

TEXTAREA = forms.Textarea(attrs={"rows": 3})

# Django's form fields are generic to the type checker only.
if TYPE_CHECKING:
    _EpisodeChoice = forms.ModelChoiceField[Episode]
    _PersonChoice = forms.ModelChoiceField[Membership]
    _PeopleChoice = forms.ModelMultipleChoiceField[Membership]
else:
    _EpisodeChoice = _PersonChoice = forms.ModelChoiceField
    _PeopleChoice = forms.ModelMultipleChoiceField


class EpisodeChoiceField(_EpisodeChoice):
    def label_from_instance(self, obj: Episode) -> str:
        return f"{obj.programme.name} ({obj.start_date:%Y-%m-%d})"


class PlanCreateForm(forms.Form):
    episode = EpisodeChoiceField(
        label=_("Programme episode"),
        queryset=Episode.objects.none(),
        help_text=_("Each open episode has one plan at a time."),
    )

    def __init__(self, *args: Any, episodes: QuerySet[Episode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["episode"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = episodes


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Life domain"), choices=LifeDomain.choices)
    client_words = forms.CharField(
        label=_("The goal in the client's own words"),
        max_length=4000,
        widget=TEXTAREA,
        help_text=_("Write it as the client says it."),
    )
    target = forms.CharField(
        label=_("Measurable target"),
        max_length=300,
        help_text=_("How everyone will know the goal is reached."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.OPEN
    )

    def __init__(self, *args: Any, domains: Iterable[str] | None = None, **kwargs: Any) -> None:
        """`domains`: the domains offered when adding; None when editing (the domain stays)."""
        super().__init__(*args, **kwargs)
        if domains is None:
            del self.fields["domain"]
        else:
            offered = set(domains)
            field = self.fields["domain"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in LifeDomain.choices if v in offered]


class PersonChoiceField(_PersonChoice):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name()} — {obj.organisation.name}"


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=TEXTAREA
    )
    responsible_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
    )
    responsible = PersonChoiceField(
        label=_("Responsible person"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody named yet"),
        help_text=_("Must work in the responsible organisation."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=DateInput(),
        help_text=_("For a done action; today if left empty."),
    )

    def __init__(self, *args: Any, people: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class ReviewForm(forms.Form):
    due_on = forms.DateField(label=_("Review date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=TEXTAREA)


class ReviewHoldForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        required=False,
        widget=DateInput(),
        help_text=_("Today if left empty."),
    )
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=TEXTAREA)


class PersonMultipleChoiceField(_PeopleChoice):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name()} — {obj.get_role_display()}, {obj.organisation.name}"


class PlanAgreeForm(forms.Form):
    agreed_on = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    participants = PersonMultipleChoiceField(
        label=_("Participants from the care team"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_other = forms.CharField(
        label=_("Other participants"),
        max_length=300,
        required=False,
        help_text=_("People present who do not use Polku, e.g. a family member."),
    )
    client_agreed = forms.BooleanField(label=_("The client agreed to the plan"), required=False)
    agreement_method = forms.ChoiceField(
        label=_("How the client agreed"),
        choices=[("", _("Not agreed")), *AgreementMethod.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note on the agreement"), max_length=4000, required=False, widget=TEXTAREA
    )

    def __init__(self, *args: Any, team: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = team
