"""Widgets and fields the IPS forms share: dates, the ISCO-08 occupation picker, employers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.core.classifications import OCCUPATION_LEVELS, occupation_choices
from polku.core.models import Membership
from polku.employers.models import Employer, Vacancy, VacancyStatus

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    _Memberships = forms.ModelChoiceField[Membership]
    _Employers = forms.ModelChoiceField[Employer]
    _Vacancies = forms.ModelChoiceField[Vacancy]
else:  # Django's form fields are not subscriptable at run time
    _Memberships = forms.ModelChoiceField
    _Employers = forms.ModelChoiceField
    _Vacancies = forms.ModelChoiceField

Grouped = list[tuple[str, list[tuple[str, str]]]]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(
    label: str | _StrPromise, *, required: bool = True, **kwargs: Any
) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def text_area(label: str | _StrPromise, *, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=kwargs.pop("required", False),
        widget=forms.Textarea(attrs={"rows": str(rows)}),
        **kwargs,
    )


def isco_grouped_choices(language: str | None = None) -> Grouped:
    """ISCO-08 groups for a select: one option group per major group, holding the major group
    itself and its sub-major and minor groups in code order, labelled in `language`."""
    language = language or get_language() or "en"
    finer = [
        choice for level in OCCUPATION_LEVELS[1:] for choice in occupation_choices(level, language)
    ]
    return [
        (label, [(code, label), *sorted(c for c in finer if c[0].startswith(code))])
        for code, label in occupation_choices(OCCUPATION_LEVELS[0], language)
    ]


def _with_blank() -> list[Any]:
    return [("", _("Choose an occupation")), *isco_grouped_choices()]


class OccupationField(forms.ChoiceField):
    """One ISCO-08 group, from the grouped select (labels in the page's language)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_with_blank, **kwargs)


class OccupationsField(forms.MultipleChoiceField):
    """Any number of ISCO-08 groups, from the grouped multiple select."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": "10"}))
        kwargs.setdefault(
            "help_text",
            _(
                "Groups of the ISCO-08 classification. Choose several with Ctrl (⌘ on a Mac) "
                "or Shift held down."
            ),
        )
        super().__init__(choices=isco_grouped_choices, **kwargs)


class ProfessionalField(_Memberships):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name()} — {obj.organisation.name}, {obj.get_role_display()}"


class EmployerField(_Employers):
    """An employer of the shared register; the view narrows the list (active, by name, an
    optional text filter)."""

    def label_from_instance(self, obj: Employer) -> str:
        return f"{obj.name} ({obj.business_id})" if obj.business_id else obj.name


class VacancyField(_Vacancies):
    def label_from_instance(self, obj: Vacancy) -> str:
        return f"{obj.title} — {obj.employer.name}"


def matching(employers: QuerySet[Employer], search: str) -> QuerySet[Employer]:
    """`employers` whose name or Business ID holds `search` (all of them for no words)."""
    search = search.strip()
    if not search:
        return employers
    return employers.filter(Q(name__icontains=search) | Q(business_id__icontains=search))


def active_employers(search: str = "", *, keep: Employer | None = None) -> QuerySet[Employer]:
    """Active employers by name (and `keep`, the one a record being corrected names, active or
    not); `search` narrows by a part of the name or the Business ID."""
    offered = Q(is_active=True)
    if keep is not None:
        offered |= Q(pk=keep.pk)
    return matching(Employer.objects.filter(offered), search).order_by("name", "pk")


def open_vacancies(
    employers: QuerySet[Employer], *, keep: Vacancy | None = None
) -> QuerySet[Vacancy]:
    """The open vacancies of `employers` (and `keep`, the one a record being corrected names,
    whatever its status now)."""
    offered = Q(employer__in=employers, status=VacancyStatus.OPEN)
    if keep is not None:
        offered |= Q(pk=keep.pk)
    return (
        Vacancy.objects.filter(offered)
        .select_related("employer")
        .order_by("employer__name", "title", "pk")
    )


class EmployerFilterForm(forms.Form):
    """Narrows a long employer list without JavaScript. On a form page its field and button are
    part of the action's form, so what was typed there is posted and kept (the words may also
    come in the URL: employer names are not personal data)."""

    q = forms.CharField(
        label=_("Find an employer by name or Business ID"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


# The name of the filter's submit button inside an action's form: pressed, it narrows the
# employer list and renders the form again with what was typed, saving nothing.
FILTER_BUTTON = "filter_employers"


def carried(data: QueryDict, form_class: type[forms.Form]) -> dict[str, Any]:
    """The values posted for `form_class`'s fields, as initial values of a fresh form: shown as
    typed, and not checked, since the filter button was pressed, not the save button."""
    return {
        name: data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else data.get(name)
        for name, field in form_class.base_fields.items()
    }


def _chosen(form: forms.Form, name: str) -> Any:
    """The record chosen in the form's model choice field `name`, or None (none, or not one
    the field offers)."""
    field = form.fields[name]
    # As BoundField.value() reads it, without creating the bound field: that would keep its
    # initial value, and `offer_employers` may still choose one.
    if form.is_bound:
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    else:
        value = form.get_initial_for_field(field, name)
    try:
        return field.clean(value)
    except ValidationError:
        return None


def offer_employers(form: forms.Form, search: str) -> None:
    """Narrow the form's employer list (`employer`) to those matching `search`, and its vacancy
    list (`vacancy`) to theirs, keeping what was chosen in both. On a fresh form with nothing
    chosen, a list the words narrowed to one employer chooses it.

    Call it after the form was checked: a submitted choice is checked against the whole list
    the view gave, so words typed into the filter without pressing it do not undo a choice.
    """
    employer_field = form.fields["employer"]
    vacancy_field = form.fields["vacancy"]
    assert isinstance(employer_field, forms.ModelChoiceField)
    assert isinstance(vacancy_field, forms.ModelChoiceField)
    employers, vacancies = employer_field.queryset, vacancy_field.queryset
    assert employers is not None
    assert vacancies is not None
    employer, vacancy = _chosen(form, "employer"), _chosen(form, "vacancy")
    shown = matching(employers, search)
    if employer is not None:
        shown = employers.filter(Q(pk__in=shown.values("pk")) | Q(pk=employer.pk))
    employer_field.queryset = shown.order_by("name", "pk")
    offered = Q(employer__in=shown.values("pk"))
    if vacancy is not None:
        offered |= Q(pk=vacancy.pk)
    vacancy_field.queryset = vacancies.filter(offered).order_by("employer__name", "title", "pk")
    if search.strip() and not form.is_bound and employer is None:
        first_two = list(employer_field.queryset[:2])
        if len(first_two) == 1:
            form.initial["employer"] = first_two[0].pk
