"""Forms of the comparison pages: the upload, its confirmation, and a run's parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme
from polku.evaluation.comparison import parameters as p
from polku.evaluation.comparison.columns import MAX_FILE_BYTES
from polku.evaluation.comparison.importer import FILE_NAME_MAX, NAME_MAX, SOURCE_MAX

if TYPE_CHECKING:
    _Programme = forms.ModelChoiceField[Programme]
else:  # Django's form fields are not subscriptable at run time
    _Programme = forms.ModelChoiceField


class GroupImportForm(forms.Form):
    programme = _Programme(
        label=_("Programme compared"),
        queryset=Programme.objects.none(),
        help_text=_("The participants of this programme are compared with the group."),
    )
    name = forms.CharField(label=_("Name of the group"), max_length=NAME_MAX)
    source = forms.CharField(
        label=_("Source"),
        max_length=SOURCE_MAX,
        help_text=_("Where the data came from, e.g. the register and extract date."),
    )
    file = forms.FileField(
        label=_("File (CSV)"),
        max_length=FILE_NAME_MAX,
        help_text=_(
            "One person per row, with the column headers described below. Nothing is saved "
            "before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programmes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)d MB).")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RunForm(forms.Form):
    """A run's parameters; the service checks them again (`parameters.clean`)."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=list(p.OUTCOMES.items()))
    covariates = forms.MultipleChoiceField(
        label=_("Covariates in the propensity model"),
        choices=list(p.COVARIATES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Participants and non-participants are matched on these. Rows missing any of "
            "them are left out."
        ),
    )
    caliper = forms.FloatField(
        label=_("Caliper"),
        required=False,
        localize=True,  # "0,2" in Finnish and Swedish
        min_value=p.CALIPER_MIN,
        max_value=p.CALIPER_MAX,
        help_text=_(
            "Largest allowed distance between matched pairs, in standard deviations of the "
            "logit of the propensity score (0.2 is usual). Leave empty for no caliper."
        ),
    )
    replacement = forms.BooleanField(
        label=_("Match with replacement (a non-participant may be matched more than once)"),
        required=False,
    )
    bootstrap = forms.IntegerField(
        label=_("Bootstrap resamples"),
        min_value=p.BOOTSTRAP_MIN,
        max_value=p.BOOTSTRAP_MAX,
        # xgettext:no-python-format  (the "%" is a per cent sign)
        help_text=_("For the 95 % confidence interval of the effect; 100–2000."),
    )

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "covariates": list(data["covariates"]),
            "caliper": data["caliper"],
            "replacement": bool(data["replacement"]),
            "bootstrap": data["bootstrap"],
        }

    @classmethod
    def initial_values(cls) -> dict[str, Any]:
        return dict(p.DEFAULTS)
