"""Input shapes for the catalogue pages: filters, a service, a location, an HSDS import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from polku.core.categories import DataCategory
from polku.core.models import Organisation
from polku.plans.hsds import LANGUAGE_CODE
from polku.plans.models import Location, ServiceKind

# Languages offered as a filter: the national languages and the ones most often asked for in
# Helsinki and Stockholm. A service may list any ISO 639-1 code.
FILTER_LANGUAGES = ("fi", "sv", "en", "ru", "et", "ar", "so", "fa", "uk", "tr", "es", "fr")
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Languages Django's own table lacks.
_MORE_LANGUAGES = {"so": _("Somali"), "ti": _("Tigrinya"), "ku": _("Kurdish")}


def language_name(code: str) -> str:
    """The language's name in the user's language where known, else its code."""
    if code in _MORE_LANGUAGES:
        return str(_MORE_LANGUAGES[code])
    info = LANG_INFO.get(code)
    return str(_(info["name"])) if info else code  # Django translates these names


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the name, description, eligibility or organisation."),
        widget=forms.SearchInput(attrs={"spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of service"),
        required=False,
        choices=[("", _("All kinds")), *ServiceKind.choices],
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(services__isnull=False).distinct(),
        required=False,
        empty_label=_("All organisations"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Active services")),
            ("inactive", _("Inactive services")),
            ("all", _("All services")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Any language")),
            *((code, language_name(code)) for code in FILTER_LANGUAGES),
        ]


class ServiceForm(forms.Form):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200, required=False)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    description_fi = forms.CharField(
        label=_("Description in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_sv = forms.CharField(
        label=_("Description in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    eligibility_fi = forms.CharField(
        label=_("Eligibility in Finnish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who may use the service."),
    )
    eligibility_sv = forms.CharField(
        label=_("Eligibility in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    eligibility_en = forms.CharField(
        label=_("Eligibility in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.CharField(
        label=_("Languages served"),
        required=False,
        max_length=200,
        help_text=_("ISO 639-1 codes separated by commas, for example: fi, sv, en."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")
    schedule = forms.CharField(label=_("Opening hours"), max_length=300, required=False)
    fees = forms.CharField(label=_("Fees"), max_length=300, required=False)
    expected_response_days = forms.IntegerField(
        label=_("Expected response time (days)"),
        min_value=0,
        max_value=365,
        initial=14,
        help_text=_("Days from a referral to the first contact with the client."),
    )
    referral_categories = forms.MultipleChoiceField(
        label=_("Data categories a referral carries"),
        choices=[
            (value, label)
            for value, label in DataCategory.choices
            if value not in {DataCategory.IDENTITY, DataCategory.CONTACT}
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Besides identity and contact details. The client's consent must cover each one "
            "before a referral can be sent."
        ),
    )
    accepts_referrals = forms.BooleanField(
        label=_("Accepts referrals through Polku"), required=False, initial=True
    )
    locations: forms.ModelMultipleChoiceField[Location] = forms.ModelMultipleChoiceField(
        label=_("Offered at"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locations = self.fields["locations"]
        locations.queryset = Location.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data["languages"]
        codes = [code.strip().lower() for code in raw.replace(";", ",").split(",")]
        codes = [code for code in codes if code]
        if any(not LANGUAGE_CODE.match(code) for code in codes):
            raise forms.ValidationError(_("Give ISO 639-1 language codes, e.g. fi, sv, en."))
        return list(dict.fromkeys(codes))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"name_{lang}") for lang in ("fi", "sv", "en")):
            self.add_error("name_fi", _("Give the service's name in at least one language."))
        return data


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    is_virtual = forms.BooleanField(
        label=_("Virtual location (online or by phone)"), required=False
    )
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        initial="FI",
        max_length=2,
        help_text=_("Two-letter code, e.g. FI or SE."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=300,
        required=False,
        help_text=_("Step-free access, induction loop, accessible toilet …"),
    )


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "A zip of HSDS CSV files with datapackage.json, an HSDS JSON file, or one HSDS "
            "CSV file named after its table (services.csv …). Nothing is saved before you "
            "confirm."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 20 MB)."))
        return upload


class CatalogueImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
