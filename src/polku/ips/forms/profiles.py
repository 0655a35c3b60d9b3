"""Input shape of a new version of the career profile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.ips.forms.common import OccupationsField, text_area
from polku.ips.models import Disclosure, HoursPreference
from polku.ips.services.common import TEXT_MAX_LENGTH
from polku.ips.services.profiles import PLACES_MAX_LENGTH


class ProfileForm(forms.Form):
    work_history = text_area(_("Work history"), max_length=TEXT_MAX_LENGTH)
    education = text_area(_("Education and training"), rows=3, max_length=TEXT_MAX_LENGTH)
    preferred_occupations = OccupationsField(label=_("Preferred occupations"), required=False)
    preferred_hours = forms.ChoiceField(
        label=_("Preferred hours"),
        choices=HoursPreference.choices,
        widget=forms.RadioSelect,
        initial=HoursPreference.EITHER,
    )
    preferred_places = forms.CharField(
        label=_("Preferred places of work"),
        required=False,
        max_length=PLACES_MAX_LENGTH,
        help_text=_("Areas, routes or kinds of workplace, in the client's words."),
    )
    strengths = text_area(_("Strengths"), max_length=TEXT_MAX_LENGTH)
    barriers = text_area(_("Barriers"), max_length=TEXT_MAX_LENGTH)
    support_needs = text_area(_("Support needs"), max_length=TEXT_MAX_LENGTH)
    disclosure = forms.ChoiceField(
        label=_("Disclosure preference"),
        choices=Disclosure.choices,
        widget=forms.RadioSelect,
        initial=Disclosure.UNDECIDED,
        help_text=_("The client's informed choice about telling employers of a condition."),
    )
    disclosure_notes = text_area(_("What may be told, and how"), rows=3, max_length=TEXT_MAX_LENGTH)
