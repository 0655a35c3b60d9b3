"""Forms of the employer register: the list's filters, an employer, a workplace, a contact
person, a service agreed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.core.models import Country
from polku.employers.forms.common import YES_NO_ANY, DateInput, industry_choices
from polku.employers.models import EmployerServiceKind, SizeClass
from polku.employers.services.register import NAME_MAX_LENGTH, NOTES_MAX_LENGTH


class EmployerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the name, or a Business ID."),
        widget=forms.SearchInput(attrs={"spellcheck": "false"}),
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    size_class = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("Any size")), *SizeClass.choices]
    )
    social_enterprise = forms.ChoiceField(
        label=_("Social enterprise"), required=False, choices=YES_NO_ANY
    )
    municipality = forms.ChoiceField(label=_("Workplace in"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Active employers")),
            ("inactive", _("Inactive employers")),
            ("all", _("All employers")),
        ],
    )

    def __init__(self, *args: Any, municipalities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        industry = self.fields["industry"]
        assert isinstance(industry, forms.ChoiceField)
        industry.choices = [("", _("Any industry")), *industry_choices()]
        place = self.fields["municipality"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = [("", _("Any municipality")), *((m, m) for m in municipalities)]


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, initial="FI")
    business_id = forms.CharField(
        label=_("Business ID"),
        required=False,
        max_length=20,
        help_text=_(
            "Finnish Business ID (Y-tunnus), e.g. 0112038-9, or a Swedish organisation "
            "number, e.g. 556036-0793."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    industry = forms.ChoiceField(label=_("Industry (TOL 2008 / NACE Rev. 2)"), required=False)
    size_class = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("Not known")), *SizeClass.choices]
    )
    is_social_enterprise = forms.BooleanField(label=_("Social enterprise"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("About the employer, not about clients: the register is shared."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Inactive employers are left out of the list and pickers by default."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        industry = self.fields["industry"]
        assert isinstance(industry, forms.ChoiceField)
        industry.choices = [("", _("Not known")), *industry_choices()]


class LocationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the workplace"),
        max_length=200,
        required=False,
        help_text=_("For example the shop's or the depot's name."),
    )
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=100)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=EmployerServiceKind.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if the agreement runs until further notice."),
    )
    description = forms.CharField(
        label=_("What was agreed"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
