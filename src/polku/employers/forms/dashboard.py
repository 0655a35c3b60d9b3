"""The dashboard's one filter: the programme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Programme

if TYPE_CHECKING:
    _Programmes = forms.ModelChoiceField[Programme]
else:
    _Programmes = forms.ModelChoiceField


class DashboardForm(forms.Form):
    programme = _Programmes(
        label=_("Programme"),
        queryset=Programme.objects.order_by("name"),
        required=False,
        empty_label=_("All programmes"),
    )
