"""Input shape of a benefits counselling record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.core.models import Membership
from polku.ips.forms.common import ProfessionalField, date_field, text_area
from polku.ips.services.common import TEXT_MAX_LENGTH
from polku.ips.services.counselling import BenefitTopic


class CounsellingForm(forms.Form):
    date = date_field(_("Date"), initial=timezone.localdate)
    counsellor = ProfessionalField(
        label=_("Counselling given by"),
        queryset=Membership.objects.none(),
        empty_label=None,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics discussed"),
        choices=BenefitTopic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    calculation_made = forms.BooleanField(
        label=_("A work-incentive calculation was made"), required=False
    )
    notes = text_area(_("Notes"), max_length=TEXT_MAX_LENGTH)

    def __init__(self, *args: Any, counsellors: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counsellor = self.fields["counsellor"]
        assert isinstance(counsellor, forms.ModelChoiceField)
        counsellor.queryset = counsellors
