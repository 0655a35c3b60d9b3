"""Widgets and fields the IPS forms share: dates, the ISCO-08 occupation picker, employers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
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


def active_employers(search: str = "") -> QuerySet[Employer]:
    """Active employers by name; `search` narrows by a part of the name or the Business ID."""
    employers = Employer.objects.filter(is_active=True)
    search = search.strip()
    if search:
        employers = employers.filter(name__icontains=search) | employers.filter(
            business_id__icontains=search
        )
    return employers.order_by("name", "pk")


def open_vacancies(employers: QuerySet[Employer]) -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(employer__in=employers, status=VacancyStatus.OPEN)
        .select_related("employer")
        .order_by("employer__name", "title", "pk")
    )


class EmployerFilterForm(forms.Form):
    """Narrows a long employer list without JavaScript (employer names are not personal data,
    so the words may go into the URL)."""

    q = forms.CharField(
        label=_("Find an employer by name or Business ID"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
