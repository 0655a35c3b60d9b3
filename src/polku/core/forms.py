"""Form rendering with accessible markup, and the kernel's forms."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from polku.core.roles import Role


class PolkuFormRenderer(TemplatesSetting):
    """Labels, help and errors linked to their inputs (aria-describedby), an error summary."""

    form_template_name = "polku/forms/form.html"
    field_template_name = "polku/forms/field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MembershipChoiceForm(forms.Form):
    membership = forms.TypedChoiceField(label=_("Act as"), coerce=int, widget=forms.RadioSelect)


class StaffMemberForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_(
            "At least 12 characters. Leave empty to let the person set it through password reset."
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses this token, for example 'reporting integration'."),
    )
    days_valid = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=90
    )
