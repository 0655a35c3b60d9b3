"""Input shapes for the client pages. Validation of rules lives in services; forms check types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.models import (
    ConsentMethod,
    EndReason,
    Gender,
    Language,
    Municipality,
    Programme,
)
from polku.core.categories import DataCategory, Purpose
from polku.core.forms import DateInput
from polku.core.models import Membership, Organisation
from polku.core.validators import IdentityCodeType


class ClientForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    identity_code_type = forms.ChoiceField(
        label=_("Identity code type"),
        required=False,
        choices=[("", _("No identity code")), *IdentityCodeType.choices],
        initial=IdentityCodeType.FI_HETU,
    )
    identity_code = forms.CharField(
        label=_("Identity code"),
        required=False,
        max_length=20,
        help_text=_(
            "Optional. Finnish: DDMMYYCZZZQ, for example 131052-308T. Swedish: "
            "YYMMDD-NNNN or YYYYMMDD-NNNN."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_("Filled in from the identity code when one is given."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        help_text=_("As the client tells it. Never derived from the identity code."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.FINNISH
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality of residence"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Not known"),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    post_office = forms.CharField(label=_("Post office"), max_length=100, required=False)


class ClientRegisterForm(ClientForm):
    as_key_worker = forms.BooleanField(
        label=_("I will be the client's key worker"), required=False, initial=True
    )
    confirm_possible_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person"),
        required=False,
        widget=forms.HiddenInput,
    )

    def show_duplicate_confirmation(self) -> None:
        self.fields["confirm_possible_duplicate"].widget = forms.CheckboxInput()


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, client reference or full identity code."),
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=_("All programmes"),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation responsible"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        empty_label=_("All organisations"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("active", _("In a programme now")),
            ("ended", _("Episodes ended")),
            ("none", _("No episodes")),
        ],
    )


class EpisodeStartForm(forms.Form):
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), empty_label=_("Choose a programme")
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation responsible"),
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("Choose an organisation"),
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput(), initial=timezone.localdate
    )
    months_unemployed = forms.IntegerField(
        label=_("Months unemployed at entry"), min_value=0, max_value=600, required=False
    )
    days_on_labour_market_subsidy = forms.IntegerField(
        label=_("Days on labour market subsidy at entry"),
        min_value=0,
        max_value=20000,
        required=False,
    )


class EpisodeEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("End reason"), choices=[("", "—"), *EndReason.choices])


class ConsentForm(forms.Form):
    organisations: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        label=_("Share with"),
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Health and social welfare data are shared only when chosen here."),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        initial=Purpose.SERVICE,
        choices=[
            (Purpose.SERVICE, Purpose.SERVICE.label),
            (Purpose.REFERRAL, Purpose.REFERRAL.label),
        ],
    )
    method = forms.ChoiceField(
        label=_("How the client gave consent"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=DateInput(), initial=timezone.localdate
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty if the consent has no end date."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


if TYPE_CHECKING:
    _MembershipChoice = forms.ModelChoiceField[Membership]
else:  # Django's form fields are not subscriptable at run time
    _MembershipChoice = forms.ModelChoiceField


class MembershipChoiceField(_MembershipChoice):
    def label_from_instance(self, obj: Membership) -> str:
        title = f", {obj.title}" if obj.title else ""
        return (
            f"{obj.user.display_name()} — {obj.organisation.name}, {obj.get_role_display()}{title}"
        )


class CareTeamAddForm(forms.Form):
    membership = MembershipChoiceField(
        label=_("Professional"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a professional"),
    )
    as_key_worker = forms.BooleanField(label=_("Make them the key worker"), required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
