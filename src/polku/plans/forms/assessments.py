"""Input shapes of the joint assessment's pages. Rules live in services; forms check types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core.forms import DateInput
from polku.plans.domains import Need
from polku.plans.services.assessments import TEXT_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AssessmentStartForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessment date"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("The day the professionals and the client went through the life domains."),
    )


def _text(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DomainEntryForm(forms.Form):
    need = forms.TypedChoiceField(
        label=_("Need for support"),
        choices=Need.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("0 no need, 1 some need, 2 clear need, 3 urgent need."),
    )
    strengths = _text(_("Strengths"), _("What already works and can be built on."))
    barriers = _text(_("Barriers"), _("What stands in the way of work or study."))
    notes = _text(
        _("Notes"), _("Anything the team should know, in the client's words if possible.")
    )
